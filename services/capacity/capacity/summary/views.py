"""Routes of the summed places: the availability summary and the kinds of unit with a free place."""

from __future__ import annotations

from datetime import datetime

import orjson
from fastapi import APIRouter, Response

from capacity.deps import StaleBefore
from capacity.schemas import AvailabilitySummary, FreePlaces
from capacity.summary import service
from common.auth import CurrentPrincipal, FromIntake
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
    return await service.availability_summary(db)


@router.get(
    "/v1/free-places",
    operation_id="free_places",
    responses=problem_responses(401, 503),
)
async def free_places(_: CurrentPrincipal, db: DatabaseDep) -> FreePlaces:
    """The units with a free place, grouped by what their hard rules admit (care type, region, age
    range, target groups, part-time only): a national register of thousands of units comes down to a
    few hundred kinds."""
    return await service.free_places(db)


@router.get("/internal/unit-freshness", include_in_schema=False)
async def unit_freshness(_: FromIntake, db: DatabaseDep, stale_before: StaleBefore, since: datetime) -> Response:
    """How fresh the open units are, for the coordinators' overview (docs/internal-api.md): per
    provider its open units and those confirmed at or after `since`, and the stale units; not part of
    the public API."""
    body = await service.unit_freshness(db, as_utc(since), stale_before)
    return Response(orjson.dumps(body), media_type="application/json")
