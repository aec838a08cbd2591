"""Places summed in the database, without listing every unit: per care type inside and outside the
region (a coordinator's dashboard, the occupancy indicator), and the kinds of unit with a free place
(which waiting children a freed place could be for)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import case, func, select

from capacity.db import AVAILABLE, Unit, serves
from capacity.domain import TARGET_GROUPS
from capacity.schemas import AvailabilityRow, AvailabilitySummary, FreePlaceKind, FreePlaces
from common.auth import CurrentPrincipal
from common.clock import as_utc
from common.deps import DatabaseDep
from common.openapi import problem_responses

router = APIRouter(tags=["units"])


@router.get(
    "/v1/availability-summary",
    operation_id="availability_summary",
    responses=problem_responses(401, 503),
)
async def availability_summary(_: CurrentPrincipal, db: DatabaseDep) -> AvailabilitySummary:
    """One row per (care type, in or out of the region); `available` never counts a unit below zero."""
    query = (
        select(
            Unit.care_type,
            Unit.in_region,
            func.count(),
            func.sum(Unit.capacity),
            func.sum(Unit.occupied),
            func.sum(Unit.reserved),
            func.sum(Unit.blocked),
            func.sum(case((AVAILABLE > 0, AVAILABLE), else_=0)),
        )
        .group_by(Unit.care_type, Unit.in_region)
        .order_by(Unit.care_type, Unit.in_region.desc())
    )
    async with db.read() as session:
        rows = (await session.execute(query)).all()
    return AvailabilitySummary(
        items=[
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
    )


@router.get(
    "/v1/free-places",
    operation_id="free_places",
    responses=problem_responses(401, 503),
)
async def free_places(_: CurrentPrincipal, db: DatabaseDep) -> FreePlaces:
    """The units with a free place, grouped by what their hard rules admit (care type, region, age
    range, target groups, part-time only): a national register of thousands of units comes down to a
    few hundred kinds."""
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
    return FreePlaces(
        items=[
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
    )
