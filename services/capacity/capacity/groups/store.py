"""The running stays of units, as the group profile reads them (the candidates call reads them with
its own statement, candidates.store: `group_statement`)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from capacity.db import occupancies
from capacity.groups.rules import GroupStay, group_profile

_stay = occupancies.c

# A stay runs until intake ends it: the same rule as the unit's `occupied` count.
_RUNNING = _stay.end_date.is_(None)

_OF_UNITS = select(_stay.unit_id, _stay.age, _stay.age_on, _stay.flags).where(
    _RUNNING, _stay.unit_id.in_(bindparam("unit_ids", expanding=True))
)


def profiles_from(rows: Iterable[Any], today: date, wanted: set[str] | None = None) -> dict[str, dict[str, Any]]:
    """The group profiles of running stays given as (unit id, age, age_on, flags), of the units in
    `wanted` (all when None)."""
    stays: dict[str, list[GroupStay]] = {}
    for unit_id, age, age_on, flags in rows:
        if wanted is None or unit_id in wanted:
            stays.setdefault(unit_id, []).append(GroupStay(age, age_on, tuple(flags or ())))
    return {unit_id: group_profile(found, today) for unit_id, found in stays.items()}


async def profiles_of_units(session: AsyncSession, unit_ids: list[str], today: date) -> dict[str, dict[str, Any]]:
    """The group profile of each of these units where a child stays now."""
    if not unit_ids:
        return {}
    rows = (await session.execute(_OF_UNITS, {"unit_ids": unit_ids})).all()
    return profiles_from(rows, today)
