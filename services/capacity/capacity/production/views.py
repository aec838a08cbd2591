"""Routes of production agreements: a provider's use of them (that provider, coordinator), and every
provider's use (coordinator and the services, for the dashboard)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from capacity.deps import CoordinatorOrProvider, acting_provider
from capacity.production import service
from capacity.schemas import Production, ProductionOverview
from common.auth import CoordinatorOrService
from common.deps import ClockDep, DatabaseDep, IdPath
from common.errors import NotFound
from common.openapi import problem_responses

router = APIRouter(tags=["providers"])

Year = Annotated[int | None, Query(ge=2000, le=2100, description="the calendar year; this year when absent")]


@router.get(
    "/v1/providers/{id}/production",
    operation_id="get_provider_production",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def provider_production(
    provider_id: IdPath, principal: CoordinatorOrProvider, db: DatabaseDep, clock: ClockDep, year: Year = None
) -> Production:
    acting = acting_provider(principal)
    if acting is not None and acting != provider_id:
        # Another provider's figures are not this provider's to see, nor to know exist.
        raise NotFound(f"No provider {provider_id}.")
    today = clock.now().date()
    return await service.provider_production(db, provider_id, year or today.year, today)


@router.get(
    "/v1/production",
    operation_id="list_production",
    responses=problem_responses(401, 403, 422, 503),
)
async def production_overview(
    _: CoordinatorOrService, db: DatabaseDep, clock: ClockDep, year: Year = None
) -> ProductionOverview:
    today = clock.now().date()
    return await service.production_overview(db, year or today.year, today)
