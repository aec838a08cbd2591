"""Routes of matching support, internal calls for matching and intake: candidates and the epoch."""

from __future__ import annotations

from typing import Annotated

import orjson
from fastapi import APIRouter, Query, Response

from capacity.candidates import feed, service
from capacity.deps import StaleBefore
from capacity.domain import AGE_MAX, AGE_MIN, CareType, TargetGroup
from capacity.schemas import (
    CandidateRegion,
    Candidates,
    CandidateView,
    Epoch,
    ExcludedOutside,
    ExcludedUnfit,
)
from common.auth import CoordinatorOrService, FromMatching
from common.deps import ClockDep, DatabaseDep
from common.openapi import problem_responses

router = APIRouter(tags=["placements"])


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
    group: Annotated[bool, Query(description="add the group profiles and the production use")] = False,
    *,
    clock: ClockDep,
    stale_before: StaleBefore,
) -> Response:
    query = service.CandidateQuery(
        care_type,
        target_group,
        age,
        region,
        excluded_outside,
        view,
        excluded_unfit,
        request_id,
        group_as_of=clock.now().date() if group else None,
        stale_before=stale_before,
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


@router.get("/internal/changes", include_in_schema=False)
async def changes(
    _: FromMatching,
    db: DatabaseDep,
    after: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 1000,
    *,
    clock: ClockDep,
    stale_before: StaleBefore,
) -> Response:
    """The change feed of matching's read model (docs/internal-api.md): not part of the public API."""
    found = await feed.changes_after(db, after, limit, clock.now().date(), stale_before)
    return Response(orjson.dumps(found), media_type="application/json")
