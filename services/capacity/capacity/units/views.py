"""Units (places) of providers and their availability."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import orjson
from fastapi import APIRouter, Header, Query, Request, Response, status

from capacity.deps import DEFAULT_PAGE, CoordinatorOrProvider, Limit, StaleBefore, VocabularyDep, acting_provider
from capacity.domain import AGE_MAX, AGE_MIN, CareType, TargetGroup
from capacity.groups.rules import sees_group_profile
from capacity.schemas import AvailabilityUpdate, UnitCreate, UnitList, UnitOut, UnitUpdate
from capacity.settings import CapacitySettings
from capacity.units import details, service
from common.auth import CurrentPrincipal, FromIntake
from common.bounds import Offset
from common.clock import as_utc
from common.deps import ClockDep, DatabaseDep, IdPath, etag, parse_if_match
from common.errors import Forbidden
from common.openapi import problem_responses

# The most units one list may name by id.
MAX_IDS = 200

router = APIRouter(tags=["units"])


@router.post(
    "/v1/providers/{provider_id}/units",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_unit",
    responses=problem_responses(400, 401, 403, 404, 413, 422, 503),
)
async def create_unit(
    provider_id: str,
    body: UnitCreate,
    principal: CoordinatorOrProvider,
    request: Request,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
    vocabulary: VocabularyDep,
    stale_before: StaleBefore,
) -> UnitOut:
    acting = acting_provider(principal)
    if acting is not None and acting != provider_id:
        raise Forbidden("A provider may add units only to its own organisation.")
    settings: CapacitySettings = request.app.state.settings
    unit = await service.create_unit(
        db, clock, settings.region_municipalities, vocabulary, provider_id, body, stale_before
    )
    response.headers["ETag"] = etag(unit.version)
    return unit


@router.get(
    "/v1/units",
    operation_id="list_units",
    responses=problem_responses(401, 422, 503),
)
async def list_units(
    principal: CurrentPrincipal,
    db: DatabaseDep,
    clock: ClockDep,
    care_type: CareType | None = None,
    target_group: TargetGroup | None = None,
    age: Annotated[int | None, Query(ge=AGE_MIN, le=AGE_MAX)] = None,
    in_region: bool | None = None,
    available_only: bool = False,
    provider_id: str | None = None,
    unit_id: Annotated[
        list[str] | None,
        Query(alias="id", max_length=MAX_IDS, description="only these units (repeat: ?id=a&id=b)"),
    ] = None,
    availability_stale: Annotated[
        bool | None,
        Query(description="true: the open units whose free places were last confirmed too long ago"),
    ] = None,
    closed: bool | None = None,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    *,
    stale_before: StaleBefore,
) -> UnitList:
    filters = service.UnitFilter(
        care_type=care_type,
        target_group=target_group,
        age=age,
        in_region=in_region,
        available_only=available_only,
        provider_id=provider_id,
        unit_ids=tuple(unit_id) if unit_id is not None else None,
        availability_stale=availability_stale,
        closed=closed,
    )
    group_as_of = clock.now().date() if sees_group_profile(principal.role) else None
    return await service.list_units(db, filters, limit, offset, stale_before, group_as_of)


@router.get("/internal/stale-units", include_in_schema=False)
async def stale_units(
    _: FromIntake,
    db: DatabaseDep,
    stale_before: StaleBefore,
    generation: str | None = None,
    after: Annotated[int | None, Query(ge=0)] = None,
    turned_after: datetime | None = None,
) -> Response:
    """The units intake's workers remind their providers of (docs/internal-api.md): not part of the
    public API. `generation`, `after` and `turned_after` repeat an earlier answer's `generation`, `upto`
    and `stale_before`: then only the units that can have turned stale since are listed."""
    since = None
    if generation is not None and after is not None and turned_after is not None:
        since = service.StaleSince(generation, after, as_utc(turned_after))
    return Response(orjson.dumps(await service.stale_units(db, stale_before, since)), media_type="application/json")


@router.get(
    "/v1/units/{id}",
    operation_id="get_unit",
    responses=problem_responses(401, 404, 422, 503),
)
async def get_unit(
    unit_id: IdPath,
    principal: CurrentPrincipal,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
    stale_before: StaleBefore,
) -> UnitOut:
    group_as_of = clock.now().date() if sees_group_profile(principal.role) else None
    unit = await service.get_unit(db, unit_id, stale_before, group_as_of)
    response.headers["ETag"] = etag(unit.version)
    return unit


@router.put(
    "/v1/units/{id}/availability",
    operation_id="update_availability",
    responses=problem_responses(400, 401, 403, 404, 412, 413, 422, 428, 503),
)
async def update_availability(
    unit_id: IdPath,
    body: AvailabilityUpdate,
    principal: CoordinatorOrProvider,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
    stale_before: StaleBefore,
    if_match: Annotated[str | None, Header()] = None,
) -> UnitOut:
    expected = parse_if_match(if_match)
    unit = await service.update_availability(
        db,
        clock,
        unit_id,
        expected,
        body.capacity,
        body.blocked,
        stale_before,
        acting_provider_id=acting_provider(principal),
    )
    response.headers["ETag"] = etag(unit.version)
    return unit


@router.post(
    "/v1/units/{id}/confirm-availability",
    operation_id="confirm_availability",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def confirm_availability(
    unit_id: IdPath,
    principal: CoordinatorOrProvider,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
    stale_before: StaleBefore,
) -> UnitOut:
    """The free places are right as they stand: the unit is no longer stale."""
    unit = await details.confirm_availability(
        db, clock, unit_id, stale_before, acting_provider_id=acting_provider(principal)
    )
    response.headers["ETag"] = etag(unit.version)
    return unit


@router.patch(
    "/v1/units/{id}",
    operation_id="update_unit",
    responses=problem_responses(400, 401, 403, 404, 412, 413, 422, 428, 503),
)
async def update_unit(
    unit_id: IdPath,
    body: UnitUpdate,
    principal: CoordinatorOrProvider,
    request: Request,
    response: Response,
    db: DatabaseDep,
    clock: ClockDep,
    vocabulary: VocabularyDep,
    stale_before: StaleBefore,
    if_match: Annotated[str | None, Header()] = None,
) -> UnitOut:
    """Change a unit's details or close it, with `If-Match` as for its availability (412 when stale)."""
    settings: CapacitySettings = request.app.state.settings
    unit = await details.update_unit(
        db,
        clock,
        settings.region_municipalities,
        vocabulary,
        unit_id,
        body,
        parse_if_match(if_match),
        stale_before,
        acting_provider_id=acting_provider(principal),
    )
    response.headers["ETag"] = etag(unit.version)
    return unit
