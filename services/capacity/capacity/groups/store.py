"""The running stays of units, as the group profile reads them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from capacity.db import occupancies, units
from capacity.groups.rules import GroupStay, group_profile

_stay = occupancies.c

# A stay runs until intake ends it: the same rule as the unit's `occupied` count.
_RUNNING = _stay.end_date.is_(None)

_OF_UNITS = select(_stay.unit_id, _stay.age, _stay.age_on, _stay.flags).where(
    _RUNNING, _stay.unit_id.in_(bindparam("unit_ids", expanding=True))
)


def _of_care_type(region: str) -> Any:
    query = (
        select(_stay.unit_id, _stay.age, _stay.age_on, _stay.flags)
        .select_from(occupancies.join(units, units.c.id == _stay.unit_id))
        .where(_RUNNING, units.c.care_type == bindparam("care_type"))
    )
    if region != "all":
        query = query.where(units.c.in_region == (region == "inside"))
    return query


_OF_CARE_TYPE = {region: _of_care_type(region) for region in ("all", "inside", "outside")}


def _profiles(rows: Iterable[Any], today: date, wanted: set[str] | None = None) -> dict[str, dict[str, Any]]:
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
    return _profiles(rows, today)


async def profiles_of_care_type(
    session: AsyncSession, care_type: str, region: str, unit_ids: set[str], today: date
) -> dict[str, dict[str, Any]]:
    """The group profiles of the listed units (`unit_ids`) of a care type: one query over the stays
    that run in units of that care type, rather than a list of thousands of ids."""
    if not unit_ids:
        return {}
    rows = (await session.execute(_OF_CARE_TYPE[region], {"care_type": care_type})).all()
    return _profiles(rows, today, unit_ids)
