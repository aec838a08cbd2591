"""Providers ("aanbieders"): registered by coordinators, readable by anyone with a token."""

from __future__ import annotations

from fastapi import APIRouter, status

from capacity import service
from capacity.api.deps import DEFAULT_PAGE, Limit, Offset
from capacity.schemas import ProviderCreate, ProviderList, ProviderOut
from common.auth import Coordinator, CurrentPrincipal
from common.deps import ClockDep, DatabaseDep, IdPath

router = APIRouter(tags=["providers"])


@router.post("/v1/providers", status_code=status.HTTP_201_CREATED)
async def create_provider(body: ProviderCreate, _: Coordinator, db: DatabaseDep, clock: ClockDep) -> ProviderOut:
    return await service.create_provider(db, clock.now(), body)


@router.get("/v1/providers")
async def list_providers(
    _: CurrentPrincipal, db: DatabaseDep, limit: Limit = DEFAULT_PAGE, offset: Offset = 0
) -> ProviderList:
    return await service.list_providers(db, limit, offset)


@router.get("/v1/providers/{id}")
async def get_provider(provider_id: IdPath, _: CurrentPrincipal, db: DatabaseDep) -> ProviderOut:
    return await service.get_provider(db, provider_id)
