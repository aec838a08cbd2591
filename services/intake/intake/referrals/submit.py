"""Submitting a referral: stored first with its first match request, then matching is asked.

The referral, its Idempotency-Key, its access-log entry, its onward-placement signals and its first
match request (the outbox row, claimed by this worker) are written in one transaction; matching is
then called outside any transaction, and its decision is applied in a second one that also keeps the
key's answer. When matching cannot be reached the referral is safe and pending, and the outbox worker
asks again (intake.outbox.match_requests)."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.errors import Conflict
from intake import domain, idempotency
from intake.access_log.store import record_referrals
from intake.client_keys.store import rekey_child
from intake.context import Context, Row
from intake.db import idempotency_keys, referrals
from intake.domain import Status
from intake.indicators import days
from intake.outbox.match_requests import ask_matching, decision_payload, insert_match_request
from intake.referrals import suitability
from intake.referrals.numbering import next_reference
from intake.referrals.rendering import render_one
from intake.referrals.store import load, providers_of, recent_stays
from intake.schemas import ReferralIn
from intake.signals import events as signal_events

# Built once, like the statements of referrals.store: every submission runs them.
INSERT_REFERRAL = sa.insert(referrals).returning(*referrals.c)

_IDEMPOTENCY_KEY = (
    idempotency_keys.c.referrer_org == sa.bindparam("by_org"),
    idempotency_keys.c.key == sa.bindparam("by_key"),
)

_INSERT_IDEMPOTENCY_KEY = sa.insert(idempotency_keys)

_KEEP_ANSWER = sa.update(idempotency_keys).where(*_IDEMPOTENCY_KEY)


def body_hash_of(body: BaseModel) -> str:
    canonical = json.dumps(body.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


async def submit_referral(
    ctx: Context, principal: Principal, body: ReferralIn, idempotency_key: str | None
) -> tuple[int, dict[str, Any]]:
    """Store first, then match: the referral is safe even when matching cannot be reached."""
    check_body(ctx, body)
    body_hash = body_hash_of(body)
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
        rendered = (await render_one(session, ctx, row, principal)).model_dump(mode="json")
        if idempotency_key:
            keep = {"by_org": principal.org, "by_key": idempotency_key, "status_code": 201, "response": rendered}
            await session.execute(_KEEP_ANSWER, keep)
        answered.append(rendered)

    await ask_matching(ctx, stored.request, stored.payload, then=answer)
    if not answered:
        # Matching was out of reach, or another worker applied the decision: what is stored now.
        async with ctx.database.transaction() as session:
            row = await load(session, stored.referral["id"])
            assert row is not None
            await answer(session, row)
    return 201, answered[0]


def check_body(ctx: Context, body: ReferralIn) -> None:
    """The rules of a referral (domain.check_referral, with those of school, voice and authorisation:
    referrals.suitability) applied to a submitted body."""
    today = ctx.today()
    domain.check_referral(
        domain.ClientFacts(body.client.bsn, body.client.birth_date, body.client.municipality_code),
        body.care_type,
        body.out_of_region.justification if body.out_of_region else None,
        today=today,
        region=ctx.settings.region_municipalities,
        needs=body.needs,
        vocabulary=ctx.vocabulary,
        risk_flags=body.risk_flags,
        vulnerabilities=body.vulnerabilities,
        also=suitability.field_errors(body, today, ctx.vocabulary),
    )


def referral_values(
    ctx: Context, principal: Principal, body: ReferralIn, referral_id: str, now: datetime, group_id: str | None = None
) -> dict[str, Any]:
    """The row of a new referral, pending its first match."""
    return {
        "id": referral_id,
        "status": Status.pending.value,
        "referrer_org": principal.org,
        "referrer_sub": principal.sub,
        "referrer_type": principal.referrer_type,
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
        # Codes only, each once (checked against the vocabulary in check_body).
        "risk_flags": list(dict.fromkeys(body.risk_flags)),
        "vulnerabilities": list(dict.fromkeys(body.vulnerabilities)),
        "excluded_unit_ids": [],
        "match_attempts": 1,
        "group_id": group_id,
        **suitability.stored_values(body),
        "created_at": now,
        "updated_at": now,
    }


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
                row = await load(session, earlier["referral_id"])
                assert row is not None
                await record_referrals(session, principal, "create_repeated", [row], now)
                if earlier["response"] is not None:
                    return int(earlier["status_code"]), dict(earlier["response"])
                # The first request is still being answered: its answer, not the state of this moment,
                # is what a repeat must get. A first request that never stored its answer (its process
                # died) is over once its match request's lease has run out: then what is stored now.
                if as_utc(earlier["created_at"]) > now - timedelta(seconds=ctx.settings.outbox_lease_seconds):
                    raise domain.SubmissionInProgress()
                return 201, (await render_one(session, ctx, row, principal)).model_dump(mode="json")
        referral_id = str(uuid.uuid4())
        values = referral_values(ctx, principal, body, referral_id, now)
        # The child's earlier referrals under an earlier key (the client key was rotated and the
        # re-keying has not reached this child yet) move to its current pseudonym first, so that its
        # history is found below and by every rule that reads it.
        await rekey_child(session, body.client.bsn, values["client_key"], now)
        values["reference"] = await next_reference(session, ctx.today())
        row = (await session.execute(INSERT_REFERRAL, values)).mappings().one()
        await days.received(session, row)
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
        recent = await recent_stays(session, row["client_key"], referral_id, ctx.today())
        await signal_events.on_referral_submitted(session, row, recent, now)
        request = await insert_match_request(session, ctx, referral_id, 1, None)
        return _Stored(row, request, decision_payload(ctx, row, request, providers_of(recent)))
