"""Routes of reservations, internal calls for matching and intake: hold a place (matching, intake),
confirm it (intake: the provider accepted), release it (either)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Request, Response, status

from capacity.deps import StaleBefore
from capacity.reservations import joint, service
from capacity.schemas import (
    Confirmation,
    ConfirmationOut,
    HoldsRelease,
    HoldsReleased,
    JointHoldCreate,
    JointHoldOut,
    ReservationCreate,
    ReservationOut,
)
from common.app import PROBLEM_JSON, problem_body
from common.auth import CoordinatorOrService, FromIntake, FromIntakeOrMatching, FromMatching
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
    _: FromIntakeOrMatching,
    request: Request,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
) -> ReservationOut:
    max_hold = timedelta(days=request.app.state.settings.max_hold_days)
    reservation, created = await service.hold_place(db, clock, unit_id, body, max_hold)
    if not created:
        response.status_code = status.HTTP_200_OK
    return reservation


@router.post("/internal/units/{unit_id}/reservations", include_in_schema=False)
async def reserve_place_telling_changes(
    unit_id: str,
    body: ReservationCreate,
    _: FromMatching,
    request: Request,
    db: DatabaseDep,
    clock: ClockDep,
    stale_before: StaleBefore,
    after: Annotated[int, Query(ge=0)],
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
) -> Response:
    """`reserve_place` for matching, whose answer also carries the change feed's answer after `after`
    (docs/internal-api.md): 201/200 `{reservation, changes}`, or the 409/404 problem with `changes`."""
    max_hold = timedelta(days=request.app.state.settings.max_hold_days)
    told = await service.reserve_place_telling_changes(db, clock, unit_id, body, max_hold, after, limit, stale_before)
    if told.refused is not None:
        problem = {**problem_body(told.refused), "changes": told.changes}
        return Response(orjson.dumps(problem), status_code=told.refused.status, media_type=PROBLEM_JSON)
    assert told.reservation is not None
    held = {"reservation": told.reservation.model_dump(mode="json"), "changes": told.changes}
    code = status.HTTP_201_CREATED if told.created else status.HTTP_200_OK
    return Response(orjson.dumps(held), status_code=code, media_type="application/json")


@router.post(
    "/v1/reservations/joint",
    status_code=status.HTTP_201_CREATED,
    operation_id="reserve_places_together",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def reserve_places_together(
    body: JointHoldCreate, _: FromMatching, request: Request, response: Response, db: DatabaseDep, clock: ClockDep
) -> JointHoldOut:
    max_hold = timedelta(days=request.app.state.settings.max_hold_days)
    reservations, created = await joint.reserve_places_together(db, clock, body.holds, body.expires_at, max_hold)
    if not created:
        response.status_code = status.HTTP_200_OK
    return JointHoldOut(reservations=reservations)


@router.post(
    "/v1/reservations/release",
    operation_id="release_referral_holds",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def release_holds(body: HoldsRelease, _: FromIntakeOrMatching, db: DatabaseDep, clock: ClockDep) -> HoldsReleased:
    released = await service.release_holds(db, clock, body.referral_id, body.keep_reservation_id, body.request_ids)
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
    reservation_id: str, body: Confirmation, _: FromIntake, db: DatabaseDep, clock: ClockDep
) -> ConfirmationOut:
    return await service.confirm_reservation(db, clock, reservation_id, body.start_date)


@router.post(
    "/v1/reservations/{reservation_id}/release",
    operation_id="release_reservation",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def release_reservation(
    reservation_id: str, _: FromIntakeOrMatching, db: DatabaseDep, clock: ClockDep
) -> ReservationOut:
    return await service.release_reservation(db, clock, reservation_id)
