"""A referral moved on: a proposal declined or expired, a referral withdrawn, a stay ended, a place
offered to a waiting child."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from common.auth import Principal
from common.errors import Conflict, DependencyUnavailable, Forbidden, InvalidInput
from common.logging import get_logger
from intake import clients, domain
from intake.access_log.store import ReferralNotVisible, record_referrals
from intake.context import SYSTEM, Context, Row
from intake.db import capacity_commands, proposal_declines, referrals
from intake.domain import Status
from intake.indicators import stays
from intake.notifications import events as notification_events
from intake.outbox.capacity_commands import complete_lost_accept, send_capacity_command, send_quietly
from intake.outbox.commands import END_OCCUPANCY, queue_holds_release
from intake.outbox.match_requests import close_open_requests, close_open_requests_by_request, enqueue_match, run_match
from intake.referral_groups.matching import rematch_group, send_and_rematch
from intake.referral_groups.store import kept_together
from intake.referrals.placement import require_proposed_to
from intake.referrals.rendering import render_one
from intake.referrals.store import NO_PROPOSAL, load, load_for_stay_change
from intake.referrals.visibility import provider_shares_joint_duty, seen
from intake.schemas import ReferralOut
from intake.signals import events as signal_events

log = get_logger("regiepunt.intake")

# Built once, with the values bound at execution (the columns to set named by the parameters).
_UPDATE = sa.update(referrals).where(referrals.c.id == sa.bindparam("referral_id"))
_END = _UPDATE.returning(*referrals.c)
_INSERT_DECLINE = sa.insert(proposal_declines)
_INSERT_COMMAND = sa.insert(capacity_commands)
_EXPIRED = (
    sa.select(referrals.c.id, referrals.c.proposal_reservation_id)
    .where(
        referrals.c.status == Status.proposed.value,
        referrals.c.proposal_expires_at <= sa.bindparam("now", type_=referrals.c.proposal_expires_at.type),
    )
    .order_by(referrals.c.proposal_expires_at)
    .limit(sa.bindparam("batch", type_=sa.Integer))
)


async def _rematch_without_proposed_unit(
    ctx: Context,
    principal: Principal,
    referral_id: str,
    reservation_id: str,
    action: str,
    *,
    declined_because: tuple[str, str | None] | None = None,
) -> str | _Rematch | None:
    """Give the held place back and queue a new match that leaves that unit out; a provider's reason
    for declining (a code, and free text that goes to no log line and no other service) is kept with
    the referral."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await load(session, referral_id, lock=True)
        if (
            current is None
            or current["status"] != Status.proposed
            or current["proposal_reservation_id"] != reservation_id
        ):
            return None
        before = current
        excluded = list(current["excluded_unit_ids"] or [])
        if current["proposal_unit_id"] not in excluded:
            excluded.append(current["proposal_unit_id"])
        await session.execute(
            _UPDATE,
            {
                "referral_id": referral_id,
                "status": Status.pending.value,
                "excluded_unit_ids": excluded,
                "updated_at": now,
                **NO_PROPOSAL,
            },
        )
        if declined_because is not None:
            reason_code, reason = declined_because
            await session.execute(
                _INSERT_DECLINE,
                {
                    "id": str(uuid.uuid4()),
                    "referral_id": referral_id,
                    "provider_id": current["proposal_provider_id"],
                    "unit_id": current["proposal_unit_id"],
                    "reason_code": reason_code,
                    "reason": reason,
                    "declined_by": principal.sub,
                    "created_at": now,
                },
            )
        await record_referrals(session, principal, action, [current], now)
        current = await load(session, referral_id)
        assert current is not None
        if action == "expire":
            await notification_events.on_proposal_expired(session, before, current, now)
        if await kept_together(session, current["group_id"], ctx.settings.matching_factors):
            # Siblings kept together: their places go back too, and the group is matched again as a whole.
            group_request, releases = await rematch_group(session, ctx, current, now)
            return _Rematch(group_request, releases)
        request = await enqueue_match(session, ctx, current)
        return None if request is None else str(request["request_id"])


@dataclass(frozen=True)
class _Rematch:
    """A group kept together to be matched again once its siblings' places are given back."""

    request: Row | None
    releases: list[str]


async def _run_rematch(ctx: Context, queued: str | _Rematch) -> None:
    if isinstance(queued, _Rematch):
        await send_and_rematch(ctx, queued.request, queued.releases)
    else:
        await run_match(ctx, queued)


async def decline(
    ctx: Context, principal: Principal, referral_id: str, reason_code: str, reason: str | None
) -> ReferralOut:
    if ctx.vocabulary.unknown("decline_reasons", [reason_code]):
        raise InvalidInput("reason_code", ctx.vocabulary.refusal("decline_reasons", reason_code))
    row = await seen(ctx, principal, referral_id)
    require_proposed_to(principal, row, ctx.now())
    reservation_id = row["proposal_reservation_id"]
    await _release_proposed_place(ctx, referral_id, reservation_id)
    log.info("proposal_declined", referral_id=referral_id, unit_id=row["proposal_unit_id"], reason_code=reason_code)
    queued = await _rematch_without_proposed_unit(
        ctx, principal, referral_id, reservation_id, "decline", declined_because=(reason_code, reason)
    )
    if queued is None:
        raise domain.StateConflict("The proposal changed while it was being declined.")
    await _run_rematch(ctx, queued)
    async with ctx.database.read() as session:
        updated = await load(session, referral_id)
        assert updated is not None
        return await render_one(session, ctx, updated, principal)


async def _release_proposed_place(ctx: Context, referral_id: str, reservation_id: str) -> None:
    """Give the proposed place back before the proposal is dropped. Capacity refuses when it confirmed
    the place already: the provider accepted and intake had not recorded it yet; it is recorded now,
    and the step that wanted the place back answers 409."""
    try:
        await clients.release_reservation(ctx.capacity, reservation_id)
    except Conflict:
        await complete_lost_accept(ctx, referral_id, reservation_id)
        raise domain.StateConflict(
            "The provider has accepted this proposal: the child is placed. End the stay instead."
        ) from None


async def withdraw(ctx: Context, principal: Principal, referral_id: str) -> ReferralOut:
    row = await seen(ctx, principal, referral_id)
    if principal.role == "referrer" and row["referrer_org"] != principal.org:
        raise ReferralNotVisible(principal, referral_id, row["client_key"])
    open_states = (Status.pending, Status.proposed, Status.unmatched)
    domain.require_status(row["status"], open_states, "withdraw")
    if row["status"] == Status.proposed and row["proposal_reservation_id"]:
        await _release_proposed_place(ctx, referral_id, row["proposal_reservation_id"])
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await load(session, referral_id, lock=True)
        assert current is not None
        domain.require_status(current["status"], open_states, "withdraw")
        if (
            current["status"] == Status.proposed
            and current["proposal_reservation_id"] != row["proposal_reservation_id"]
        ):
            raise domain.StateConflict("The proposal changed while the referral was being withdrawn.")
        await session.execute(
            _UPDATE, {"referral_id": referral_id, "status": Status.withdrawn.value, "updated_at": now, **NO_PROPOSAL}
        )
        await close_open_requests(session, referral_id, now, "withdrawn")
        # Any place still held for the child (by a request whose decision was never stored) is freed.
        release = await queue_holds_release(session, ctx, referral_id)
        await record_referrals(session, principal, "withdraw", [current], now)
        updated = await load(session, referral_id)
        assert updated is not None
        await notification_events.on_withdrawn(session, current, updated, now)
        withdrawn = await render_one(session, ctx, updated, principal)
    await send_quietly(ctx, release)
    return withdrawn


async def end_stay(
    ctx: Context, principal: Principal, referral_id: str, end_date: date, reason: domain.EndReason
) -> ReferralOut:
    """The stay ends here first; freeing the place in capacity is a stored command sent at once and
    retried by the workers while capacity cannot be reached, so the two never drift apart."""
    row = await seen(ctx, principal, referral_id)
    if principal.role == "provider" and not principal.acts_for_provider(row["placement_provider_id"]):
        raise Forbidden("Only the provider of the placement may end this stay.")
    domain.require_status(row["status"], (Status.placed,), "end the stay of")
    domain.check_end_date(end_date, row["start_date"], ctx.today())
    now = ctx.now()
    command_id: str | None = None
    async with ctx.database.transaction() as session:
        current = await load_for_stay_change(session, referral_id)
        assert current is not None
        domain.require_status(current["status"], (Status.placed,), "end the stay of")
        ended_row = await session.execute(
            _END,
            {
                "referral_id": referral_id,
                "status": Status.ended.value,
                "end_date": end_date,
                "end_reason": reason.value,
                "updated_at": now,
            },
        )
        updated: Row | None = ended_row.mappings().one()
        if referral_id in await stays.refresh_child(session, current["client_key"]):
            updated = await load(session, referral_id)  # its own stay context changed as well
        if current["placement_occupancy_id"]:
            command_id = str(uuid.uuid4())
            await session.execute(
                _INSERT_COMMAND,
                {
                    "id": command_id,
                    "referral_id": referral_id,
                    "kind": END_OCCUPANCY,
                    "target_id": current["placement_occupancy_id"],
                    "payload": {"end_date": end_date.isoformat()},
                    "created_at": now,
                    "attempts": 0,
                    "next_attempt_at": now,
                },
            )
        release = await queue_holds_release(session, ctx, referral_id)
        await record_referrals(session, principal, "end", [current], now)
        assert updated is not None
        await signal_events.on_stay_ended(session, ctx.settings, updated, ctx.today(), now)
        await notification_events.on_ended(session, updated, now)
        ended = await render_one(session, ctx, updated, principal)
    if command_id is not None:
        await send_capacity_command(ctx, command_id)
    await send_quietly(ctx, release)
    return ended


async def offer(ctx: Context, principal: Principal, referral_id: str, unit_id: str) -> ReferralOut:
    """A strategic or tactical partner offers one of its own units to a waiting child."""
    if not await provider_shares_joint_duty(ctx, principal.provider_id):
        raise Forbidden("Only strategic and tactical providers may offer a place to a waiting child.")
    row = await seen(ctx, principal, referral_id)
    domain.require_status(row["status"], (Status.unmatched,), "offer a place to")
    async with ctx.database.read() as session:
        if await kept_together(session, row["group_id"], ctx.settings.matching_factors):
            # One place for one of them would split the siblings without a recorded reason.
            raise domain.StateConflict(
                "This child waits with its siblings for a joint place; it cannot be offered one alone."
            )
    unit = await clients.get_unit(ctx.capacity, unit_id)
    if unit is None or unit.provider_id != principal.provider_id:
        raise InvalidInput("unit_id", "is not a unit of your provider")
    async with ctx.database.transaction() as session:
        current = await load(session, referral_id, lock=True)
        assert current is not None
        domain.require_status(current["status"], (Status.unmatched,), "offer a place to")
        await record_referrals(session, principal, "offer", [current], ctx.now())
        request = await enqueue_match(session, ctx, current, unit_id=unit_id)
    if request is None:
        raise domain.StateConflict("The referral is being matched right now; try again.")
    request_id = str(request["request_id"])
    decision = await run_match(ctx, request_id)
    if decision is None:
        async with ctx.database.transaction() as session:
            await close_open_requests_by_request(session, request_id, ctx.now())
            # Matching may have held the offered place before it could not answer.
            release = await queue_holds_release(session, ctx, referral_id, request_ids=[request_id])
        await send_quietly(ctx, release)
        raise DependencyUnavailable("Matching cannot be reached right now; the offer was not made.")
    if decision.outcome != "proposed":
        text = "; ".join(decision.reasons)
        raise domain.StateConflict(f"The offered unit does not fit this child: {text}")
    async with ctx.database.read() as session:
        updated = await load(session, referral_id)
        assert updated is not None
        return await render_one(session, ctx, updated, principal)


async def expire_proposals(ctx: Context, *, batch: int = 50) -> int:
    """Proposals past expires_at: give the place back and match again without that unit."""
    now = ctx.now()
    async with ctx.database.read() as session:
        expired = (await session.execute(_EXPIRED, {"now": now, "batch": batch})).all()
    handled = 0
    for referral_id, reservation_id in expired:
        try:
            await clients.release_reservation(ctx.capacity, reservation_id)
        except Conflict:
            # Confirmed in capacity: the provider accepted, but its answer never reached intake (for
            # example a timeout). The accept wins; record the placement capacity already holds.
            await complete_lost_accept(ctx, referral_id, reservation_id)
            continue
        queued = await _rematch_without_proposed_unit(ctx, SYSTEM, referral_id, reservation_id, "expire")
        if queued is None:
            continue
        handled += 1
        await _run_rematch(ctx, queued)
    return handled
