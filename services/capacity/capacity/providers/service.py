"""Use cases of providers: register one, list them, read one, find one by its AGB code."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from capacity import domain
from capacity.db import Provider, count_of, new_id
from capacity.schemas import ProviderCreate, ProviderList, ProviderOut
from common.clock import Clock, as_utc
from common.db import Database


def provider_out(provider: Provider) -> ProviderOut:
    return ProviderOut(
        id=provider.id,
        name=provider.name,
        agb_code=provider.agb_code,
        role=provider.role,  # type: ignore[arg-type]
        created_at=as_utc(provider.created_at),
    )


async def create_provider(db: Database, clock: Clock, data: ProviderCreate) -> ProviderOut:
    now = clock.now()
    provider = Provider(id=new_id(), name=data.name, agb_code=data.agb_code, role=data.role, created_at=now)
    try:
        async with db.transaction() as session:
            if await session.scalar(select(Provider.id).where(Provider.agb_code == data.agb_code)):
                raise domain.DuplicateAgbCode(data.agb_code)
            session.add(provider)
    except IntegrityError as exc:  # two coordinators registered the same provider at once
        raise domain.DuplicateAgbCode(data.agb_code) from exc
    return provider_out(provider)


async def list_providers(db: Database, limit: int, offset: int, *, agb_code: str | None = None) -> ProviderList:
    query = select(Provider).order_by(Provider.name, Provider.id)
    if agb_code is not None:
        query = query.where(Provider.agb_code == agb_code)
    async with db.read() as session:
        total = await session.scalar(count_of(query))
        rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return ProviderList(items=[provider_out(p) for p in rows], total=int(total or 0), limit=limit, offset=offset)


async def get_provider(db: Database, provider_id: str) -> ProviderOut:
    async with db.read() as session:
        provider = await session.get(Provider, provider_id)
    if provider is None:
        raise domain.ProviderNotFound(provider_id)
    return provider_out(provider)


async def provider_id_by_agb(db: Database, agb_code: str) -> str | None:
    """The id of the provider with an AGB code: a provider's token may name its provider by that code."""
    async with db.read() as session:
        return await session.scalar(select(Provider.id).where(Provider.agb_code == agb_code))
