"""Places per care type inside and outside the region, summed in the database: what a coordinator's
dashboard and the occupancy indicator need without listing every unit."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import case, func, select

from capacity.db import Unit
from common.auth import CurrentPrincipal
from common.deps import DatabaseDep

router = APIRouter(tags=["units"])


class AvailabilityRow(BaseModel):
    care_type: str
    in_region: bool
    units: int
    capacity: int
    occupied: int
    reserved: int
    blocked: int
    available: int


class AvailabilitySummary(BaseModel):
    items: list[AvailabilityRow]


@router.get("/v1/availability-summary")
async def availability_summary(_: CurrentPrincipal, db: DatabaseDep) -> AvailabilitySummary:
    """One row per (care type, in or out of the region); `available` never counts a unit below zero."""
    free = Unit.capacity - Unit.occupied - Unit.reserved - Unit.blocked
    query = (
        select(
            Unit.care_type,
            Unit.in_region,
            func.count(),
            func.sum(Unit.capacity),
            func.sum(Unit.occupied),
            func.sum(Unit.reserved),
            func.sum(Unit.blocked),
            func.sum(case((free > 0, free), else_=0)),
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
