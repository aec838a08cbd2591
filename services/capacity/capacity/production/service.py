"""Use cases of production agreements: a provider's use of its agreements in a year, all providers'
use for the dashboard, and the use of capping agreements that matching weighs."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.db import ProductionAgreementRow, Provider
from capacity.production import rules, store
from capacity.schemas import Production, ProductionItem, ProductionOverview, ProviderProduction
from common.db import Database
from contracts import lists


def _items(agreements: list[dict[str, Any]], use: dict[str, rules.Use], year: int) -> list[ProductionItem]:
    """One item per care type with an agreement in `year` or care days used in it."""
    agreed = {a["care_type"]: int(a["care_days"]) for a in agreements if a["year"] == year}
    return [
        ProductionItem(
            care_type=care_type,  # type: ignore[arg-type]
            agreed_days=agreed.get(care_type),
            used_days=use[care_type].used_days if care_type in use else 0,
            projected_days=use[care_type].projected_days if care_type in use else 0,
        )
        for care_type in sorted(set(agreed) | set(use))
    ]


async def provider_production(db: Database, provider_id: str, year: int, today: date) -> Production:
    async with db.read() as session:
        if await session.get(Provider, provider_id) is None:
            raise domain.ProviderNotFound(provider_id)
        agreements = (await store.agreements_of(session, [provider_id]))[provider_id]
        use = (await store.year_use(session, [provider_id], year, today))[provider_id]
    items = _items(agreements, use, year)
    return Production(year=year, items=items, **lists.whole(len(items)))


async def production_overview(db: Database, year: int, today: date) -> ProductionOverview:
    """Every provider with an agreement in `year`, with its use, by provider id."""
    async with db.read() as session:
        query = select(ProductionAgreementRow.provider_id).where(ProductionAgreementRow.year == year).distinct()
        provider_ids = sorted(await session.scalars(query))
        agreements = await store.agreements_of(session, provider_ids)
        use = await store.year_use(session, provider_ids, year, today)
    overview = []
    for provider_id in provider_ids:
        items = _items(agreements[provider_id], use[provider_id], year)
        overview.append(ProviderProduction(provider_id=provider_id, year=year, items=items, **lists.whole(len(items))))
    return ProductionOverview(year=year, items=overview, **lists.whole(len(overview)))


async def capping_use(
    session: AsyncSession, care_type: str, today: date, agreed: dict[str, int] | None = None
) -> dict[str, dict[str, int]]:
    """The operational providers with an agreement for this care type this year, each with the days
    agreed and used (the shape of contracts.group.ProductionUse): what matching caps on. `agreed`:
    those agreements as read already (provider id: care days)."""
    if agreed is None:
        agreed = await store.capping_agreements(session, care_type, today.year)
    if not agreed:
        return {}
    use = await store.year_use(session, sorted(agreed), today.year, today)
    found: dict[str, dict[str, int]] = {}
    for provider_id, care_days in agreed.items():
        kind = use[provider_id].get(care_type)
        found[provider_id] = {"agreed_days": care_days, "used_days": kind.used_days if kind is not None else 0}
    return found
