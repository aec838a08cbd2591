"""Routes of occupancies, internal calls for intake: read one, end a stay."""

from __future__ import annotations

from fastapi import APIRouter

from capacity.occupancy import service
from capacity.schemas import OccupancyEnd, OccupancyOut
from common.auth import CoordinatorOrService, FromIntake
from common.deps import ClockDep, DatabaseDep
from common.openapi import problem_responses

router = APIRouter(tags=["placements"])


@router.get(
    "/v1/occupancies/{occupancy_id}",
    operation_id="get_occupancy",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_occupancy(occupancy_id: str, _: CoordinatorOrService, db: DatabaseDep) -> OccupancyOut:
    return await service.get_occupancy(db, occupancy_id)


@router.post(
    "/v1/occupancies/{occupancy_id}/end",
    operation_id="end_occupancy",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def end_occupancy(
    occupancy_id: str, body: OccupancyEnd, _: FromIntake, db: DatabaseDep, clock: ClockDep
) -> OccupancyOut:
    return await service.end_occupancy(db, clock, occupancy_id, body.end_date)
