"""SQL of the indicators that differs between PostgreSQL and SQLite: date arithmetic and the median."""

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement


class Dialect:
    """The few date expressions the two databases spell differently."""

    def __init__(self, name: str) -> None:
        self.postgresql = name == "postgresql"

    def days_between(self, later: Any, earlier: Any) -> ColumnElement[int]:
        if self.postgresql:
            return sa.type_coerce(later - earlier, sa.Integer)
        return sa.cast(sa.func.julianday(later) - sa.func.julianday(earlier), sa.Integer)

    def day_of(self, moment: Any) -> ColumnElement[Any]:
        """The UTC calendar day of a stored timestamp."""
        if self.postgresql:
            return sa.cast(sa.func.timezone("UTC", moment), sa.Date)
        return sa.func.date(moment)

    def plus_years(self, day: Any, years: int) -> ColumnElement[Any]:
        if self.postgresql:
            return sa.cast(day + sa.func.make_interval(years), sa.Date)
        return sa.func.date(day, f"+{years} years")

    def as_date(self, value: Any) -> date:
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


async def median(session: AsyncSession, values: sa.Select[Any]) -> float | None:
    """The median of the one column `values` selects, computed in the database: percentile_cont on
    PostgreSQL; on SQLite the middle one or two values by ORDER BY with LIMIT/OFFSET."""
    sub = values.subquery()
    column = next(iter(sub.c))
    if session.get_bind().dialect.name == "postgresql":
        found = await session.scalar(sa.select(sa.func.percentile_cont(0.5).within_group(column)))
        return None if found is None else float(found)
    count = int(await session.scalar(sa.select(sa.func.count()).select_from(sub)) or 0)
    if count == 0:
        return None
    middle = sa.select(column.label("v")).order_by(column).limit(2 - count % 2).offset((count - 1) // 2).subquery()
    found = await session.scalar(sa.select(sa.func.avg(middle.c.v)))
    return None if found is None else float(found)
