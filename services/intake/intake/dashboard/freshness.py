"""How fresh the region's availability is, for the coordinators' overview: per provider the share of its
open units whose free places were confirmed in the last day, and the stale units, oldest first."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from common.errors import ProblemError
from common.logging import get_logger
from contracts.capacity import NamedStaleUnit, UnitFreshness
from intake import clients
from intake.context import Context

log = get_logger("regiepunt.intake.dashboard")

LAST_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ProviderFreshness:
    provider_id: str
    units: int
    confirmed_last_day: int

    @property
    def share(self) -> float | None:
        """Percent of the provider's open units confirmed in the last day."""
        return round(100 * self.confirmed_last_day / self.units, 1) if self.units else None


@dataclass(frozen=True)
class Freshness:
    # Least fresh first, so that the providers to call come first.
    providers: list[ProviderFreshness] = field(default_factory=list)
    stale_units: list[NamedStaleUnit] = field(default_factory=list)
    error: str | None = None


def freshness_of(counted: UnitFreshness) -> Freshness:
    """The figures as capacity counted them: the least fresh providers first, the stale units oldest first."""
    providers = [ProviderFreshness(p.provider_id, p.units, p.confirmed_since) for p in counted.providers]
    providers.sort(key=lambda p: (p.share if p.share is not None else 100.0, p.provider_id))
    stale = sorted(counted.stale_units, key=lambda u: (u.availability_confirmed_at, u.id))
    return Freshness(providers=providers, stale_units=stale)


async def unit_freshness(ctx: Context) -> Freshness:
    now = ctx.now()
    try:
        counted = await clients.unit_freshness(ctx.capacity, now - LAST_DAY)
    except ProblemError as exc:
        log.warning("dashboard_freshness_unavailable", error=exc.detail)
        return Freshness(error="Capacity cannot be reached right now; the freshness of the places shows again shortly.")
    return freshness_of(counted)
