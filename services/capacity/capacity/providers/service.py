"""Use cases of providers: register one, list them, read one, find one by its AGB code, change its
production agreements."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from capacity import domain
from capacity.db import Provider, count_of, new_id, next_change
from capacity.production.store import agreements_of, replace_agreements
from capacity.schemas import ProductionAgreement, ProviderCreate, ProviderList, ProviderOut, ProviderUpdate
from common.clock import Clock, as_utc
from common.db import Database
from contracts import lists


def provider_out(provider: Provider, agreements: list[dict[str, Any]] | None = None) -> ProviderOut:
    return ProviderOut(
        id=provider.id,
        name=provider.name,
        agb_code=provider.agb_code,
        role=provider.role,  # type: ignore[arg-type]
        created_at=as_utc(provider.created_at),
        production_agreements=[ProductionAgreement.model_validate(a) for a in agreements or []],
        contracted=provider.contracted,
    )


def _agreement_rows(agreements: list[ProductionAgreement]) -> list[dict[str, Any]]:
    domain.check_production_agreements([(a.year, str(a.care_type)) for a in agreements])
    return [a.model_dump(mode="json") for a in agreements]


async def create_provider(db: Database, clock: Clock, data: ProviderCreate) -> ProviderOut:
    now = clock.now()
    agreements = _agreement_rows(data.production_agreements)
    provider = Provider(
        id=new_id(), name=data.name, agb_code=data.agb_code, role=data.role, created_at=now, contracted=data.contracted
    )
    try:
        async with db.transaction() as session:
            if await session.scalar(select(Provider.id).where(Provider.agb_code == data.agb_code)):
                raise domain.DuplicateAgbCode(data.agb_code)
            session.add(provider)
            await session.flush()
            await replace_agreements(session, provider.id, agreements)
    except IntegrityError as exc:  # two coordinators registered the same provider at once
        raise domain.DuplicateAgbCode(data.agb_code) from exc
    return provider_out(provider, agreements)


async def list_providers(db: Database, limit: int, offset: int, *, agb_code: str | None = None) -> ProviderList:
    query = select(Provider).order_by(Provider.name, Provider.id)
    if agb_code is not None:
        query = query.where(Provider.agb_code == agb_code)
    async with db.read() as session:
        total = await session.scalar(count_of(query))
        rows = (await session.scalars(query.limit(limit).offset(offset))).all()
        agreements = await agreements_of(session, [p.id for p in rows])
    items = [provider_out(p, agreements[p.id]) for p in rows]
    return ProviderList(items=items, **lists.page(int(total or 0), limit, offset, len(items)))


async def get_provider(db: Database, provider_id: str) -> ProviderOut:
    async with db.read() as session:
        provider = await session.get(Provider, provider_id)
        if provider is None:
            raise domain.ProviderNotFound(provider_id)
        agreements = await agreements_of(session, [provider_id])
    return provider_out(provider, agreements[provider_id])


async def update_provider(db: Database, provider_id: str, data: ProviderUpdate) -> ProviderOut:
    """Change what the update names, in one transaction: the agreements (replaced as a whole) and
    whether the region contracted the provider."""
    replacing = _agreement_rows(data.production_agreements) if data.production_agreements is not None else None
    async with db.transaction() as session:
        if replacing is not None:
            # Numbered before the provider is locked: a unit written meanwhile numbers its change first.
            await next_change(session)
        provider = await session.get(Provider, provider_id, with_for_update=True)
        if provider is None:
            raise domain.ProviderNotFound(provider_id)
        if replacing is not None:
            await replace_agreements(session, provider_id, replacing)
        if data.contracted is not None:
            provider.contracted = data.contracted
        agreements = await agreements_of(session, [provider_id])
    return provider_out(provider, agreements[provider_id])


async def provider_id_by_agb(db: Database, agb_code: str) -> str | None:
    """The id of the provider with an AGB code: a provider's token may name its provider by that code."""
    async with db.read() as session:
        return await session.scalar(select(Provider.id).where(Provider.agb_code == agb_code))
