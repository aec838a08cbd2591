"""Joint places for siblings kept together: one match request for the whole group, through the same
outbox as a referral's (its row carries the group's id), answered by one group decision of matching's
that holds a place for every child at once or for none, applied to every child in one transaction.

When a child's proposal is declined or expires, the places held for its siblings are given back and
the group is asked about again as a whole (`rematch_group`). A group of which fewer than two children
still look for a place is no group to ask about: the child left is matched on its own."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import as_utc
from common.logging import get_logger
from contracts.matching import ChildOutcome, GroupDecision
from intake import clients
from intake.access_log.store import record_referrals
from intake.context import SYSTEM, Context, Row
from intake.db import match_requests, referrals
from intake.domain import Status
from intake.notifications import events as notification_events
from intake.outbox.capacity_commands import send_quietly
from intake.outbox.commands import queue_holds_release
from intake.outbox.match_requests import (
    CLOSE_MATCH_REQUEST,
    REQUEST_REFUSED,
    UPDATE_WAITING_REFERRAL,
    decision_payload,
    defer_request,
    due_requests,
    enqueue_match,
    insert_match_request,
    retry_due_requests,
    run_match,
)
from intake.referral_groups.store import WITHOUT_PLACE, children_of, load_group, raise_attempt
from intake.referrals.store import NO_PROPOSAL, known_provider_ids, remember_provider
from intake.signals import events as signal_events

log = get_logger("regiepunt.intake")

_DUE_GROUPS = due_requests(match_requests.c.group_id.is_not(None))

# What a child of a group decision request carries: a decision request's facts about the child.
_CHILD_FIELDS = (
    "referral_id",
    "client_key",
    "care_type",
    "target_group",
    "age",
    "municipality_code",
    "needs",
    "part_time",
    "out_of_region",
    "known_provider_ids",
    "excluded_unit_ids",
    "risk_flags",
    "vulnerabilities",
    "school_municipality_code",
    "max_travel_km",
    "wishes",
)

# What a caller does with the group as the decision left it, in the transaction that applied it.
Then = Callable[[AsyncSession, Row], Awaitable[None]]


def hold_request_id(request_id: str, referral_id: str) -> str:
    """The request a child's place is held for in capacity: the group's request, per child."""
    return f"{request_id}:{referral_id}"


async def enqueue_group_match(session: AsyncSession, ctx: Context, group: Row, *, claim: bool = True) -> Row | None:
    """Queue the group's next match request (None when another replica queued one just now)."""
    attempt = await raise_attempt(session, group)
    if attempt is None:
        return None
    return await insert_match_request(session, ctx, group["id"], attempt, None, claim=claim, group_id=group["id"])


async def group_payload(session: AsyncSession, ctx: Context, request: Row) -> dict[str, Any] | None:
    """What matching is asked for the group (contracts.matching.GroupDecisionRequest): its children
    that still look for a place, each as a decision request says it. None for fewer than two."""
    group = await load_group(session, request["group_id"])
    if group is None:
        return None
    waiting = [child for child in await children_of(session, group) if child["status"] in WITHOUT_PLACE]
    if len(waiting) < 2:
        return None
    today = ctx.today()
    children = []
    hold_until: str | None = None
    for child in waiting:
        known = await known_provider_ids(session, child["client_key"], child["id"], today)
        payload = decision_payload(ctx, child, request, known)
        children.append({field: payload[field] for field in _CHILD_FIELDS})
        # The shortest hold of the children: a crisis proposal lapses sooner for all of them.
        hold_until = payload["hold_until"] if hold_until is None else min(hold_until, payload["hold_until"])
    return {
        "request_id": request["request_id"],
        "group_id": group["id"],
        "hold_until": hold_until,
        "children": children,
    }


async def run_group_match(ctx: Context, request_id: str, *, retry_at: datetime | None = None) -> GroupDecision | None:
    """Send one claimed group request to matching and apply the decision; None when matching could not
    be reached (the request stays open) or the group has fewer than two children waiting (then each
    is matched on its own)."""
    async with ctx.database.read() as session:
        request = (
            (await session.execute(sa.select(match_requests).where(match_requests.c.request_id == request_id)))
            .mappings()
            .first()
        )
        if request is None or request["done_at"] is not None or request["claimed_by"] != ctx.worker_id:
            return None
        payload = await group_payload(session, ctx, request)
    if payload is None:
        await _match_alone(ctx, request)
        return None
    return await ask_group_matching(ctx, request, payload, retry_at=retry_at)


async def _match_alone(ctx: Context, request: Row) -> None:
    """Close a group request that has fewer than two children to ask about, and match the one left."""
    queued: list[str] = []
    async with ctx.database.transaction() as session:
        closed = await session.execute(
            CLOSE_MATCH_REQUEST, {"request_row_id": request["id"], "done_at": ctx.now(), "why": "one child left"}
        )
        group = await load_group(session, request["group_id"])
        if closed.rowcount != 1 or group is None:  # type: ignore[attr-defined]
            return
        for child in await children_of(session, group):
            if child["status"] in WITHOUT_PLACE:
                alone = await enqueue_match(session, ctx, child)
                if alone is not None:
                    queued.append(str(alone["request_id"]))
    for request_id in queued:
        await run_match(ctx, request_id)


async def ask_group_matching(
    ctx: Context, request: Row, payload: dict[str, Any], *, retry_at: datetime | None = None, then: Then | None = None
) -> GroupDecision | None:
    try:
        decision = await clients.request_group_decision(ctx.matching, payload)
    except clients.MatchingUnreachable as exc:
        await defer_request(ctx, request, str(exc), retry_at)
        return None
    except clients.MatchingRefused as exc:
        log.error("group_match_refused", group_id=request["group_id"], status=exc.status, fields=exc.fields)
        decision = GroupDecision(
            id="",
            request_id=request["request_id"],
            group_id=request["group_id"],
            outcome="unmatched",
            reasons=[REQUEST_REFUSED],
            children=[
                ChildOutcome(referral_id=child["referral_id"], proposal=None, reasons=[REQUEST_REFUSED])
                for child in payload["children"]
            ],
            created_at=ctx.now(),
        )
    await apply_group_decision(ctx, request, decision, then=then)
    return decision


async def apply_group_decision(
    ctx: Context, request: Row, decision: GroupDecision, *, then: Then | None = None
) -> None:
    """Every child as the decision leaves it, in one transaction that also closes the request (a
    conditional UPDATE: of two replicas applying the same decision only one goes on); a place held for
    a child that no proposal stands on is given back."""
    now = ctx.now()
    releases: list[str] = []
    async with ctx.database.transaction() as session:
        closed = await session.execute(
            CLOSE_MATCH_REQUEST, {"request_row_id": request["id"], "done_at": now, "why": None}
        )
        group = await load_group(session, request["group_id"])
        # Asked before: places held for the children by earlier requests are nobody's once this applies.
        asked_before = int(request["attempts"]) > 0 or (group is not None and int(group["match_attempts"]) > 1)
        for child in decision.children:
            if closed.rowcount != 1:  # type: ignore[attr-defined]
                release = await _orphan_release(session, ctx, request, child)
            else:
                release = await _record_child(session, ctx, request, decision, child, now, asked_before)
            if release is not None:
                releases.append(release)
        if then is not None and group is not None:
            await then(session, group)
    for release in releases:
        await send_quietly(ctx, release)


async def _record_child(
    session: AsyncSession,
    ctx: Context,
    request: Row,
    decision: GroupDecision,
    child: ChildOutcome,
    now: datetime,
    asked_before: bool,
) -> str | None:
    proposal = child.proposal
    if proposal is not None:
        changes: dict[str, Any] = {
            "status": Status.proposed.value,
            "proposal_unit_id": proposal.unit_id,
            "proposal_provider_id": proposal.provider_id,
            "proposal_in_region": proposal.in_region,
            "proposal_expires_at": as_utc(proposal.expires_at),
            "proposal_reasons": proposal.reasons,
            "proposal_reservation_id": proposal.reservation_id,
            "proposal_decision_id": decision.id or None,
            "proposal_distance_home_km": proposal.distance_home_km,
            "proposal_distance_school_km": proposal.distance_school_km,
            "unmatched_reasons": None,
        }
    else:
        changes = {"status": Status.unmatched.value, "unmatched_reasons": child.reasons}
    values = {"referral_id": child.referral_id, "updated_at": now, **changes}
    was_unmatched = await notification_events.is_unmatched(session, child.referral_id)
    row = (await session.execute(UPDATE_WAITING_REFERRAL, values)).mappings().first()
    if row is None:
        # Withdrawn (or otherwise moved on) while matching worked: the place held for it is nobody's.
        return await _orphan_release(session, ctx, request, child)
    if proposal is not None:
        await remember_provider(session, row["id"], proposal.provider_id, now)
        await record_referrals(session, SYSTEM, "propose", [row], now)
        await notification_events.on_proposed(session, row, now)
    else:
        await record_referrals(session, SYSTEM, "unmatched", [row], now)
        await signal_events.on_unmatched(session, row, child.reasons, now)
        if not was_unmatched:
            await notification_events.on_unmatched(session, row, now)
    if asked_before or int(row["match_attempts"]) > 1:
        keep = proposal.reservation_id if proposal is not None else None
        return await queue_holds_release(session, ctx, row["id"], keep=keep)
    return None


async def _orphan_release(session: AsyncSession, ctx: Context, request: Row, child: ChildOutcome) -> str | None:
    if child.proposal is None:
        return None
    standing = await session.scalar(
        sa.select(sa.func.coalesce(referrals.c.proposal_reservation_id, referrals.c.placement_reservation_id)).where(
            referrals.c.id == child.referral_id
        )
    )
    if child.proposal.reservation_id == standing:
        return None
    held_for = [hold_request_id(request["request_id"], child.referral_id)]
    return await queue_holds_release(session, ctx, child.referral_id, keep=standing, request_ids=held_for)


async def rematch_group(session: AsyncSession, ctx: Context, child: Row, now: datetime) -> tuple[Row | None, list[str]]:
    """A child of a group kept together lost its proposal (declined or expired; the caller has moved it
    back to pending): its siblings' proposals are withdrawn too, their places given back, and the group
    is queued to be matched again as a whole. Returns the group's request and the releases to send."""
    group = await load_group(session, child["group_id"], lock=True)
    if group is None:
        return None, []
    releases: list[str] = []
    for sibling in await children_of(session, group, lock=True):
        if sibling["id"] == child["id"] or sibling["status"] != Status.proposed:
            continue
        excluded = list(sibling["excluded_unit_ids"] or [])
        expired = sibling["proposal_expires_at"] is not None and as_utc(sibling["proposal_expires_at"]) <= now
        if expired and sibling["proposal_unit_id"] not in excluded:
            # Its own provider let the proposal lapse too: that unit is left out for it, as for any expiry.
            excluded.append(sibling["proposal_unit_id"])
        await session.execute(
            sa.update(referrals)
            .where(referrals.c.id == sibling["id"], referrals.c.status == Status.proposed.value)
            .values(status=Status.pending.value, excluded_unit_ids=excluded, updated_at=now, **NO_PROPOSAL)
        )
        await record_referrals(session, SYSTEM, "sibling_rematch", [sibling], now)
        releases.append(await queue_holds_release(session, ctx, sibling["id"]))
    return await enqueue_group_match(session, ctx, group), releases


async def send_and_rematch(ctx: Context, request: Row | None, releases: list[str]) -> None:
    """After the commit: the siblings' places are given back first, so that the group may take them
    again, then the group is matched."""
    for release in releases:
        await send_quietly(ctx, release)
    if request is not None:
        await run_group_match(ctx, str(request["request_id"]))


async def process_group_outbox(ctx: Context, *, batch: int = 20) -> int:
    """Retry the open group requests whose turn has come. Returns how many got a decision."""
    return await retry_due_requests(ctx, _DUE_GROUPS, run_group_match, batch=batch)


def lease_over(ctx: Context, created_at: datetime) -> bool:
    """Whether a submission stored at `created_at` can no longer be still answering."""
    return as_utc(created_at) <= ctx.now() - timedelta(seconds=ctx.settings.outbox_lease_seconds)
