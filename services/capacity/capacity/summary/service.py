"""Use cases of the summed places: the availability summary, the kinds of unit with a free place, and
how fresh the open units' free places are."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, case, false, func, select

from capacity.db import AVAILABLE, Unit, serves, units
from capacity.domain import TARGET_GROUPS
from capacity.schemas import AvailabilityRow, AvailabilitySummary, FreePlaceKind, FreePlaces
from common.clock import as_utc
from common.db import Database
from contracts import lists


async def availability_summary(db: Database) -> AvailabilitySummary:
    query = (
        select(
            Unit.care_type,
            Unit.in_region,
            func.count(),
            func.sum(Unit.capacity),
            func.sum(Unit.occupied),
            func.sum(Unit.reserved),
            func.sum(Unit.blocked),
            func.sum(AVAILABLE),
        )
        .group_by(Unit.care_type, Unit.in_region)
        .order_by(Unit.care_type, Unit.in_region.desc())
    )
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    summary = [
        AvailabilityRow(
            care_type=care_type,
            in_region=bool(in_region),
            units=units,
            capacity=int(capacity or 0),
            occupied=int(occupied or 0),
            reserved=int(reserved or 0),
            blocked=int(blocked or 0),
            available=int(available or 0),
        )
        for care_type, in_region, units, capacity, occupied, reserved, blocked, available in rows
    ]
    return AvailabilitySummary(items=summary, **lists.whole(len(summary)))


async def free_places(db: Database) -> FreePlaces:
    admits = [serves(group) for group in TARGET_GROUPS]
    kind = (Unit.care_type, Unit.in_region, Unit.age_min, Unit.age_max, Unit.part_time, *admits)
    query = (
        select(*kind, func.count(), func.sum(AVAILABLE), func.max(Unit.updated_at))
        .where(AVAILABLE > 0)
        .group_by(*kind)
        .order_by(*kind)
    )
    async with db.read() as session:
        rows: list[Any] = list((await session.execute(query)).all())
    kinds = [
        FreePlaceKind(
            care_type=row[0],
            in_region=bool(row[1]),
            age_min=row[2],
            age_max=row[3],
            part_time=bool(row[4]),
            target_groups=[group for group, served in zip(TARGET_GROUPS, row[5:-3], strict=True) if served],
            units=row[-3],
            available=int(row[-2]),
            changed_at=as_utc(row[-1]),
        )
        for row in rows
    ]
    return FreePlaces(items=kinds, **lists.whole(len(kinds)))


_open = units.c.closed == false()
_confirmed = units.c.availability_confirmed_at
# Per provider its open units, and how many were confirmed at or after a moment.
_FRESH_PER_PROVIDER = (
    select(units.c.provider_id, func.count(), func.sum(case((_confirmed >= bindparam("since"), 1), else_=0)))
    .where(_open)
    .group_by(units.c.provider_id)
)
_STALE = select(units.c.id, units.c.name, units.c.provider_id, _confirmed).where(
    _open, _confirmed < bindparam("stale_before")
)


async def unit_freshness(db: Database, since: datetime, stale_before: datetime) -> dict[str, Any]:
    """How fresh the open units are (contracts.capacity.UnitFreshness), JSON-ready: the overview's
    counts without listing every unit of a national register."""
    async with db.read() as session:
        fresh = (await session.execute(_FRESH_PER_PROVIDER, {"since": since})).all()
        stale = (await session.execute(_STALE, {"stale_before": stale_before})).all()
    return {
        "providers": [
            {"provider_id": provider_id, "units": count, "confirmed_since": int(confirmed or 0)}
            for provider_id, count, confirmed in fresh
        ],
        "stale_units": [
            {
                "id": unit_id,
                "name": name,
                "provider_id": provider_id,
                "availability_confirmed_at": as_utc(at).isoformat(),
            }
            for unit_id, name, provider_id, at in stale
        ],
    }
