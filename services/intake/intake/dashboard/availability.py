"""The dashboard's view of how fresh the registered availability is: the units whose free places were
not confirmed for too long (stale), and per provider the share of its open units confirmed in the last
day. Registries elsewhere failed when providers stopped updating; this makes it visible."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from common.logging import get_logger
from intake.context import Context
from intake.i18n import _

log = get_logger("regiepunt.intake.dashboard")

PAGE = 200
# "Confirmed in the last day", as the region asks it of every provider.
RECENT = timedelta(days=1)


@dataclass(frozen=True)
class StaleUnit:
    name: str
    provider_id: str
    confirmed_at: datetime | None


@dataclass(frozen=True)
class ProviderFreshness:
    provider_id: str
    units: int
    confirmed: int

    @property
    def share(self) -> float:
        return 100 * self.confirmed / self.units if self.units else 0.0


@dataclass
class AvailabilitySection:
    stale: list[StaleUnit] = field(default_factory=list)
    providers: list[ProviderFreshness] = field(default_factory=list)
    units: int = 0
    error: str | None = None


async def availability(ctx: Context) -> AvailabilitySection:
    """Every open unit's confirmation, read from capacity's unit list a page at a time."""
    now = ctx.now()
    units: list[dict[str, object]] = []
    offset: int | None = 0
    try:
        while offset is not None:
            response = await ctx.capacity.get("/v1/units", params={"limit": PAGE, "offset": offset})
            if response.status_code != 200:
                raise RuntimeError(f"capacity answered {response.status_code}")
            body = response.json()
            units += [unit for unit in body["items"] if not unit.get("closed")]
            offset = body.get("next_offset")
    except Exception as exc:  # the section says so; the rest of the overview stands
        log.warning("dashboard_availability_unavailable", error=type(exc).__name__)
        return AvailabilitySection(error=_("Capacity cannot be reached right now; the places will show again shortly."))
    per_provider: dict[str, list[int]] = {}
    stale: list[StaleUnit] = []
    for unit in units:
        confirmed_at = _moment(unit.get("availability_confirmed_at"))
        counts = per_provider.setdefault(str(unit.get("provider_id")), [0, 0])
        counts[0] += 1
        if confirmed_at is not None and now - confirmed_at <= RECENT:
            counts[1] += 1
        if unit.get("availability_stale"):
            stale.append(StaleUnit(str(unit.get("name")), str(unit.get("provider_id")), confirmed_at))
    stale.sort(key=lambda unit: (unit.confirmed_at is not None, unit.confirmed_at or now, unit.name))
    providers = sorted(
        (ProviderFreshness(provider, n, confirmed) for provider, (n, confirmed) in per_provider.items()),
        key=lambda row: (row.share, row.provider_id),
    )
    return AvailabilitySection(stale=stale, providers=providers, units=len(units))


def _moment(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None
