"""The statements of production agreements: a provider's agreements, and the stays whose care days count."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from capacity.db import next_change, occupancies, production_agreements, providers, units
from capacity.production.rules import Stay

_agreement = production_agreements.c
_stay = occupancies.c

_STAYS_IN_YEAR = (
    select(_stay.provider_id, units.c.care_type, _stay.start_date, _stay.end_date)
    .select_from(occupancies.join(units, units.c.id == _stay.unit_id))
    .where(
        _stay.provider_id.in_(bindparam("provider_ids", expanding=True)),
        _stay.start_date <= bindparam("last"),
        or_(_stay.end_date.is_(None), _stay.end_date > bindparam("first")),
    )
)

# The agreements of operational providers for one care type and year: the only ones that cap.
_CAPPING = (
    select(_agreement.provider_id, _agreement.care_days)
    .select_from(production_agreements.join(providers, providers.c.id == _agreement.provider_id))
    .where(
        providers.c.role == "operational",
        _agreement.year == bindparam("year"),
        _agreement.care_type == bindparam("care_type"),
    )
)


async def agreements_of(session: AsyncSession, provider_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """Each provider's agreements, by year and care type."""
    found: dict[str, list[dict[str, Any]]] = {provider_id: [] for provider_id in provider_ids}
    if not provider_ids:
        return found
    query = (
        select(_agreement.provider_id, _agreement.year, _agreement.care_type, _agreement.care_days)
        .where(_agreement.provider_id.in_(provider_ids))
        .order_by(_agreement.provider_id, _agreement.year, _agreement.care_type)
    )
    for provider_id, year, care_type, care_days in (await session.execute(query)).all():
        found[provider_id].append({"year": year, "care_type": care_type, "care_days": care_days})
    return found


async def replace_agreements(session: AsyncSession, provider_id: str, agreements: Iterable[dict[str, Any]]) -> None:
    """Replace them as a whole; matching's read model sees the provider changed (db.next_change)."""
    change_seq = await next_change(session)
    await session.execute(update(providers).where(providers.c.id == provider_id).values(change_seq=change_seq))
    await session.execute(delete(production_agreements).where(_agreement.provider_id == provider_id))
    rows = [{"provider_id": provider_id, **agreement} for agreement in agreements]
    if rows:
        await session.execute(insert(production_agreements), rows)


async def stays_in_year(session: AsyncSession, provider_ids: list[str], year: int) -> dict[str, list[Stay]]:
    """The stays of these providers that touch `year`, by provider."""
    found: dict[str, list[Stay]] = {provider_id: [] for provider_id in provider_ids}
    if not provider_ids:
        return found
    values = {"provider_ids": provider_ids, "first": date(year, 1, 1), "last": date(year, 12, 31)}
    for provider_id, care_type, start, end in (await session.execute(_STAYS_IN_YEAR, values)).all():
        found[provider_id].append(Stay(care_type, start, end))
    return found


async def capping_agreements(session: AsyncSession, care_type: str, year: int) -> dict[str, int]:
    """The care days agreed for this care type and year by each operational provider that agreed any."""
    rows = (await session.execute(_CAPPING, {"care_type": care_type, "year": year})).all()
    return {provider_id: int(care_days) for provider_id, care_days in rows}
