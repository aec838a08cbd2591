"""Providers ("aanbieders"): registered by coordinators, readable by anyone with a token."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from capacity.deps import DEFAULT_PAGE, Limit
from capacity.providers import service
from capacity.schemas import ProviderCreate, ProviderList, ProviderOut, ProviderUpdate
from common.auth import Coordinator, CurrentPrincipal
from common.bounds import Offset
from common.deps import ClockDep, DatabaseDep, IdPath
from common.openapi import problem_responses

router = APIRouter(tags=["providers"])


@router.post(
    "/v1/providers",
    status_code=status.HTTP_201_CREATED,
    operation_id="create_provider",
    responses=problem_responses(400, 401, 403, 409, 413, 422, 503),
)
async def create_provider(body: ProviderCreate, _: Coordinator, db: DatabaseDep, clock: ClockDep) -> ProviderOut:
    return await service.create_provider(db, clock, body)


@router.get(
    "/v1/providers",
    operation_id="list_providers",
    responses=problem_responses(401, 422, 503),
)
async def list_providers(
    _: CurrentPrincipal,
    db: DatabaseDep,
    limit: Limit = DEFAULT_PAGE,
    offset: Offset = 0,
    agb_code: Annotated[str | None, Query(pattern="^[0-9]{8}$", description="the provider with this AGB code")] = None,
) -> ProviderList:
    return await service.list_providers(db, limit, offset, agb_code=agb_code)


@router.get(
    "/v1/providers/{id}",
    operation_id="get_provider",
    responses=problem_responses(401, 404, 422, 503),
)
async def get_provider(provider_id: IdPath, _: CurrentPrincipal, db: DatabaseDep) -> ProviderOut:
    return await service.get_provider(db, provider_id)


@router.patch(
    "/v1/providers/{id}",
    operation_id="update_provider",
    responses=problem_responses(400, 401, 403, 404, 413, 422, 503),
)
async def update_provider(provider_id: IdPath, body: ProviderUpdate, _: Coordinator, db: DatabaseDep) -> ProviderOut:
    return await service.update_provider(db, provider_id, body)
