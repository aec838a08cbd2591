"""Intake's use cases: submit, read, list and move a referral through its life; one transaction each."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.db import insert_or_skip
from common.errors import Conflict, DependencyUnavailable, Forbidden, InvalidInput
from common.logging import get_logger
from intake import clients, domain, idempotency, stays
from intake.access_log.store import ReferralNotVisible, record_referrals
from intake.context import SYSTEM, Context, Row
from intake.db import (
    access_log,
    capacity_commands,
    crisis_extensions,
    idempotency_keys,
    match_requests,
    proposal_declines,
    referral_providers,
    referrals,
    worker_state,
)
from intake.db import signals as signals_table
from intake.domain import Status
from intake.schemas import (
    AccessLogEntryOut,
    AccessLogOut,
    ClientOut,
    CrisisExtensionOut,
    OutOfRegionOut,
    PlacementOut,
    ProposalOut,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    SignalOut,
)
from intake.signals import events as signal_events
from intake.signals import store as signal_store
from intake.signals.rules import SignalType, condition_key

log = get_logger("regiepunt.intake")

# Provider roles that share the joint duty to place and so may see and take waiting children.
JOINT_DUTY_ROLES = ("strategic", "tactical")


# --- storage helpers ------------------------------------------------------------------------------

# The statements every submission runs, built once with their values bound at execution: building an
# INSERT or UPDATE of a referral's thirty columns costs more than the database takes to run it. An
# UPDATE sets the columns named in the values it is given.
_LOAD = sa.select(referrals).where(referrals.c.id == sa.bindparam("referral_id"))
_LOAD_LOCKED = _LOAD.with_for_update()
_INSERT_REFERRAL = sa.insert(referrals).returning(*referrals.c)
_UPDATE_WAITING_REFERRAL = (
    sa.update(referrals)
    .where(
        referrals.c.id == sa.bindparam("referral_id"),
        referrals.c.status.in_([Status.pending.value, Status.unmatched.value]),
    )
    .returning(*referrals.c)
)
_INSERT_MATCH_REQUEST = sa.insert(match_requests).returning(*match_requests.c)
_CLOSE_MATCH_REQUEST = (
    sa.update(match_requests)
    .where(match_requests.c.id == sa.bindparam("request_row_id"), match_requests.c.done_at.is_(None))
    .values(attempts=match_requests.c.attempts + 1, last_error=sa.bindparam("why", type_=sa.Text))
)
_IDEMPOTENCY_KEY = (
    idempotency_keys.c.referrer_org == sa.bindparam("by_org"),
    idempotency_keys.c.key == sa.bindparam("by_key"),
)
_INSERT_IDEMPOTENCY_KEY = sa.insert(idempotency_keys)
_KEEP_ANSWER = sa.update(idempotency_keys).where(*_IDEMPOTENCY_KEY)
# The child's other stays, current or ended within the continuity window (a placed referral has its
# provider and no end date yet).
_RECENT_STAYS = sa.select(referrals).where(
    referrals.c.client_key == sa.bindparam("client_key"),
    referrals.c.id != sa.bindparam("referral_id"),
    referrals.c.placement_provider_id.is_not(None),
    sa.or_(referrals.c.end_date.is_(None), referrals.c.end_date >= sa.bindparam("since")),
)


async def _load(session: AsyncSession, referral_id: str, *, lock: bool = False) -> Row | None:
    query = _LOAD_LOCKED if lock else _LOAD
    return (await session.execute(query, {"referral_id": referral_id})).mappings().first()


async def _load_for_stay_change(session: AsyncSession, referral_id: str) -> Row | None:
    """The referral, locked with every other referral of the child: a stay that starts or ends changes
    what the indicators derive from the child's other stays (intake.stays)."""
    client_key = await session.scalar(sa.select(referrals.c.client_key).where(referrals.c.id == referral_id))
    if client_key is None:
        return None
    await stays.lock_child(session, client_key)  # this referral among them
    return await _load(session, referral_id)


async def _remember_provider(session: AsyncSession, referral_id: str, provider_id: str, now: datetime) -> None:
    """The provider may see the referral from now on; kept once, however often it is proposed."""
    await session.execute(
        insert_or_skip(session, referral_providers, "referral_id", "provider_id"),
        {"referral_id": referral_id, "provider_id": provider_id, "created_at": now},
    )


async def _enqueue_match(
    session: AsyncSession, ctx: Context, row: Row, *, unit_id: str | None = None, claim: bool = True
) -> Row | None:
    """Queue the next match request for a referral. The attempt counter is raised conditionally, so
    that of two replicas queueing the same referral at once only one succeeds (None for the other)."""
    attempt = int(row["match_attempts"]) + 1
    raised = await session.execute(
        sa.update(referrals)
        .where(referrals.c.id == row["id"], referrals.c.match_attempts == row["match_attempts"])
        .values(match_attempts=attempt)
    )
    if raised.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return await _insert_match_request(session, ctx, row["id"], attempt, unit_id, claim=claim)


async def _insert_match_request(
    session: AsyncSession, ctx: Context, referral_id: str, attempt: int, unit_id: str | None, *, claim: bool = True
) -> Row:
    """The outbox row of one match request; claimed by this worker when it is sent right away."""
    now = ctx.now()
    values = {
        "id": str(uuid.uuid4()),
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


async def _close_open_requests(session: AsyncSession, referral_id: str, now: datetime, why: str) -> None:
    await session.execute(
        sa.update(match_requests)
        .where(match_requests.c.referral_id == referral_id, match_requests.c.done_at.is_(None))
        .values(done_at=now, last_error=why)
    )


# --- rendering ------------------------------------------------------------------------------------


def _shows_bsn(principal: Principal, row: Row) -> bool:
    if principal.role == "referrer":
        return bool(row["referrer_org"] == principal.org)
    if principal.role == "provider":
        placed = row["status"] in (Status.placed, Status.ended)
        return placed and principal.acts_for_provider(row["placement_provider_id"])
    return False


async def _extensions(session: AsyncSession, rows: list[Row]) -> dict[str, list[CrisisExtensionOut]]:
    """The crisis extensions of the referrals that show them: only a crisis stay has an end date to extend."""
    found: dict[str, list[CrisisExtensionOut]] = {}
    referral_ids = [row["id"] for row in rows if row["crisis_end_date"] is not None]
    if not referral_ids:
        return found
    extended = (
        (
            await session.execute(
                sa.select(crisis_extensions)
                .where(crisis_extensions.c.referral_id.in_(referral_ids))
                .order_by(crisis_extensions.c.created_at, crisis_extensions.c.new_end_date)
            )
        )
        .mappings()
        .all()
    )
    for ext in extended:
        found.setdefault(ext["referral_id"], []).append(
            CrisisExtensionOut(
                days=ext["days"],
                reason=ext["reason"],
                previous_end_date=ext["previous_end_date"],
                new_end_date=ext["new_end_date"],
                extended_by=ext["extended_by"],
                created_at=as_utc(ext["created_at"]),
            )
        )
    return found


def _render(
    row: Row,
    principal: Principal,
    today: date,
    extensions: dict[str, list[CrisisExtensionOut]],
    shown_signals: dict[str, list[SignalOut]],
) -> ReferralOut:
    proposal = None
    if row["status"] == Status.proposed and row["proposal_unit_id"]:
        proposal = ProposalOut(
            unit_id=row["proposal_unit_id"],
            provider_id=row["proposal_provider_id"],
            in_region=bool(row["proposal_in_region"]),
            expires_at=as_utc(row["proposal_expires_at"]),
            reasons=list(row["proposal_reasons"] or []),
        )
    placement = None
    if row["placement_unit_id"]:
        crisis_end = row["crisis_end_date"]
        placement = PlacementOut(
            unit_id=row["placement_unit_id"],
            provider_id=row["placement_provider_id"],
            in_region=bool(row["placement_in_region"]),
            start_date=row["start_date"],
            end_date=row["end_date"],
            end_reason=row["end_reason"],
            crisis_end_date=crisis_end,
            # Days left count only while the child is still in the crisis stay.
            crisis_days_left=domain.crisis_days_left(crisis_end, today) if row["status"] == Status.placed else None,
            crisis_extensions=extensions.get(row["id"], []) if crisis_end is not None else None,
        )
    out_of_region = None
    if row["out_of_region_criterion"]:
        out_of_region = OutOfRegionOut(
            criterion=row["out_of_region_criterion"], justification=row["out_of_region_justification"] or ""
        )
    return ReferralOut(
        id=row["id"],
        status=Status(row["status"]),
        care_type=row["care_type"],
        target_group=row["target_group"],
        needs=list(row["needs"] or []),
        part_time=bool(row["part_time"]),
        requested_start=row["requested_start"],
        referrer_org=row["referrer_org"],
        out_of_region=out_of_region,
        proposal=proposal,
        placement=placement,
        signals=shown_signals.get(row["id"], []),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        client=ClientOut(
            birth_date=row["birth_date"],
            municipality_code=row["municipality_code"],
            bsn=row["bsn"] if _shows_bsn(principal, row) else None,
        ),
    )


async def _render_one(session: AsyncSession, ctx: Context, row: Row, principal: Principal) -> ReferralOut:
    return _render(
        row,
        principal,
        ctx.today(),
        await _extensions(session, [row]),
        await signal_store.open_signals_about(session, principal, [row]),
    )


# --- visibility -----------------------------------------------------------------------------------


async def _provider_shares_joint_duty(ctx: Context, provider_id: str | None) -> bool:
    if provider_id is None:
        return False
    provider = await clients.get_provider(ctx.capacity, provider_id)
    return provider is not None and provider.get("role") in JOINT_DUTY_ROLES


async def _may_see(session: AsyncSession, ctx: Context, principal: Principal, row: Row) -> bool:
    if principal.role in ("coordinator", "service"):
        return True
    if principal.role == "referrer":
        return bool(row["referrer_org"] == principal.org)
    if principal.role == "provider":
        linked = await session.scalar(
            sa.select(sa.func.count())
            .select_from(referral_providers)
            .where(
                referral_providers.c.referral_id == row["id"],
                referral_providers.c.provider_id == principal.provider_id,
            )
        )
        if linked:
            return True
        # A waiting child is the joint duty of strategic and tactical partners: they may look.
        return row["status"] == Status.unmatched and await _provider_shares_joint_duty(ctx, principal.provider_id)
    return False


async def _visible(
    session: AsyncSession, ctx: Context, principal: Principal, referral_id: str, *, lock: bool = False
) -> Row:
    row = await _load(session, referral_id, lock=lock)
    if row is None or not await _may_see(session, ctx, principal, row):
        raise ReferralNotVisible(principal, referral_id, row["client_key"] if row is not None else None)
    return row


# --- submitting -----------------------------------------------------------------------------------


def _body_hash(body: ReferralIn) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _hold_until(ctx: Context, care_type: str) -> datetime:
    hours = domain.hold_hours(care_type, ctx.settings.proposal_hold_hours_crisis, ctx.settings.proposal_hold_hours)
    return ctx.now() + timedelta(hours=hours)


async def submit_referral(
    ctx: Context, principal: Principal, body: ReferralIn, idempotency_key: str | None
) -> tuple[int, dict[str, Any]]:
    """Store first, then match: the referral is safe even when matching cannot be reached."""
    today = ctx.today()
    domain.check_referral(
        domain.ClientFacts(body.client.bsn, body.client.birth_date, body.client.municipality_code),
        body.care_type,
        body.out_of_region.justification if body.out_of_region else None,
        today=today,
        region=ctx.settings.region_municipalities,
    )
    body_hash = _body_hash(body)
    try:
        # A key is nearly always new: it is not looked up first, its unique index refuses a repeat.
        stored = await _store_referral(ctx, principal, body, idempotency_key, body_hash, repeated=False)
    except IntegrityError:
        # The key was used before, or by a request racing this one: answer as that one did.
        stored = await _store_referral(ctx, principal, body, idempotency_key, body_hash, repeated=True)
    if not isinstance(stored, _Stored):
        return stored
    answered: list[dict[str, Any]] = []

    async def answer(session: AsyncSession, row: Row) -> None:
        """The referral as the decision left it, kept as the key's answer in the same transaction."""
        rendered = (await _render_one(session, ctx, row, principal)).model_dump(mode="json")
        if idempotency_key:
            keep = {"by_org": principal.org, "by_key": idempotency_key, "status_code": 201, "response": rendered}
            await session.execute(_KEEP_ANSWER, keep)
        answered.append(rendered)

    await _ask_matching(ctx, stored.request, stored.payload, then=answer)
    if not answered:
        # Matching was out of reach, or another worker applied the decision: what is stored now.
        async with ctx.database.transaction() as session:
            row = await _load(session, stored.referral["id"])
            assert row is not None
            await answer(session, row)
    return 201, answered[0]


@dataclass(frozen=True)
class _Stored:
    """A new referral, its first match request (claimed by this worker) and what to ask matching."""

    referral: Row
    request: Row
    payload: dict[str, Any]


async def _store_referral(
    ctx: Context,
    principal: Principal,
    body: ReferralIn,
    idempotency_key: str | None,
    body_hash: str,
    *,
    repeated: bool,
) -> _Stored | tuple[int, dict[str, Any]]:
    """The stored referral with its first match request, or (`repeated`: after the key was refused)
    the earlier answer for the key."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        if idempotency_key and repeated:
            earlier = await idempotency.earlier_answer(
                session, principal.org, idempotency_key, now, ctx.settings.idempotency_key_hours
            )
            if earlier is not None:
                if earlier["body_hash"] != body_hash:
                    raise Conflict("This Idempotency-Key was already used with another referral body.")
                row = await _load(session, earlier["referral_id"])
                assert row is not None
                await record_referrals(session, principal, "create_repeated", [row], now)
                if earlier["response"] is not None:
                    return int(earlier["status_code"]), dict(earlier["response"])
                # The first request is still being answered: its answer, not the state of this moment,
                # is what a repeat must get. A first request that never stored its answer (its process
                # died) is over once its match request's lease has run out: then what is stored now.
                if as_utc(earlier["created_at"]) > now - timedelta(seconds=ctx.settings.outbox_lease_seconds):
                    raise domain.SubmissionInProgress()
                return 201, (await _render_one(session, ctx, row, principal)).model_dump(mode="json")
        referral_id = str(uuid.uuid4())
        values = {
            "id": referral_id,
            "status": Status.pending.value,
            "referrer_org": principal.org,
            "referrer_sub": principal.sub,
            "bsn": body.client.bsn,
            "client_key": domain.client_key(ctx.settings.client_key_secret, body.client.bsn),
            "birth_date": body.client.birth_date,
            "municipality_code": body.client.municipality_code,
            "care_type": body.care_type.value,
            "target_group": body.target_group.value,
            "needs": list(body.needs),
            "part_time": body.part_time,
            "requested_start": body.requested_start,
            "out_of_region_criterion": body.out_of_region.criterion.value if body.out_of_region else None,
            "out_of_region_justification": body.out_of_region.justification if body.out_of_region else None,
            "notes": body.notes,
            "excluded_unit_ids": [],
            "match_attempts": 1,
            "created_at": now,
            "updated_at": now,
        }
        row = (await session.execute(_INSERT_REFERRAL, values)).mappings().one()
        if idempotency_key:
            await session.execute(
                _INSERT_IDEMPOTENCY_KEY,
                {
                    "referrer_org": principal.org,
                    "key": idempotency_key,
                    "body_hash": body_hash,
                    "referral_id": referral_id,
                    "created_at": now,
                },
            )
        await record_referrals(session, principal, "create", [row], now)
        recent = await _recent_stays(session, row["client_key"], referral_id, ctx.today())
        await signal_events.on_referral_submitted(session, row, recent, now)
        request = await _insert_match_request(session, ctx, referral_id, 1, None)
        return _Stored(row, request, _decision_payload(ctx, row, request, _providers_of(recent)))


# --- matching through the outbox ------------------------------------------------------------------


async def _recent_stays(session: AsyncSession, client_key: str, referral_id: str, today: date) -> list[Row]:
    """The child's other stays that are current or ended within the continuity window."""
    since = today - timedelta(days=domain.CONTINUITY_DAYS)
    found = await session.execute(_RECENT_STAYS, {"client_key": client_key, "referral_id": referral_id, "since": since})
    return list(found.mappings().all())


def _providers_of(recent: list[Row]) -> list[str]:
    """Continuity: the providers that had this child in a current stay or one ended within a year."""
    return sorted({str(stay["placement_provider_id"]) for stay in recent})


async def _known_provider_ids(session: AsyncSession, client_key: str, referral_id: str, today: date) -> list[str]:
    return _providers_of(await _recent_stays(session, client_key, referral_id, today))


async def _decision_request(ctx: Context, request: Row) -> dict[str, Any] | None:
    async with ctx.database.read() as session:
        row = await _load(session, request["referral_id"])
        if row is None:
            return None
        known = await _known_provider_ids(session, row["client_key"], row["id"], ctx.today())
    return _decision_payload(ctx, row, request, known)


def _decision_payload(ctx: Context, row: Row, request: Row, known: list[str]) -> dict[str, Any]:
    """What matching is asked for one request (matching.schemas.DecisionRequest)."""
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
        "hold_until": _hold_until(ctx, row["care_type"]).isoformat(),
        "unit_id": request["unit_id"],
    }


async def _claim(ctx: Context, request_row_id: str) -> bool:
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


async def _run_match(ctx: Context, request_id: str, *, retry_at: datetime | None = None) -> dict[str, Any] | None:
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
    return await _ask_matching(ctx, request, payload, retry_at=retry_at)


# What a caller does with the referral as the decision left it, in the transaction that applied it.
_Then = Callable[[AsyncSession, Row], Awaitable[None]]


async def _ask_matching(
    ctx: Context,
    request: Row,
    payload: dict[str, Any],
    *,
    retry_at: datetime | None = None,
    then: _Then | None = None,
) -> dict[str, Any] | None:
    """Send one claimed match request to matching and apply the decision (`then`: see _apply_decision).
    Returns the decision, or None when matching could not be reached (the request stays open for the
    outbox worker)."""
    try:
        decision = await clients.request_decision(ctx.matching, payload)
    except clients.MatchingUnreachable as exc:
        log.warning(
            "match_deferred", referral_id=request["referral_id"], request_id=request["request_id"], error=str(exc)
        )
        async with ctx.database.transaction() as session:
            await session.execute(
                sa.update(match_requests)
                .where(match_requests.c.id == request["id"], match_requests.c.claimed_by == ctx.worker_id)
                .values(
                    claimed_by=None,
                    claimed_until=None,
                    attempts=match_requests.c.attempts + 1,
                    next_attempt_at=retry_at or ctx.now(),
                    last_error=str(exc)[:1000],
                )
            )
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
        decision = {"outcome": "unmatched", "proposal": None, "reasons": [REQUEST_REFUSED]}
        await _apply_decision(ctx, request, decision, then=then, why=str(exc))
        return decision
    await _apply_decision(ctx, request, decision, then=then)
    return decision


# The reason of an unmatched child whose match request matching refused.
REQUEST_REFUSED = "request_refused"


async def _apply_decision(
    ctx: Context, request: Row, decision: dict[str, Any], *, then: _Then | None = None, why: str | None = None
) -> None:
    """Record matching's answer on the referral, then call `then` with the referral as it stands before
    committing (not when another replica applied the same decision first, or the referral is gone).
    `why` is kept with the closed request when the answer was not a decision of matching's."""
    now = ctx.now()
    proposal = decision.get("proposal") if decision.get("outcome") == "proposed" else None
    release: str | None = None
    async with ctx.database.transaction() as session:
        # Conditional, so that of two replicas applying the same decision only one goes on.
        closed = await session.execute(
            _CLOSE_MATCH_REQUEST, {"request_row_id": request["id"], "done_at": now, "why": why}
        )
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            # Another replica applied the same decision (same request_id, same reservation) already,
            # or the request was closed while matching worked (the referral was withdrawn): then the
            # place it held is nobody's.
            if proposal is not None:
                release = await _queue_orphan_release(session, ctx, request, proposal["reservation_id"])
        else:
            release = await _record_decision(session, ctx, request, decision, proposal, then, now)
    if release is not None:
        await _send_quietly(ctx, release)


async def _queue_orphan_release(
    session: AsyncSession, ctx: Context, request: Row, reservation_id: str | None
) -> str | None:
    """Queue the release of the place a request held that no proposal of the referral stands on."""
    row = await _load(session, request["referral_id"])
    standing = None if row is None else (row["proposal_reservation_id"] or row["placement_reservation_id"])
    if reservation_id is None or reservation_id == standing:
        return None
    return await _queue_holds_release(
        session, ctx, request["referral_id"], keep=standing, request_ids=[request["request_id"]]
    )


async def _record_decision(
    session: AsyncSession,
    ctx: Context,
    request: Row,
    decision: dict[str, Any],
    proposal: dict[str, Any] | None,
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
            "proposal_unit_id": proposal["unit_id"],
            "proposal_provider_id": proposal["provider_id"],
            "proposal_in_region": bool(proposal["in_region"]),
            "proposal_expires_at": as_utc(datetime.fromisoformat(proposal["expires_at"])),
            "proposal_reasons": list(proposal.get("reasons") or []),
            "proposal_reservation_id": proposal["reservation_id"],
            "proposal_decision_id": decision.get("id"),
            "unmatched_reasons": None,
        }
    elif request["unit_id"] is None:
        reasons = decision.get("reasons")
        unmatched_reasons = [str(r) for r in reasons] if isinstance(reasons, list) else [str(reasons or "")]
        changes = {"status": Status.unmatched.value, "unmatched_reasons": unmatched_reasons}
    # Written only while the child still waits; the row lock of the UPDATE orders it after a
    # withdrawal that came first.
    row = None
    if changes is not None:
        values = {"referral_id": request["referral_id"], "updated_at": now, **changes}
        row = (await session.execute(_UPDATE_WAITING_REFERRAL, values)).mappings().first()
    if row is None:
        # Nothing to write (an offer that was refused), or withdrawn (or otherwise moved on) while
        # matching worked: then any place it held is given back.
        if proposal is not None:
            release = await _queue_orphan_release(session, ctx, request, proposal["reservation_id"])
        if then is not None:
            row = await _load(session, request["referral_id"])
    else:
        if proposal is not None:
            await _remember_provider(session, row["id"], proposal["provider_id"], now)
            await record_referrals(session, SYSTEM, "propose", [row], now)
        else:
            await record_referrals(session, SYSTEM, "unmatched", [row], now)
            await signal_events.on_unmatched(session, row, row["unmatched_reasons"], now)
        # An earlier request of this referral, or an earlier delivery of this one, may have held a
        # place that matching never got to propose (it stopped after holding it): matched now,
        # the child needs none of them. A first request on its first delivery held nothing else.
        if int(row["match_attempts"]) > 1 or int(request["attempts"]) > 0:
            keep = proposal["reservation_id"] if proposal is not None else None
            release = await _queue_holds_release(session, ctx, row["id"], keep=keep, closed_requests=True)
    if then is not None and row is not None:
        await then(session, row)
    return release


async def process_outbox(ctx: Context, *, batch: int = 50) -> int:
    """Retry the open match requests whose turn has come. Returns how many got a decision."""
    now = ctx.now()
    async with ctx.database.read() as session:
        due = (
            await session.execute(
                sa.select(match_requests.c.id, match_requests.c.request_id, match_requests.c.attempts)
                .where(
                    match_requests.c.done_at.is_(None),
                    match_requests.c.unit_id.is_(None),
                    match_requests.c.next_attempt_at <= now,
                    sa.or_(match_requests.c.claimed_until.is_(None), match_requests.c.claimed_until < now),
                )
                .order_by(match_requests.c.created_at)
                .limit(batch)
            )
        ).all()
    decided = 0
    for request_row_id, request_id, attempts in due:
        if not await _claim(ctx, request_row_id):
            continue
        backoff = min(ctx.settings.outbox_retry_seconds * (2 ** min(int(attempts), 6)), 300)
        if await _run_match(ctx, request_id, retry_at=now + timedelta(seconds=backoff)) is not None:
            decided += 1
    return decided


# --- reading --------------------------------------------------------------------------------------


async def get_referral(ctx: Context, principal: Principal, referral_id: str) -> ReferralOut:
    async with ctx.database.transaction() as session:
        row = await _visible(session, ctx, principal, referral_id)
        await record_referrals(session, principal, "read", [row], ctx.now())
        return await _render_one(session, ctx, row, principal)


async def _visible_referrals(ctx: Context, principal: Principal, statuses: list[Status]) -> sa.Select[Any]:
    """The referrals this principal may list, of the given statuses (all when none given)."""
    query = sa.select(referrals)
    if principal.role == "referrer":
        query = query.where(referrals.c.referrer_org == principal.org)
    elif principal.role == "provider":
        mine = sa.select(referral_providers.c.referral_id).where(
            referral_providers.c.provider_id == principal.provider_id
        )
        if statuses == [Status.unmatched] and await _provider_shares_joint_duty(ctx, principal.provider_id):
            pass  # every waiting child, not only those once proposed to this provider
        else:
            query = query.where(referrals.c.id.in_(mine))
    if statuses:
        query = query.where(referrals.c.status.in_([status.value for status in statuses]))
    return query


async def _render_listed(
    session: AsyncSession, ctx: Context, principal: Principal, rows: list[Row]
) -> list[ReferralOut]:
    """Referrals shown in a list: each one shown is logged as listed."""
    await record_referrals(session, principal, "list", rows, ctx.now())
    extensions = await _extensions(session, rows)
    shown_signals = await signal_store.open_signals_about(session, principal, rows)
    today = ctx.today()
    return [_render(row, principal, today, extensions, shown_signals) for row in rows]


async def list_referrals(
    ctx: Context, principal: Principal, status: Status | None, limit: int, offset: int
) -> ReferralPage:
    query = await _visible_referrals(ctx, principal, [status] if status is not None else [])
    query = query.order_by(referrals.c.created_at.desc(), referrals.c.id.desc()).limit(limit + 1).offset(offset)
    async with ctx.database.transaction() as session:
        rows = list((await session.execute(query)).mappings().all())
        more = len(rows) > limit
        rows = rows[:limit]
        items = await _render_listed(session, ctx, principal, rows)
    return ReferralPage(items=items, limit=limit, offset=offset, next_offset=offset + limit if more else None)


async def longest_waiting(
    ctx: Context, principal: Principal, statuses: list[Status], limit: int
) -> tuple[list[ReferralOut], int]:
    """The referrals of these statuses that have waited longest (oldest first), at most `limit`,
    and how many there are in all."""
    query = await _visible_referrals(ctx, principal, statuses)
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(sa.select(sa.func.count()).select_from(query.subquery())) or 0)
        ordered = query.order_by(referrals.c.created_at, referrals.c.id).limit(limit)
        rows = list((await session.execute(ordered)).mappings().all())
        items = await _render_listed(session, ctx, principal, rows)
    return items, total


async def read_access_log(ctx: Context, principal: Principal, referral_id: str) -> AccessLogOut:
    async with ctx.database.transaction() as session:
        row = await _visible(session, ctx, principal, referral_id)
        entries = (
            (
                await session.execute(
                    sa.select(access_log).where(access_log.c.referral_id == referral_id).order_by(access_log.c.seq)
                )
            )
            .mappings()
            .all()
        )
        # Reading who read a child's file is itself a read of that file.
        await record_referrals(session, principal, "read_access_log", [row], ctx.now())
    return AccessLogOut(
        items=[
            AccessLogEntryOut(
                at=as_utc(e["at"]),
                sub=e["sub"],
                role=e["role"],
                org=e["org"],
                action=e["action"],
                referral_id=e["referral_id"],
            )
            for e in entries
        ]
    )


async def read_decisions(ctx: Context, principal: Principal, referral_id: str) -> dict[str, Any]:
    async with ctx.database.transaction() as session:
        row = await _visible(session, ctx, principal, referral_id)
        await record_referrals(session, principal, "read_decisions", [row], ctx.now())
    return await clients.decisions_for(ctx.matching, referral_id)


# --- the lifecycle --------------------------------------------------------------------------------


async def _seen(ctx: Context, principal: Principal, referral_id: str) -> Row:
    async with ctx.database.read() as session:
        return await _visible(session, ctx, principal, referral_id)


def _require_proposed_to(principal: Principal, row: Row, now: datetime) -> None:
    domain.require_status(row["status"], (Status.proposed,), "answer a proposal for")
    if not principal.acts_for_provider(row["proposal_provider_id"]):
        raise Forbidden("Only the provider of the proposed unit may answer this proposal.")
    if row["proposal_expires_at"] is not None and as_utc(row["proposal_expires_at"]) <= now:
        raise domain.StateConflict("The proposal has expired; the place is no longer held.")


async def accept(ctx: Context, principal: Principal, referral_id: str, start_date: date) -> ReferralOut:
    row = await _seen(ctx, principal, referral_id)
    _require_proposed_to(principal, row, ctx.now())
    domain.check_start_date(start_date, ctx.today())
    reservation_id = row["proposal_reservation_id"]
    # The accept is stored before capacity is asked: should capacity confirm and its answer, or this
    # process, be lost, the workers complete it (see _complete_accept) instead of leaving the child
    # proposed here and placed there.
    command_id = await _store_capacity_command(
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
        await _close_capacity_command(ctx, command_id, exc.detail)
        raise
    return await _record_placement(ctx, principal, referral_id, reservation_id, confirmed.get("occupancy") or {})


async def _record_placement(
    ctx: Context, principal: Principal, referral_id: str, reservation_id: str, occupancy: dict[str, Any]
) -> ReferralOut:
    """Capacity has confirmed the held place as a stay: the child is placed, from the stay's start date."""
    start_date = date.fromisoformat(occupancy["start_date"])
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await _load_for_stay_change(session, referral_id)
        assert current is not None
        if current["status"] == Status.placed and current["placement_reservation_id"] == reservation_id:
            # Recorded already, by the workers completing this accept or by a repeated accept.
            return await _render_one(session, ctx, current, principal)
        domain.require_status(current["status"], (Status.proposed,), "accept")
        if current["proposal_reservation_id"] != reservation_id:
            raise domain.StateConflict("The proposal changed while it was being accepted.")
        await session.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(
                status=Status.placed.value,
                placement_unit_id=current["proposal_unit_id"],
                placement_provider_id=current["proposal_provider_id"],
                placement_in_region=current["proposal_in_region"],
                placement_reservation_id=reservation_id,
                placement_occupancy_id=occupancy.get("id"),
                start_date=start_date,
                end_date=None,
                end_reason=None,
                crisis_end_date=domain.crisis_end_date(current["care_type"], start_date, ctx.settings.crisis_cap_days),
                updated_at=now,
            )
        )
        await stays.refresh_child(session, current["client_key"])
        # Every stored attempt to accept this proposal is done now.
        await session.execute(
            sa.update(capacity_commands)
            .where(
                capacity_commands.c.referral_id == referral_id,
                capacity_commands.c.kind == CONFIRM_ACCEPT,
                capacity_commands.c.done_at.is_(None),
            )
            .values(done_at=now, attempts=capacity_commands.c.attempts + 1)
        )
        await record_referrals(session, principal, "accept", [current], now)
        updated = await _load(session, referral_id)
        assert updated is not None
        await signal_events.on_placed(session, ctx.settings, updated, ctx.today(), now)
        return await _render_one(session, ctx, updated, principal)


async def _rematch_without_proposed_unit(
    ctx: Context,
    principal: Principal,
    referral_id: str,
    reservation_id: str,
    action: str,
    *,
    declined_because: str | None = None,
) -> str | None:
    """Give the held place back and queue a new match that leaves that unit out; a provider's reason
    for declining is kept with the referral (free text: it goes to no log line and no other service)."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await _load(session, referral_id, lock=True)
        if (
            current is None
            or current["status"] != Status.proposed
            or current["proposal_reservation_id"] != reservation_id
        ):
            return None
        excluded = list(current["excluded_unit_ids"] or [])
        if current["proposal_unit_id"] not in excluded:
            excluded.append(current["proposal_unit_id"])
        await session.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(status=Status.pending.value, excluded_unit_ids=excluded, updated_at=now, **_NO_PROPOSAL)
        )
        if declined_because is not None:
            await session.execute(
                sa.insert(proposal_declines).values(
                    id=str(uuid.uuid4()),
                    referral_id=referral_id,
                    provider_id=current["proposal_provider_id"],
                    unit_id=current["proposal_unit_id"],
                    reason=declined_because,
                    declined_by=principal.sub,
                    created_at=now,
                )
            )
        await record_referrals(session, principal, action, [current], now)
        current = await _load(session, referral_id)
        assert current is not None
        request = await _enqueue_match(session, ctx, current)
        return None if request is None else str(request["request_id"])


_NO_PROPOSAL: dict[str, Any] = {
    "proposal_unit_id": None,
    "proposal_provider_id": None,
    "proposal_in_region": None,
    "proposal_expires_at": None,
    "proposal_reasons": None,
    "proposal_reservation_id": None,
    "proposal_decision_id": None,
}


async def decline(ctx: Context, principal: Principal, referral_id: str, reason: str) -> ReferralOut:
    row = await _seen(ctx, principal, referral_id)
    _require_proposed_to(principal, row, ctx.now())
    reservation_id = row["proposal_reservation_id"]
    await _release_proposed_place(ctx, referral_id, reservation_id)
    log.info("proposal_declined", referral_id=referral_id, unit_id=row["proposal_unit_id"])
    request_id = await _rematch_without_proposed_unit(
        ctx, principal, referral_id, reservation_id, "decline", declined_because=reason
    )
    if request_id is None:
        raise domain.StateConflict("The proposal changed while it was being declined.")
    await _run_match(ctx, request_id)
    async with ctx.database.read() as session:
        updated = await _load(session, referral_id)
        assert updated is not None
        return await _render_one(session, ctx, updated, principal)


async def _release_proposed_place(ctx: Context, referral_id: str, reservation_id: str) -> None:
    """Give the proposed place back before the proposal is dropped. Capacity refuses when it confirmed
    the place already: the provider accepted and intake had not recorded it yet; it is recorded now,
    and the step that wanted the place back answers 409."""
    try:
        await clients.release_reservation(ctx.capacity, reservation_id)
    except Conflict:
        await _complete_lost_accept(ctx, referral_id, reservation_id)
        raise domain.StateConflict(
            "The provider has accepted this proposal: the child is placed. End the stay instead."
        ) from None


async def withdraw(ctx: Context, principal: Principal, referral_id: str) -> ReferralOut:
    row = await _seen(ctx, principal, referral_id)
    if principal.role == "referrer" and row["referrer_org"] != principal.org:
        raise ReferralNotVisible(principal, referral_id, row["client_key"])
    open_states = (Status.pending, Status.proposed, Status.unmatched)
    domain.require_status(row["status"], open_states, "withdraw")
    if row["status"] == Status.proposed and row["proposal_reservation_id"]:
        await _release_proposed_place(ctx, referral_id, row["proposal_reservation_id"])
    now = ctx.now()
    async with ctx.database.transaction() as session:
        current = await _load(session, referral_id, lock=True)
        assert current is not None
        domain.require_status(current["status"], open_states, "withdraw")
        if (
            current["status"] == Status.proposed
            and current["proposal_reservation_id"] != row["proposal_reservation_id"]
        ):
            raise domain.StateConflict("The proposal changed while the referral was being withdrawn.")
        await session.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(status=Status.withdrawn.value, updated_at=now, **_NO_PROPOSAL)
        )
        await _close_open_requests(session, referral_id, now, "withdrawn")
        # Any place still held for the child (by a request whose decision was never stored) is freed.
        release = await _queue_holds_release(session, ctx, referral_id)
        await record_referrals(session, principal, "withdraw", [current], now)
        updated = await _load(session, referral_id)
        assert updated is not None
        withdrawn = await _render_one(session, ctx, updated, principal)
    await _send_quietly(ctx, release)
    return withdrawn


async def end_stay(
    ctx: Context, principal: Principal, referral_id: str, end_date: date, reason: domain.EndReason
) -> ReferralOut:
    """The stay ends here first; freeing the place in capacity is a stored command sent at once and
    retried by the workers while capacity cannot be reached, so the two never drift apart."""
    row = await _seen(ctx, principal, referral_id)
    if principal.role == "provider" and not principal.acts_for_provider(row["placement_provider_id"]):
        raise Forbidden("Only the provider of the placement may end this stay.")
    domain.require_status(row["status"], (Status.placed,), "end the stay of")
    domain.check_end_date(end_date, row["start_date"], ctx.today())
    now = ctx.now()
    command_id: str | None = None
    async with ctx.database.transaction() as session:
        current = await _load_for_stay_change(session, referral_id)
        assert current is not None
        domain.require_status(current["status"], (Status.placed,), "end the stay of")
        await session.execute(
            sa.update(referrals)
            .where(referrals.c.id == referral_id)
            .values(status=Status.ended.value, end_date=end_date, end_reason=reason.value, updated_at=now)
        )
        await stays.refresh_child(session, current["client_key"])
        if current["placement_occupancy_id"]:
            command_id = str(uuid.uuid4())
            await session.execute(
                sa.insert(capacity_commands).values(
                    id=command_id,
                    referral_id=referral_id,
                    kind=END_OCCUPANCY,
                    target_id=current["placement_occupancy_id"],
                    payload={"end_date": end_date.isoformat()},
                    created_at=now,
                    attempts=0,
                    next_attempt_at=now,
                )
            )
        release = await _queue_holds_release(session, ctx, referral_id)
        await record_referrals(session, principal, "end", [current], now)
        updated = await _load(session, referral_id)
        assert updated is not None
        await signal_events.on_stay_ended(session, ctx.settings, updated, ctx.today(), now)
        ended = await _render_one(session, ctx, updated, principal)
    if command_id is not None:
        await _send_capacity_command(ctx, command_id)
    await _send_quietly(ctx, release)
    return ended


# The kinds of capacity commands: end a stay there; complete an accept (confirm the held place, then
# record the placement here); release the places held for a referral that nobody will take up.
END_OCCUPANCY = "end_occupancy"
CONFIRM_ACCEPT = "confirm_accept"
RELEASE_HOLDS = "release_holds"


def _capacity_command(
    ctx: Context, referral_id: str, kind: str, target_id: str, payload: dict[str, Any], *, delay: timedelta
) -> dict[str, Any]:
    now = ctx.now()
    return {
        "id": str(uuid.uuid4()),
        "referral_id": referral_id,
        "kind": kind,
        "target_id": target_id,
        "payload": payload,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now + delay,
    }


async def _store_capacity_command(
    ctx: Context, referral_id: str, kind: str, target_id: str, payload: dict[str, Any], *, delay: timedelta
) -> str:
    """A command stored on its own, before the call it stands for is made."""
    values = _capacity_command(ctx, referral_id, kind, target_id, payload, delay=delay)
    async with ctx.database.transaction() as session:
        await session.execute(sa.insert(capacity_commands).values(**values))
    return str(values["id"])


async def _close_capacity_command(ctx: Context, command_id: str, error: str | None) -> None:
    async with ctx.database.transaction() as session:
        await session.execute(
            sa.update(capacity_commands)
            .where(capacity_commands.c.id == command_id, capacity_commands.c.done_at.is_(None))
            .values(done_at=ctx.now(), attempts=capacity_commands.c.attempts + 1, last_error=error)
        )


async def _queue_holds_release(
    session: AsyncSession,
    ctx: Context,
    referral_id: str,
    *,
    keep: str | None = None,
    request_ids: list[str] | None = None,
    closed_requests: bool = False,
) -> str:
    """Queue, in the caller's transaction, the release of the places held for a referral except
    `keep`: those of the named match requests, of its closed requests (`closed_requests`: a request
    still open may be about to propose the place it holds), or every one (neither)."""
    if closed_requests:
        request_ids = list(
            (
                await session.scalars(
                    sa.select(match_requests.c.request_id).where(
                        match_requests.c.referral_id == referral_id, match_requests.c.done_at.is_not(None)
                    )
                )
            ).all()
        )
    values = _capacity_command(
        ctx,
        referral_id,
        RELEASE_HOLDS,
        referral_id,
        {"keep_reservation_id": keep, "request_ids": request_ids},
        delay=timedelta(0),
    )
    await session.execute(sa.insert(capacity_commands).values(**values))
    return str(values["id"])


async def _send_quietly(ctx: Context, command_id: str) -> None:
    """Send a command now that its change is committed; whatever fails, the workers send it later."""
    try:
        await _send_capacity_command(ctx, command_id)
    except Exception as exc:
        log.warning("capacity_command_not_sent", command_id=command_id, error=repr(exc))


async def _complete_accept(ctx: Context, command: Row) -> None:
    """An accept that was stored but not recorded: confirm the held place again (capacity answers the
    stay it made already, if it did) and record the placement. Nothing to do once the referral has
    moved on: recorded meanwhile, or the proposal declined, expired or replaced."""
    async with ctx.database.read() as session:
        row = await _load(session, command["referral_id"])
    if row is None or row["status"] != Status.proposed or row["proposal_reservation_id"] != command["target_id"]:
        return
    start_date = date.fromisoformat(command["payload"]["start_date"])
    confirmed = await clients.confirm_reservation(ctx.capacity, command["target_id"], start_date)
    await _record_placement(ctx, SYSTEM, row["id"], command["target_id"], confirmed.get("occupancy") or {})
    log.info("accept_completed", referral_id=row["id"], reservation_id=command["target_id"])


async def _send_capacity_command(ctx: Context, command_id: str) -> bool:
    """Send one stored command to capacity. True when it is done (delivered, or refused for good)."""
    async with ctx.database.read() as session:
        command = (
            (await session.execute(sa.select(capacity_commands).where(capacity_commands.c.id == command_id)))
            .mappings()
            .one()
        )
    if command["done_at"] is not None:
        return True
    error: str | None = None
    try:
        if command["kind"] == END_OCCUPANCY:
            await clients.end_occupancy(
                ctx.capacity, command["target_id"], date.fromisoformat(command["payload"]["end_date"])
            )
        elif command["kind"] == CONFIRM_ACCEPT:
            await _complete_accept(ctx, command)
        elif command["kind"] == RELEASE_HOLDS:
            payload = command["payload"]
            await clients.release_holds(
                ctx.capacity, command["target_id"], payload.get("keep_reservation_id"), payload.get("request_ids")
            )
    except DependencyUnavailable as exc:
        now = ctx.now()
        backoff = min(ctx.settings.outbox_retry_seconds * (2 ** min(int(command["attempts"]), 6)), 300)
        async with ctx.database.transaction() as session:
            await session.execute(
                sa.update(capacity_commands)
                .where(capacity_commands.c.id == command_id)
                .values(
                    attempts=capacity_commands.c.attempts + 1,
                    next_attempt_at=now + timedelta(seconds=backoff),
                    last_error=exc.detail,
                )
            )
        log.warning("capacity_command_deferred", command_id=command_id, kind=command["kind"], error=exc.detail)
        return False
    except Conflict as exc:
        # Capacity refuses for good (for example the stay was ended there already with other dates).
        error = exc.detail
        log.warning("capacity_command_refused", command_id=command_id, kind=command["kind"], error=exc.detail)
    await _close_capacity_command(ctx, command_id, error)
    return True


async def send_capacity_commands(ctx: Context, *, batch: int = 50) -> int:
    """Worker step: send the commands capacity could not take before. Returns how many are done."""
    async with ctx.database.read() as session:
        due = (
            await session.scalars(
                sa.select(capacity_commands.c.id)
                .where(capacity_commands.c.done_at.is_(None), capacity_commands.c.next_attempt_at <= ctx.now())
                .order_by(capacity_commands.c.next_attempt_at)
                .limit(batch)
            )
        ).all()
    done = 0
    for command_id in due:
        if await _send_capacity_command(ctx, command_id):
            done += 1
    return done


async def extend_crisis(ctx: Context, principal: Principal, referral_id: str, days: int, reason: str) -> ReferralOut:
    now = ctx.now()
    async with ctx.database.transaction() as session:
        row = await _visible(session, ctx, principal, referral_id, lock=True)
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
        updated = await _load(session, referral_id)
        assert updated is not None
        return await _render_one(session, ctx, updated, principal)


async def raise_placement_at_risk(
    ctx: Context, principal: Principal, referral_id: str, note: str
) -> tuple[bool, SignalOut]:
    """The provider of a placement reports that the stay is at risk. A second report while the first
    is open adds its note to that signal. Returns (opened, the signal)."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        row = await _visible(session, ctx, principal, referral_id, lock=True)
        if not principal.acts_for_provider(row["placement_provider_id"]):
            raise Forbidden("Only the provider of the placement may report that it is at risk.")
        domain.require_status(row["status"], (Status.placed,), "report a risk to the stay of")
        report = {"note": note, "by": principal.sub, "at": now.isoformat()}
        opened = await signal_store.open_signal(
            session,
            SignalType.placement_at_risk,
            referral_id=referral_id,
            client_key=row["client_key"],
            scope=referral_id,
            detail={"provider_id": row["placement_provider_id"], "note": note, "notes": [report]},
            now=now,
        )
        key = condition_key(SignalType.placement_at_risk, row["client_key"], referral_id)
        signal = (
            (await session.execute(sa.select(signals_table).where(signals_table.c.open_key == key).with_for_update()))
            .mappings()
            .one()
        )
        if not opened:
            detail = dict(signal["detail"] or {})
            detail["notes"] = [*detail.get("notes", []), report]
            await session.execute(
                sa.update(signals_table).where(signals_table.c.id == signal["id"]).values(detail=detail)
            )
            signal = (
                (await session.execute(sa.select(signals_table).where(signals_table.c.id == signal["id"])))
                .mappings()
                .one()
            )
        await record_referrals(session, principal, "raise_signal", [row], now)
        return opened, signal_store.render(signal, show_client_key=False)


async def offer(ctx: Context, principal: Principal, referral_id: str, unit_id: str) -> ReferralOut:
    """A strategic or tactical partner offers one of its own units to a waiting child."""
    if not await _provider_shares_joint_duty(ctx, principal.provider_id):
        raise Forbidden("Only strategic and tactical providers may offer a place to a waiting child.")
    row = await _seen(ctx, principal, referral_id)
    domain.require_status(row["status"], (Status.unmatched,), "offer a place to")
    unit = await clients.get_unit(ctx.capacity, unit_id)
    if unit is None or unit.get("provider_id") != principal.provider_id:
        raise InvalidInput("unit_id", "is not a unit of your provider")
    async with ctx.database.transaction() as session:
        current = await _load(session, referral_id, lock=True)
        assert current is not None
        domain.require_status(current["status"], (Status.unmatched,), "offer a place to")
        await record_referrals(session, principal, "offer", [current], ctx.now())
        request = await _enqueue_match(session, ctx, current, unit_id=unit_id)
    if request is None:
        raise domain.StateConflict("The referral is being matched right now; try again.")
    request_id = str(request["request_id"])
    decision = await _run_match(ctx, request_id)
    if decision is None:
        async with ctx.database.transaction() as session:
            await _close_open_requests_by_request(session, request_id, ctx.now())
            # Matching may have held the offered place before it could not answer.
            release = await _queue_holds_release(session, ctx, referral_id, request_ids=[request_id])
        await _send_quietly(ctx, release)
        raise DependencyUnavailable("Matching cannot be reached right now; the offer was not made.")
    if decision.get("outcome") != "proposed":
        reasons = decision.get("reasons")
        text = "; ".join(reasons) if isinstance(reasons, list) else str(reasons or "the unit does not fit")
        raise domain.StateConflict(f"The offered unit does not fit this child: {text}")
    async with ctx.database.read() as session:
        updated = await _load(session, referral_id)
        assert updated is not None
        return await _render_one(session, ctx, updated, principal)


async def _close_open_requests_by_request(session: AsyncSession, request_id: str, now: datetime) -> None:
    await session.execute(
        sa.update(match_requests)
        .where(match_requests.c.request_id == request_id, match_requests.c.done_at.is_(None))
        .values(done_at=now, last_error="offer not delivered")
    )


# --- workers --------------------------------------------------------------------------------------


async def expire_proposals(ctx: Context, *, batch: int = 50) -> int:
    """Proposals past expires_at: give the place back and match again without that unit."""
    now = ctx.now()
    async with ctx.database.read() as session:
        expired = (
            await session.execute(
                sa.select(referrals.c.id, referrals.c.proposal_reservation_id)
                .where(referrals.c.status == Status.proposed.value, referrals.c.proposal_expires_at <= now)
                .order_by(referrals.c.proposal_expires_at)
                .limit(batch)
            )
        ).all()
    handled = 0
    for referral_id, reservation_id in expired:
        try:
            await clients.release_reservation(ctx.capacity, reservation_id)
        except Conflict:
            # Confirmed in capacity: the provider accepted, but its answer never reached intake (for
            # example a timeout). The accept wins; record the placement capacity already holds.
            await _complete_lost_accept(ctx, referral_id, reservation_id)
            continue
        request_id = await _rematch_without_proposed_unit(ctx, SYSTEM, referral_id, reservation_id, "expire")
        if request_id is None:
            continue
        handled += 1
        await _run_match(ctx, request_id)
    return handled


async def _complete_lost_accept(ctx: Context, referral_id: str, reservation_id: str) -> None:
    # Capacity refuses a release only for a confirmed hold; confirming again is idempotent there and
    # answers the stay it already made, with its own start date.
    try:
        confirmed = await clients.confirm_reservation(ctx.capacity, reservation_id, ctx.today())
    except Conflict:
        return
    try:
        await _record_placement(ctx, SYSTEM, referral_id, reservation_id, confirmed.get("occupancy") or {})
    except Conflict:
        return  # the referral moved on in the meantime (withdrawn or accepted by another path)
    log.info("lost_accept_completed", referral_id=referral_id, reservation_id=reservation_id)


FREE_PLACES_EPOCH = "free_places_epoch"


NEVER = datetime(1970, 1, 1, tzinfo=UTC)


async def rematch_waiting(ctx: Context, *, batch: int = 200) -> int:
    """When a place may have come free, match the waiting children again: crisis first, then the
    longest waiting. Returns how many were matched again."""
    epoch = str(await clients.free_places_epoch(ctx.capacity))
    async with ctx.database.read() as session:
        seen = await session.scalar(sa.select(worker_state.c.value).where(worker_state.c.name == FREE_PLACES_EPOCH))
        if seen == epoch:
            return 0
        open_request = sa.select(match_requests.c.referral_id).where(match_requests.c.done_at.is_(None))
    # Only a child that a place still free could take by its hard rules (care type, target group,
    # age, the region) can be placed now, and each place only once: when one place comes free, the
    # longest-waiting child it admits is asked about, not every child of its care type. Asking about
    # the others would only store another unmatched decision, and on a busy day places come free
    # every few seconds.
    free = domain.FreePlaces(await clients.free_places(ctx.capacity))
    today = ctx.today()
    # When matching was last asked about the child: the moment its last request was queued, which is
    # before matching read the places, so a place freed while that decision was taken still counts.
    last_asked = (
        sa.select(sa.func.max(match_requests.c.created_at))
        .where(match_requests.c.referral_id == referrals.c.id)
        .scalar_subquery()
    )
    async with ctx.database.read() as session:
        waiting = (
            await session.execute(
                sa.select(
                    referrals.c.id,
                    referrals.c.care_type,
                    referrals.c.target_group,
                    referrals.c.birth_date,
                    referrals.c.out_of_region_criterion,
                    referrals.c.part_time,
                    last_asked.label("last_asked_at"),
                )
                .where(
                    referrals.c.status == Status.unmatched.value,
                    referrals.c.care_type.in_(free.care_types),
                    referrals.c.id.not_in(open_request),
                )
                .order_by(
                    sa.case((referrals.c.care_type == domain.CareType.crisis.value, 0), else_=1),
                    referrals.c.created_at,
                    referrals.c.id,
                )
            )
        ).all()
    matched = 0
    for child in waiting:
        if matched == batch:
            break
        fit = domain.WaitingChild(
            care_type=child.care_type,
            target_group=child.target_group,
            age=domain.age_on(child.birth_date, today),
            may_leave_region=child.out_of_region_criterion is not None,
            part_time=bool(child.part_time),
            # A referral carries its first match request from submission on; one without any (written
            # by other means) counts as never asked.
            last_asked_at=as_utc(child.last_asked_at) if child.last_asked_at is not None else NEVER,
        )
        place = free.place_for(fit)
        if place is None:
            continue
        async with ctx.database.transaction() as session:
            row = await _load(session, child.id)
            request = None if row is None else await _enqueue_match(session, ctx, row)
            if row is None or request is None:
                continue
            payload = _decision_payload(
                ctx, row, request, await _known_provider_ids(session, row["client_key"], row["id"], today)
            )
        decision = await _ask_matching(ctx, request, payload)
        if decision is not None:
            matched += 1
            if decision.get("outcome") == "proposed":
                place.left -= 1
    async with ctx.database.transaction() as session:
        updated = await session.execute(
            sa.update(worker_state).where(worker_state.c.name == FREE_PLACES_EPOCH).values(value=epoch)
        )
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            await session.execute(sa.insert(worker_state).values(name=FREE_PLACES_EPOCH, value=epoch))
    return matched
