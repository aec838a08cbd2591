"""Match requests through the outbox: a request is stored, claimed under a lease, sent to matching
outside any transaction, and its decision applied in a transaction of its own (see outbox/__init__)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import as_utc
from common.logging import get_logger
from contracts.matching import Decision, Proposal
from intake import clients, domain
from intake.access_log.store import record_referrals
from intake.context import SYSTEM, Context, Row
from intake.db import match_requests, referrals
from intake.domain import Status
from intake.notifications import events as notification_events
from intake.outbox.capacity_commands import send_quietly
from intake.outbox.commands import queue_holds_release
from intake.outbox.rules import retry_delay
from intake.referrals import suitability
from intake.referrals.store import known_provider_ids, load, remember_provider
from intake.signals import events as signal_events

log = get_logger("regiepunt.intake")

# Built once, like the statements of referrals.store: the decision of every submission runs them. The
# UPDATE writes only while the child still waits.
UPDATE_WAITING_REFERRAL = (
    sa.update(referrals)
    .where(
        referrals.c.id == sa.bindparam("referral_id"),
        referrals.c.status.in_([Status.pending.value, Status.unmatched.value]),
    )
    .returning(*referrals.c)
)

_INSERT_MATCH_REQUEST = sa.insert(match_requests).returning(*match_requests.c)
_RAISE_ATTEMPTS = sa.update(referrals).where(
    referrals.c.id == sa.bindparam("referral_id"), referrals.c.match_attempts == sa.bindparam("seen_attempts")
)
_OPEN = sa.update(match_requests).where(match_requests.c.done_at.is_(None))
_CLOSE_OPEN = _OPEN.where(match_requests.c.referral_id == sa.bindparam("for_referral"))
_CLOSE_OPEN_BY_REQUEST = _OPEN.where(match_requests.c.request_id == sa.bindparam("for_request"))

CLOSE_MATCH_REQUEST = (
    sa.update(match_requests)
    .where(match_requests.c.id == sa.bindparam("request_row_id"), match_requests.c.done_at.is_(None))
    .values(attempts=match_requests.c.attempts + 1, last_error=sa.bindparam("why", type_=sa.Text))
)


async def insert_match_request(
    session: AsyncSession,
    ctx: Context,
    referral_id: str,
    attempt: int,
    unit_id: str | None,
    *,
    claim: bool = True,
    group_id: str | None = None,
) -> Row:
    """The outbox row of one match request; claimed by this worker when it is sent right away. A
    request about a group of siblings (`group_id`) carries the group's id as its referral_id."""
    now = ctx.now()
    values = {
        "id": str(uuid.uuid4()),
        "group_id": group_id,
        "referral_id": referral_id,
        "request_id": f"{referral_id}:attempt-{attempt}",
        "unit_id": unit_id,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now,
        "claimed_by": ctx.worker_id if claim else None,
        "claimed_until": now + timedelta(seconds=ctx.settings.outbox_lease_seconds) if claim else None,
    }
    return (await session.execute(_INSERT_MATCH_REQUEST, values)).mappings().one()


async def enqueue_match(
    session: AsyncSession, ctx: Context, row: Row, *, unit_id: str | None = None, claim: bool = True
) -> Row | None:
    """Queue the next match request for a referral. The attempt counter is raised conditionally, so
    that of two replicas queueing the same referral at once only one succeeds (None for the other)."""
    attempt = int(row["match_attempts"]) + 1
    raised = await session.execute(
        _RAISE_ATTEMPTS, {"referral_id": row["id"], "seen_attempts": row["match_attempts"], "match_attempts": attempt}
    )
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await insert_match_request(session, ctx, row["id"], attempt, unit_id, claim=claim)


async def close_open_requests(session: AsyncSession, referral_id: str, now: datetime, why: str) -> None:
    await session.execute(_CLOSE_OPEN, {"for_referral": referral_id, "done_at": now, "last_error": why})


async def close_open_requests_by_request(session: AsyncSession, request_id: str, now: datetime) -> None:
    await session.execute(
        _CLOSE_OPEN_BY_REQUEST, {"for_request": request_id, "done_at": now, "last_error": "offer not delivered"}
    )


def hold_until(ctx: Context, care_type: str) -> datetime:
    hours = domain.hold_hours(care_type, ctx.settings.proposal_hold_hours_crisis, ctx.settings.proposal_hold_hours)
    return ctx.now() + timedelta(hours=hours)


async def _decision_request(ctx: Context, request: Row) -> dict[str, Any] | None:
    async with ctx.database.read() as session:
        row = await load(session, request["referral_id"])
        if row is None:
            return None
        known = await known_provider_ids(session, row["client_key"], row["id"], ctx.today())
    return decision_payload(ctx, row, request, known)


def decision_payload(ctx: Context, row: Row, request: Row, known: list[str]) -> dict[str, Any]:
    """What matching is asked for one request (contracts.matching.DecisionRequest)."""
    return {
        "request_id": request["request_id"],
        "referral_id": row["id"],
        "client_key": row["client_key"],
        "care_type": row["care_type"],
        "target_group": row["target_group"],
        "age": domain.age_on(row["birth_date"], ctx.today()),
        "municipality_code": row["municipality_code"],
        "needs": list(row["needs"] or []),
        "part_time": bool(row["part_time"]),
        "out_of_region": row["out_of_region_criterion"],
        "known_provider_ids": known,
        "excluded_unit_ids": list(row["excluded_unit_ids"] or []),
        "hold_until": hold_until(ctx, row["care_type"]).isoformat(),
        "unit_id": request["unit_id"],
        # Codes with the client key, for the group the child would join; never with the BSN.
        "risk_flags": list(row["risk_flags"] or []),
        "vulnerabilities": list(row["vulnerabilities"] or []),
        **suitability.decision_fields(row),
    }


async def claim(ctx: Context, request_row_id: str) -> bool:
    """Take the lease on one outbox row; a conditional UPDATE so that one replica wins."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        result = await session.execute(
            sa.update(match_requests)
            .where(
                match_requests.c.id == request_row_id,
                match_requests.c.done_at.is_(None),
                sa.or_(
                    match_requests.c.claimed_until.is_(None),
                    match_requests.c.claimed_until < now,
                    match_requests.c.claimed_by == ctx.worker_id,
                ),
            )
            .values(claimed_by=ctx.worker_id, claimed_until=now + timedelta(seconds=ctx.settings.outbox_lease_seconds))
        )
        return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def run_match(ctx: Context, request_id: str, *, retry_at: datetime | None = None) -> Decision | None:
    """Send one claimed match request to matching and apply the decision. Returns the decision, or
    None when matching could not be reached (the request stays open for the outbox worker)."""
    async with ctx.database.read() as session:
        request = (
            (await session.execute(sa.select(match_requests).where(match_requests.c.request_id == request_id)))
            .mappings()
            .first()
        )
    if request is None or request["done_at"] is not None or request["claimed_by"] != ctx.worker_id:
        return None
    payload = await _decision_request(ctx, request)
    if payload is None:
        return None
    return await ask_matching(ctx, request, payload, retry_at=retry_at)


async def defer_request(ctx: Context, request: Row, error: str, retry_at: datetime | None) -> None:
    """Matching could not be reached: give up the lease, and let the outbox worker send it again then."""
    log.warning("match_deferred", referral_id=request["referral_id"], request_id=request["request_id"], error=error)
    async with ctx.database.transaction() as session:
        await session.execute(
            sa.update(match_requests)
            .where(match_requests.c.id == request["id"], match_requests.c.claimed_by == ctx.worker_id)
            .values(
                claimed_by=None,
                claimed_until=None,
                attempts=match_requests.c.attempts + 1,
                next_attempt_at=retry_at or ctx.now(),
                last_error=error[:1000],
            )
        )


# What a caller does with the referral as the decision left it, in the transaction that applied it.
_Then = Callable[[AsyncSession, Row], Awaitable[None]]


async def ask_matching(
    ctx: Context,
    request: Row,
    payload: dict[str, Any],
    *,
    retry_at: datetime | None = None,
    then: _Then | None = None,
) -> Decision | None:
    """Send one claimed match request to matching and apply the decision (`then`: see _apply_decision).
    Returns the decision, or None when matching could not be reached (the request stays open for the
    outbox worker)."""
    try:
        decision = await clients.request_decision(ctx.matching, payload)
    except clients.MatchingUnreachable as exc:
        await defer_request(ctx, request, str(exc), retry_at)
        return None
    except clients.MatchingRefused as exc:
        # The request itself is refused (for example a referral stored under older limits): asking
        # again cannot help, so the child waits as unmatched, which the coordinators are told of.
        log.error(
            "match_refused",
            referral_id=request["referral_id"],
            request_id=request["request_id"],
            status=exc.status,
            fields=exc.fields,
        )
        decision = _refused_decision(request, ctx.now())
        await _apply_decision(ctx, request, decision, then=then, why=str(exc))
        return decision
    await _apply_decision(ctx, request, decision, then=then)
    return decision


# The reason of an unmatched child whose match request matching refused.
REQUEST_REFUSED = "request_refused"


def _refused_decision(request: Row, now: datetime) -> Decision:
    """What is recorded for a request matching refused: unmatched, by no decision of matching's (no id)."""
    return Decision(
        id="",
        request_id=request["request_id"],
        referral_id=request["referral_id"],
        outcome="unmatched",
        proposal=None,
        reasons=[REQUEST_REFUSED],
        created_at=now,
    )


async def _apply_decision(
    ctx: Context, request: Row, decision: Decision, *, then: _Then | None = None, why: str | None = None
) -> None:
    """Record matching's answer on the referral, then call `then` with the referral as it stands before
    committing (not when another replica applied the same decision first, or the referral is gone).
    `why` is kept with the closed request when the answer was not a decision of matching's."""
    now = ctx.now()
    proposal = decision.proposal if decision.outcome == "proposed" else None
    release: str | None = None
    async with ctx.database.transaction() as session:
        # Conditional, so that of two replicas applying the same decision only one goes on.
        closed = await session.execute(
            CLOSE_MATCH_REQUEST, {"request_row_id": request["id"], "done_at": now, "why": why}
        )
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            # Another replica applied the same decision (same request_id, same reservation) already,
            # or the request was closed while matching worked (the referral was withdrawn): then the
            # place it held is nobody's.
            if proposal is not None:
                release = await _queue_orphan_release(session, ctx, request, proposal.reservation_id)
        else:
            release = await _record_decision(session, ctx, request, decision, proposal, then, now)
    if release is not None:
        await send_quietly(ctx, release)


async def _queue_orphan_release(
    session: AsyncSession, ctx: Context, request: Row, reservation_id: str | None
) -> str | None:
    """Queue the release of the place a request held that no proposal of the referral stands on."""
    row = await load(session, request["referral_id"])
    standing = None if row is None else (row["proposal_reservation_id"] or row["placement_reservation_id"])
    if reservation_id is None or reservation_id == standing:
        return None
    return await queue_holds_release(
        session, ctx, request["referral_id"], keep=standing, request_ids=[request["request_id"]]
    )


async def _record_decision(
    session: AsyncSession,
    ctx: Context,
    request: Row,
    decision: Decision,
    proposal: Proposal | None,
    then: _Then | None,
    now: datetime,
) -> str | None:
    """The referral as the decision leaves it (see _apply_decision). Returns the id of a queued
    release of places held for the referral that nobody will take up, if one is needed."""
    release: str | None = None
    changes: dict[str, Any] | None = None
    if proposal is not None:
        changes = {
            "status": Status.proposed.value,
            "proposal_unit_id": proposal.unit_id,
            "proposal_provider_id": proposal.provider_id,
            "proposal_in_region": proposal.in_region,
            "proposal_expires_at": as_utc(proposal.expires_at),
            "proposal_reasons": proposal.reasons,
            "proposal_reservation_id": proposal.reservation_id,
            "proposal_decision_id": decision.id,
            "proposal_distance_home_km": proposal.distance_home_km,
            "proposal_distance_school_km": proposal.distance_school_km,
            "unmatched_reasons": None,
        }
    elif request["unit_id"] is None:
        changes = {"status": Status.unmatched.value, "unmatched_reasons": decision.reasons}
    # Written only while the child still waits; the row lock of the UPDATE orders it after a
    # withdrawal that came first.
    row = None
    if changes is not None:
        values = {"referral_id": request["referral_id"], "updated_at": now, **changes}
        was_unmatched = await notification_events.is_unmatched(session, request["referral_id"])
        row = (await session.execute(UPDATE_WAITING_REFERRAL, values)).mappings().first()
    if row is None:
        # Nothing to write (an offer that was refused), or withdrawn (or otherwise moved on) while
        # matching worked: then any place it held is given back.
        if proposal is not None:
            release = await _queue_orphan_release(session, ctx, request, proposal.reservation_id)
        if then is not None:
            row = await load(session, request["referral_id"])
    else:
        if proposal is not None:
            await remember_provider(session, row["id"], proposal.provider_id, now)
            await record_referrals(session, SYSTEM, "propose", [row], now)
            await notification_events.on_proposed(session, row, now)
        else:
            await record_referrals(session, SYSTEM, "unmatched", [row], now)
            await signal_events.on_unmatched(session, row, row["unmatched_reasons"], now)
            if not was_unmatched:
                await notification_events.on_unmatched(session, row, now)
        # An earlier request of this referral, or an earlier delivery of this one, may have held a
        # place that matching never got to propose (it stopped after holding it): matched now,
        # the child needs none of them. A first request on its first delivery held nothing else.
        if int(row["match_attempts"]) > 1 or int(request["attempts"]) > 0:
            keep = proposal.reservation_id if proposal is not None else None
            release = await queue_holds_release(session, ctx, row["id"], keep=keep, closed_requests=True)
    if then is not None and row is not None:
        await then(session, row)
    return release


async def process_outbox(ctx: Context, *, batch: int = 50) -> int:
    """Retry the open match requests of children referred alone whose turn has come. Returns how many
    got a decision; a group's requests are sent by the group's own step (referral_groups.matching)."""
    return await retry_due_requests(ctx, _DUE_ALONE, run_match, batch=batch)


def due_requests(kind: sa.ColumnElement[bool]) -> sa.Select[Any]:
    """The open requests of one kind whose turn has come (`now` bound), oldest first, `batch` at most;
    built once per kind."""
    m, now = match_requests.c, sa.bindparam("now", type_=match_requests.c.next_attempt_at.type)
    due = sa.and_(m.done_at.is_(None), kind, m.next_attempt_at <= now)
    unclaimed = sa.or_(m.claimed_until.is_(None), m.claimed_until < now)
    query = sa.select(m.id, m.request_id, m.attempts).where(due, unclaimed).order_by(m.created_at)
    return query.limit(sa.bindparam("batch", type_=sa.Integer))


_DUE_ALONE = due_requests(sa.and_(match_requests.c.unit_id.is_(None), match_requests.c.group_id.is_(None)))


async def retry_due_requests(
    ctx: Context,
    due_query: sa.Select[Any],
    run: Callable[..., Awaitable[object | None]],
    *,
    batch: int,
) -> int:
    """Claim the open requests of `due_query` (due_requests) whose turn has come, oldest first, and run
    each with the moment of its next try should it fail again. Returns how many got a decision."""
    now = ctx.now()
    async with ctx.database.read() as session:
        due = (await session.execute(due_query, {"now": now, "batch": batch})).all()
    decided = 0
    for request_row_id, request_id, attempts in due:
        if not await claim(ctx, request_row_id):
            continue
        retry_at = now + retry_delay(ctx.settings.outbox_retry_seconds, int(attempts))
        if await run(ctx, request_id, retry_at=retry_at) is not None:
            decided += 1
    return decided
