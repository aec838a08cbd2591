"""Use cases of matching support: the candidate units for a child, and the epoch that tells intake
a place may have come free."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.candidates.store import candidate_statements, group_statement
from capacity.db import free_places_epoch
from capacity.groups.store import profiles_from
from capacity.production.service import capping_use
from capacity.reservations.store import request_hold
from capacity.schemas import CandidateRegion, CandidateView, ExcludedOutside, ExcludedUnfit
from common.clock import as_utc
from common.db import Database


def _full_unit(row: Any, stale_before: datetime) -> dict[str, Any]:
    """The unit shape of UnitOut, built straight from a row (store.FULL_COLUMNS): a candidate list can
    hold thousands of units, and validating each through pydantic would cost more than the query."""
    (
        unit_id,
        provider_id,
        in_region,
        role,
        name,
        care_type,
        serves_jo,
        serves_lvb,
        serves_ggz,
        age_min,
        age_max,
        municipality_code,
        capacity,
        occupied,
        reserved,
        blocked,
        specialisms,
        description,
        part_time,
        version,
        created_at,
        updated_at,
        latitude,
        longitude,
        confirmed_at,
        _reason,
    ) = row
    groups = [group for group, served in (("jo", serves_jo), ("lvb", serves_lvb), ("ggz", serves_ggz)) if served]
    return {
        "id": unit_id,
        "provider_id": provider_id,
        "provider_role": role,
        "name": name,
        "care_type": care_type,
        "target_groups": groups,
        "age_min": age_min,
        "age_max": age_max,
        "municipality_code": municipality_code,
        "in_region": bool(in_region),
        "capacity": capacity,
        "occupied": occupied,
        "reserved": reserved,
        "blocked": blocked,
        "available": domain.available(capacity, occupied, reserved, blocked),
        "specialisms": orjson.Fragment(specialisms),
        "description": description,
        "part_time": bool(part_time),
        "version": version,
        "created_at": as_utc(created_at),
        "updated_at": as_utc(updated_at),
        "latitude": latitude,
        "longitude": longitude,
        "availability_confirmed_at": as_utc(confirmed_at),
        "availability_stale": domain.availability_stale(as_utc(confirmed_at), False, stale_before),
        "closed": False,
    }


def _compact_unit(row: Any, stale_before: datetime) -> tuple[Any, ...]:
    """A unit of the compact view: an array in the order of contracts.capacity.CompactUnit (a plain
    tuple, which orjson writes as it is). A candidate is never closed (store.candidate_statements)."""
    unit_id, provider_id, in_region, role, municipality_code, specialisms, part_time, lat, lon, capacity = row[:10]
    confirmed_at, free = row[10], row[11]
    return (
        unit_id,
        provider_id,
        role,
        municipality_code,
        bool(in_region),
        orjson.Fragment(specialisms),
        bool(part_time),
        int(free),
        lat,
        lon,
        capacity,
        domain.availability_stale(as_utc(confirmed_at), False, stale_before),
    )


# Before any confirmation: with it, no unit counts as stale.
NEVER_STALE = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class CandidateQuery:
    """Which units of a care type to list for a child (see schemas.Candidates)."""

    care_type: str
    target_group: str
    age: int
    region: CandidateRegion = "all"
    excluded_outside: ExcludedOutside = "list"
    view: CandidateView = "full"
    excluded_unfit: ExcludedUnfit = "list"
    # The match request asking: a place it holds already counts as free for it.
    request_id: str | None = None
    # With a day: the group profiles of the listed units and the production use of the care type, as
    # of that day (`group_profiles`, `production`).
    group_as_of: date | None = None
    # The moment before which a unit's last confirmation of its free places is stale.
    stale_before: datetime = NEVER_STALE


async def find_candidates(db: Database, query: CandidateQuery) -> dict[str, Any]:
    """The units of a care type that can take the child, and the first reason for each that cannot.

    All filtering is the database's: the reason is computed in SQL, and `region` narrows the rows to
    the units inside or outside the region, so that a decision without a ground to place outside
    never reads the rest of the country. What is counted instead of listed is counted in SQL, per
    reason: with region=inside the units outside that could take the child (what the region rule
    left out); with excluded_outside=count the units outside that cannot take the child; with
    excluded_unfit=count the units whose own ages or target groups do not admit the child.
    JSON-ready, in the shape of schemas.Candidates.
    """
    values: dict[str, Any] = {"care_type": query.care_type, "age": query.age}
    async with db.read() as session:
        held_unit_id = None
        if query.request_id is not None:
            held = await request_hold(session, query.request_id)
            if held is not None:
                held_unit_id = values["held_unit_id"] = held.unit_id
        statements = candidate_statements(
            query.target_group,
            query.region,
            query.excluded_outside,
            query.excluded_unfit,
            query.view,
            held_unit_id is not None,
        )
        rows: Sequence[Any] = (await session.execute(statements.rows, values)).all()
        counted = (await session.execute(statements.counts, values)).all() if statements.counts is not None else ()
        group = await _group_and_production(session, query, rows) if query.group_as_of is not None else None
    compact = query.view == "compact"
    shape = _compact_unit if compact else _full_unit
    units: list[Any] = []
    excluded: list[Any] = []
    for row in rows:
        why = row[-1]
        if why is None:
            units.append(shape(row, query.stale_before))
        elif compact:
            # In the order of contracts.capacity.CompactExcluded.
            excluded.append((row[0], row[1], bool(row[2]), why))
        else:
            excluded.append({"unit_id": row[0], "provider_id": row[1], "in_region": bool(row[2]), "reason": why})
    found: dict[str, Any] = {"units": units, "excluded": excluded}
    if query.request_id is not None:
        found["held_unit_id"] = held_unit_id
    outside_fitting = 0
    outside_excluded: dict[str, int] = {}
    unfit_excluded: dict[str, int] = {}
    for in_region, why, count in counted:
        if why is None:
            outside_fitting = int(count)
        elif not in_region and query.excluded_outside == "count":
            outside_excluded[why] = int(count)
        else:
            unfit_excluded[why] = unfit_excluded.get(why, 0) + int(count)
    if query.region == "inside":
        found["outside_fitting"] = outside_fitting
    if query.excluded_outside == "count":
        found["outside_excluded"] = outside_excluded
    if query.excluded_unfit == "count":
        found["unfit_excluded"] = unfit_excluded
    if group is not None:
        found["group_profiles"], found["production"] = group
    return found


async def _group_and_production(
    session: AsyncSession, query: CandidateQuery, rows: Sequence[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The group profiles of the listed units where children stay, and the production agreements of
    this care type that cap operational providers, with their use."""
    today = query.group_as_of
    assert today is not None
    values = {"care_type": query.care_type, "year": today.year}
    stays: list[tuple[Any, ...]] = []
    agreed: dict[str, int] = {}
    for kind, of, age, age_on, flags, care_days in (await session.execute(group_statement(query.region), values)).all():
        if kind == "stay":
            stays.append((of, age, age_on, orjson.loads(flags) if flags else ()))
        else:
            agreed[of] = int(care_days)
    listed = {row[0] for row in rows if row[-1] is None}
    production = await capping_use(session, query.care_type, today, agreed) if agreed else {}
    return profiles_from(stays, today, listed), production


async def current_free_places_epoch(db: Database) -> int:
    async with db.read() as session:
        return await free_places_epoch(session)
