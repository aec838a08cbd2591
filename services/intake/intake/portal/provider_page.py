"""What a provider's page shows, gathered through the use cases the API runs (intake's own, which check
the provider and write the access log) and capacity's API: its units, the proposals waiting for its
answer, its placed children and, for strategic and tactical partners, the children waiting for a place."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import date, datetime

from common.auth import Principal
from common.errors import ProblemError
from common.logging import get_logger
from contracts.capacity import ProviderOut, UnitOut
from intake.context import Context
from intake.domain import Status
from intake.i18n import N_
from intake.portal import provider_units
from intake.referrals import reading
from intake.referrals.visibility import JOINT_DUTY_ROLES
from intake.schemas import ReferralOut

log = get_logger("regiepunt.intake.portal")

PAGE = 200
WAITING_SHOWN = 50


@dataclass(frozen=True)
class Proposal:
    referral: ReferralOut
    unit_name: str
    age: int
    expires_at: datetime
    seconds_left: int

    @property
    def crisis(self) -> bool:
        return self.referral.care_type == "crisis"


@dataclass(frozen=True)
class Placed:
    referral: ReferralOut
    unit_name: str
    age: int

    @property
    def crisis_days_left(self) -> int | None:
        return self.referral.placement.crisis_days_left if self.referral.placement else None

    @property
    def at_risk(self) -> bool:
        return any(signal.type == "placement_at_risk" for signal in self.referral.signals)


@dataclass
class ProviderPage:
    provider: ProviderOut | None
    units: list[UnitOut]
    units_error: str | None
    proposals: list[Proposal]
    placed: list[Placed]
    joint_duty: bool
    waiting: list[ReferralOut] = field(default_factory=list)
    waiting_total: int = 0
    today: date | None = None
    now: datetime | None = None

    def age(self, birth_date: date) -> int:
        return age_on(birth_date, self.today or birth_date)

    @property
    def open_units(self) -> list[UnitOut]:
        return [unit for unit in self.units if not unit.closed]

    @property
    def stale_units(self) -> int:
        return sum(1 for unit in self.units if unit.availability_stale and not unit.closed)


def age_on(birth_date: date, today: date) -> int:
    return today.year - birth_date.year - ((today.month, today.day) < (birth_date.month, birth_date.day))


async def _all(ctx: Context, principal: Principal, status: Status) -> list[ReferralOut]:
    """Every referral of a status the provider may list (a provider has tens, not thousands)."""
    found: list[ReferralOut] = []
    offset: int | None = 0
    while offset is not None:
        page = await reading.list_referrals(ctx, principal, status, PAGE, offset)
        found.extend(page.items)
        offset = page.next_offset
    return found


async def _units(ctx: Context, principal: Principal) -> tuple[list[UnitOut], str | None]:
    try:
        return await provider_units.units(ctx, principal), None
    except ProblemError as exc:
        log.warning("portal_units_unavailable", error=exc.detail)
        return [], N_("Capacity cannot be reached right now; your units will show again shortly.")


async def gather(ctx: Context, principal: Principal) -> ProviderPage:
    today, now = ctx.today(), ctx.now()
    me = principal.provider_id
    (units, units_error), provider = await asyncio.gather(_units(ctx, principal), _provider(ctx, principal))
    names = {unit.id: unit.name for unit in units}
    proposed = [r for r in await _all(ctx, principal, Status.proposed) if r.proposal and r.proposal.provider_id == me]
    placed = [r for r in await _all(ctx, principal, Status.placed) if r.placement and r.placement.provider_id == me]
    proposals = [
        Proposal(
            referral=referral,
            unit_name=names.get(referral.proposal.unit_id, "–"),
            age=age_on(referral.client.birth_date, today),
            expires_at=referral.proposal.expires_at,
            seconds_left=max(0, int((referral.proposal.expires_at - now).total_seconds())),
        )
        for referral in proposed
        if referral.proposal is not None
    ]
    # Crisis first, then the one that lapses soonest.
    proposals.sort(key=lambda item: (not item.crisis, item.expires_at, item.referral.id))
    children = [
        Placed(
            referral=referral,
            unit_name=names.get(referral.placement.unit_id, "–"),
            age=age_on(referral.client.birth_date, today),
        )
        for referral in placed
        if referral.placement is not None
    ]
    # Crisis stays first, fewest days left first.
    children.sort(key=lambda item: (item.crisis_days_left is None, item.crisis_days_left or 0, item.unit_name))
    joint_duty = provider is not None and provider.role in JOINT_DUTY_ROLES
    page = ProviderPage(
        provider=provider,
        units=units,
        units_error=units_error,
        proposals=proposals,
        placed=children,
        joint_duty=joint_duty,
        today=today,
        now=now,
    )
    if joint_duty:
        page.waiting, page.waiting_total = await reading.longest_waiting(
            ctx, principal, [Status.unmatched], WAITING_SHOWN
        )
    return page


async def _provider(ctx: Context, principal: Principal) -> ProviderOut | None:
    try:
        return await provider_units.provider(ctx, principal)
    except ProblemError as exc:
        log.warning("portal_provider_unavailable", error=exc.detail)
        return None
