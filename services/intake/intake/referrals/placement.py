"""A proposal accepted and the stay it begins, and the crisis stay's cap extended."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from common.auth import Principal
from common.clock import as_utc
from common.errors import Conflict, Forbidden, ProblemError
from common.logging import get_logger
from contracts.capacity import ConfirmationOut
from intake import clients, domain
from intake.access_log.store import record_referrals
from intake.context import Context, Row
from intake.db import capacity_commands, crisis_extensions, referrals
from intake.domain import Status
from intake.indicators import stays
from intake.notifications import events as notification_events
from intake.outbox.commands import CONFIRM_ACCEPT, close_capacity_command, store_capacity_command
from intake.referrals.rendering import render_one
from intake.referrals.store import load, load_for_stay_change
from intake.referrals.visibility import seen, visible
from intake.schemas import ReferralOut
from intake.signals import events as signal_events

log = get_logger("regiepunt.intake")

# Built once, with the values bound at execution (the columns to set named by the parameters): every
# accept writes them.
_PLACE = sa.update(referrals).where(referrals.c.id == sa.bindparam("referral_id")).returning(*referrals.c)
_ACCEPTS_DONE = (
    sa.update(capacity_commands)
    .where(
        capacity_commands.c.referral_id == sa.bindparam("for_referral"),
        capacity_commands.c.kind == CONFIRM_ACCEPT,
        capacity_commands.c.done_at.is_(None),
    )
    .values(attempts=capacity_commands.c.attempts + 1)
)


def require_proposed_to(principal: Principal, row: Row, now: datetime) -> None:
    domain.require_status(row["status"], (Status.proposed,), "answer a proposal for")
    if not principal.acts_for_provider(row["proposal_provider_id"]):
        raise Forbidden("Only the provider of the proposed unit may answer this proposal.")
    if row["proposal_expires_at"] is not None and as_utc(row["proposal_expires_at"]) <= now:
        raise domain.StateConflict("The proposal has expired; the place is no longer held.")


async def accept(ctx: Context, principal: Principal, referral_id: str, start_date: date) -> ReferralOut:
    row = await seen(ctx, principal, referral_id)
    require_proposed_to(principal, row, ctx.now())
    domain.check_start_date(start_date, ctx.today())
    reservation_id = row["proposal_reservation_id"]
    # The accept is stored before capacity is asked: should capacity confirm and its answer, or this
    # process, be lost, the workers complete it (outbox.capacity_commands.complete_accept) instead of
    # leaving the child proposed here and placed there.
    command_id = await store_capacity_command(
        ctx,
        referral_id,
        CONFIRM_ACCEPT,
        reservation_id,
        {"start_date": start_date.isoformat()},
        delay=timedelta(seconds=ctx.settings.accept_completion_seconds),
    )
    try:
        confirmed = await clients.confirm_reservation(ctx.capacity, reservation_id, start_date)
    except Conflict as exc:
        await close_capacity_command(ctx, command_id, exc.detail)
        raise
    return await record_placement(ctx, principal, referral_id, reservation_id, confirmed)


async def record_placement(
    ctx: Context, principal: Principal, referral_id: str, reservation_id: str, confirmed: ConfirmationOut
) -> ReferralOut:
    """Capacity has confirmed the held place as a stay: the child is placed, from the stay's start date,
    and the placement keeps whether the region contracted its provider at that moment (as capacity's
    confirmation says, or, when it does not say, as capacity says when asked)."""
    occupancy = confirmed.occupancy
    start_date = occupancy.start_date
    contracted = confirmed.provider_contracted
    if contracted is None:
        contracted = await provider_contracted(ctx, occupancy.provider_id)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await load_for_stay_change(session, referral_id)
        assert current is not None
        if current["status"] == Status.placed and current["placement_reservation_id"] == reservation_id:
            # Recorded already, by the workers completing this accept or by a repeated accept.
            return await render_one(session, ctx, current, principal)
        domain.require_status(current["status"], (Status.proposed,), "accept")
        if current["proposal_reservation_id"] != reservation_id:
            raise domain.StateConflict("The proposal changed while it was being accepted.")
        placed = await session.execute(
            _PLACE,
            {
                "referral_id": referral_id,
                "status": Status.placed.value,
                "placement_unit_id": current["proposal_unit_id"],
                "placement_provider_id": current["proposal_provider_id"],
                "placement_in_region": current["proposal_in_region"],
                "placement_contracted": contracted,
                "placement_reservation_id": reservation_id,
                "placement_occupancy_id": occupancy.id,
                "start_date": start_date,
                "end_date": None,
                "end_reason": None,
                "crisis_end_date": domain.crisis_end_date(
                    current["care_type"], start_date, ctx.settings.crisis_cap_days
                ),
                "updated_at": now,
            },
        )
        updated: Row | None = placed.mappings().one()
        if referral_id in await stays.refresh_child(session, current["client_key"]):
            updated = await load(session, referral_id)  # its own stay context changed as well
        # Every stored attempt to accept this proposal is done now.
        await session.execute(_ACCEPTS_DONE, {"for_referral": referral_id, "done_at": now})
        await record_referrals(session, principal, "accept", [current], now)
        assert updated is not None
        await signal_events.on_placed(session, ctx.settings, updated, ctx.today(), now)
        await notification_events.on_placed(session, updated, now)
        return await render_one(session, ctx, updated, principal)


async def provider_contracted(ctx: Context, provider_id: str) -> bool | None:
    """Whether the region contracted the provider, as capacity says now; None when capacity cannot say
    (the placement is recorded all the same: the child's place does not wait for an indicator)."""
    try:
        provider = await clients.get_provider(ctx.capacity, provider_id)
    except ProblemError as exc:
        log.warning("provider_contract_unknown", provider_id=provider_id, error=exc.detail)
        return None
    return None if provider is None else provider.contracted


async def extend_crisis(ctx: Context, principal: Principal, referral_id: str, days: int, reason: str) -> ReferralOut:
    now = ctx.now()
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id, lock=True)
        domain.require_status(row["status"], (Status.placed,), "extend the crisis stay of")
        if row["crisis_end_date"] is None:
            raise domain.StateConflict("Only a crisis stay has a cap to extend.")
        new_end = row["crisis_end_date"] + timedelta(days=days)
        await session.execute(
            sa.insert(crisis_extensions).values(
                id=str(uuid.uuid4()),
                referral_id=referral_id,
                days=days,
                reason=reason,
                previous_end_date=row["crisis_end_date"],
                new_end_date=new_end,
                extended_by=principal.sub,
                created_at=now,
            )
        )
        await signal_events.on_crisis_extended(session, principal, row, days, reason, new_end, now)
        await session.execute(
            sa.update(referrals).where(referrals.c.id == referral_id).values(crisis_end_date=new_end, updated_at=now)
        )
        await record_referrals(session, principal, "extend_crisis", [row], now)
        updated = await load(session, referral_id)
        assert updated is not None
        return await render_one(session, ctx, updated, principal)
