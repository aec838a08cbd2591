"""The dashboard's table of production agreements: each provider's agreed care days of this year per
care type, the days used and those expected by the year's end (capacity counts them)."""

from __future__ import annotations

from dataclasses import dataclass, field

from common.errors import ProblemError
from common.logging import get_logger
from intake import clients
from intake.context import Context
from intake.i18n import _

log = get_logger("regiepunt.intake.dashboard")


@dataclass(frozen=True)
class ProductionRow:
    provider_id: str
    care_type: str
    agreed_days: int | None
    used_days: int
    projected_days: int

    @property
    def used_percent(self) -> int | None:
        return round(100 * self.used_days / self.agreed_days) if self.agreed_days else None

    @property
    def over(self) -> bool:
        """Used up, or heading past the agreement by the year's end."""
        return self.agreed_days is not None and self.projected_days > self.agreed_days


@dataclass
class ProductionSection:
    year: int | None = None
    rows: list[ProductionRow] = field(default_factory=list)
    error: str | None = None


async def production(ctx: Context) -> ProductionSection:
    try:
        overview = await clients.production_overview(ctx.capacity)
    except ProblemError as exc:
        log.warning("dashboard_production_unavailable", error=exc.detail)
        return ProductionSection(
            error=_("Capacity cannot be reached right now; the production agreements will show again shortly.")
        )
    rows = [
        ProductionRow(provider.provider_id, item.care_type, item.agreed_days, item.used_days, item.projected_days)
        for provider in overview.items
        for item in provider.items
    ]
    return ProductionSection(year=overview.year, rows=rows)
