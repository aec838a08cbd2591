"""The statements of production agreements: a provider's agreements, and the stays whose care days count."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, and_, bindparam, case, delete, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from capacity.db import next_change, occupancies, production_agreements, providers, units
from capacity.production.rules import Use

_agreement = production_agreements.c
_stay = occupancies.c


def _days(until: ColumnElement[Any], since: ColumnElement[Any], dialect: str) -> ColumnElement[Any]:
    """The days from `since` to `until` (dates): PostgreSQL subtracts dates, SQLite keeps them as text."""
    if dialect == "sqlite":
        return func.julianday(until) - func.julianday(since)
    return until - since


def _year_use_sums(dialect: str) -> Any:
    """rules.year_use in SQL, per provider and care type: the care days of each stay between `first`
    and `stop` (not counted), and for a running stay those from `rest_from` to the year's end as well."""
    first, stop = bindparam("first", type_=Date), bindparam("stop", type_=Date)
    rest_from, year_end = bindparam("rest_from", type_=Date), bindparam("year_end", type_=Date)
    begin = case((_stay.start_date < first, first), else_=_stay.start_date)
    end = case((and_(_stay.end_date.is_not(None), _stay.end_date < stop), _stay.end_date), else_=stop)
    later_begin = case((_stay.start_date < rest_from, rest_from), else_=_stay.start_date)
    used = case((end > begin, _days(end, begin, dialect)), else_=0)
    later = case(
        (and_(_stay.end_date.is_(None), later_begin < year_end), _days(year_end, later_begin, dialect)), else_=0
    )
    return (
        select(_stay.provider_id, units.c.care_type, func.sum(used), func.sum(later))
        .select_from(occupancies.join(units, units.c.id == _stay.unit_id))
        .where(
            _stay.provider_id.in_(bindparam("provider_ids", expanding=True)),
            _stay.start_date <= bindparam("last"),
            or_(_stay.end_date.is_(None), _stay.end_date > first),
        )
        .group_by(_stay.provider_id, units.c.care_type)
    )


_YEAR_USE_SUMS = {dialect: _year_use_sums(dialect) for dialect in ("sqlite", "postgresql")}

# The agreements of operational providers for one care type and year: the only ones that cap.
_CAPPING = (
    select(_agreement.provider_id, _agreement.care_days)
    .select_from(production_agreements.join(providers, providers.c.id == _agreement.provider_id))
    .where(
        providers.c.role == "operational",
        _agreement.year == bindparam("year"),
        _agreement.care_type == bindparam("care_type"),
    )
)


async def agreements_of(session: AsyncSession, provider_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each provider's agreements, by year and care type."""
    found: dict[str, list[dict[str, Any]]] = {provider_id: [] for provider_id in provider_ids}
    if not provider_ids:
        return found
    query = (
        select(_agreement.provider_id, _agreement.year, _agreement.care_type, _agreement.care_days)
        .where(_agreement.provider_id.in_(provider_ids))
        .order_by(_agreement.provider_id, _agreement.year, _agreement.care_type)
    )
    for provider_id, year, care_type, care_days in (await session.execute(query)).all():
        found[provider_id].append({"year": year, "care_type": care_type, "care_days": care_days})
    return found


async def replace_agreements(session: AsyncSession, provider_id: str, agreements: Iterable[dict[str, Any]]) -> None:
    """Replace them as a whole; matching's read model sees the provider changed (db.next_change)."""
    change_seq = await next_change(session)
    await session.execute(update(providers).where(providers.c.id == provider_id).values(change_seq=change_seq))
    await session.execute(delete(production_agreements).where(_agreement.provider_id == provider_id))
    rows = [{"provider_id": provider_id, **agreement} for agreement in agreements]
    if rows:
        await session.execute(insert(production_agreements), rows)


async def year_use(session: AsyncSession, provider_ids: list[str], year: int, today: date) -> dict[str, dict[str, Use]]:
    """What rules.year_use counts from each provider's stays, summed by the database: the stays of a
    year are many at a national size, their sums a row per provider and care type."""
    found: dict[str, dict[str, Use]] = {provider_id: {} for provider_id in provider_ids}
    if not provider_ids:
        return found
    first, last = date(year, 1, 1), date(year, 12, 31)
    one_day = timedelta(days=1)
    values = {
        "provider_ids": provider_ids,
        "first": first,
        "last": last,
        "stop": min(today, last) + one_day,
        "rest_from": max(today + one_day, first),
        "year_end": last + one_day,
    }
    statement = _YEAR_USE_SUMS["sqlite" if session.get_bind().dialect.name == "sqlite" else "postgresql"]
    for provider_id, care_type, used, later in (await session.execute(statement, values)).all():
        found[provider_id][care_type] = Use(round(used), round(used + later))
    return found


async def capping_agreements(session: AsyncSession, care_type: str, year: int) -> dict[str, int]:
    """The care days agreed for this care type and year by each operational provider that agreed any."""
    rows = (await session.execute(_CAPPING, {"care_type": care_type, "year": year})).all()
    return {provider_id: int(care_days) for provider_id, care_days in rows}
