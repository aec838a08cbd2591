"""Internal calls for matching and intake: holding, confirming and freeing places, and candidates."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response, status

from capacity import service
from capacity.domain import AGE_MAX, AGE_MIN, CareType, TargetGroup
from capacity.schemas import (
    CandidateRegion,
    Candidates,
    CandidateView,
    Confirmation,
    ConfirmationOut,
    Epoch,
    ExcludedOutside,
    ExcludedUnfit,
    HoldsRelease,
    HoldsReleased,
    OccupancyEnd,
    OccupancyOut,
    ReservationCreate,
    ReservationOut,
)
from common.auth import CoordinatorOrService, Service
from common.deps import ClockDep, DatabaseDep
from common.openapi import problem_responses

router = APIRouter(tags=["placements"])


@router.post(
    "/v1/units/{unit_id}/reservations",
    status_code=status.HTTP_201_CREATED,
    operation_id="reserve_place",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def reserve_place(
    unit_id: str,
    body: ReservationCreate,
    _: Service,
    request: Request,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
) -> ReservationOut:
    max_hold = timedelta(days=request.app.state.settings.max_hold_days)
    reservation, created = await service.reserve_place(
        db,
        clock.now(),
        unit_id,
        body.referral_id,
        body.client_key,
        body.expires_at,
        max_hold,
        request_id=body.request_id,
    )
    if not created:
        response.status_code = status.HTTP_200_OK
    return reservation


@router.post(
    "/v1/reservations/release",
    operation_id="release_referral_holds",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def release_holds(body: HoldsRelease, _: Service, db: DatabaseDep, clock: ClockDep) -> HoldsReleased:
    released = await service.release_holds(
        db, clock.now(), body.referral_id, body.keep_reservation_id, body.request_ids
    )
    return HoldsReleased(released=released)


@router.get(
    "/v1/reservations/{reservation_id}",
    operation_id="get_reservation",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_reservation(reservation_id: str, _: CoordinatorOrService, db: DatabaseDep) -> ReservationOut:
    return await service.get_reservation(db, reservation_id)


@router.post(
    "/v1/reservations/{reservation_id}/confirm",
    operation_id="confirm_reservation",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def confirm_reservation(
    reservation_id: str, body: Confirmation, _: Service, db: DatabaseDep, clock: ClockDep
) -> ConfirmationOut:
    return await service.confirm_reservation(db, clock.now(), reservation_id, body.start_date)


@router.post(
    "/v1/reservations/{reservation_id}/release",
    operation_id="release_reservation",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def release_reservation(reservation_id: str, _: Service, db: DatabaseDep, clock: ClockDep) -> ReservationOut:
    return await service.release_reservation(db, clock.now(), reservation_id)


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
    occupancy_id: str, body: OccupancyEnd, _: Service, db: DatabaseDep, clock: ClockDep
) -> OccupancyOut:
    return await service.end_occupancy(db, clock.now(), occupancy_id, body.end_date)


@router.get(
    "/v1/candidates",
    response_model=Candidates,
    operation_id="find_candidates",
    responses=problem_responses(401, 403, 422, 503),
)
async def candidates(
    _: CoordinatorOrService,
    db: DatabaseDep,
    care_type: CareType,
    target_group: TargetGroup,
    age: Annotated[int, Query(ge=AGE_MIN, le=AGE_MAX)],
    region: CandidateRegion = "all",
    excluded_outside: ExcludedOutside = "list",
    view: CandidateView = "full",
    excluded_unfit: ExcludedUnfit = "list",
    request_id: Annotated[str | None, Query(min_length=1, max_length=200)] = None,
) -> Response:
    query = service.CandidateQuery(
        care_type, target_group, age, region, excluded_outside, view, excluded_unfit, request_id
    )
    # Encoded as built: the list can hold thousands of units, already in the shape of Candidates.
    return Response(orjson.dumps(await service.find_candidates(db, query)), media_type="application/json")


@router.get(
    "/v1/free-places-epoch",
    operation_id="free_places_epoch",
    responses=problem_responses(401, 403, 503),
)
async def free_places_epoch(_: CoordinatorOrService, db: DatabaseDep) -> Epoch:
    return Epoch(epoch=await service.current_free_places_epoch(db))
