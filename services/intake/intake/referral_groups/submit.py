"""Submitting siblings together: every child validated as a referral is, the group and its children
stored in one transaction with the Idempotency-Key and one match request, then matched.

Kept together, the group is one match request for joint places (referral_groups.matching). Split at
submission, each child gets a match request of its own and a coordinator is asked to look at the
split (a `siblings_split` signal)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.errors import Conflict, FieldError, InvalidFields
from contracts.matching import MatchingFactors
from intake import domain, idempotency
from intake.access_log.store import record_referrals
from intake.client_keys.store import rekey_child
from intake.context import Context, Row
from intake.db import idempotency_keys, referral_groups
from intake.indicators import days
from intake.outbox.match_requests import ask_matching, decision_payload, insert_match_request
from intake.referral_groups import rules
from intake.referral_groups.matching import ask_group_matching, group_payload, lease_over
from intake.referral_groups.schemas import ReferralGroupIn
from intake.referral_groups.service import open_split_signal, render_group
from intake.referral_groups.store import load_group
from intake.referrals.numbering import next_reference
from intake.referrals.store import providers_of, recent_stays
from intake.referrals.submit import INSERT_REFERRAL, body_hash_of, check_body, referral_values
from intake.signals import events as signal_events

_KEEP_ANSWER = sa.update(idempotency_keys).where(
    idempotency_keys.c.referrer_org == sa.bindparam("by_org"), idempotency_keys.c.key == sa.bindparam("by_key")
)


def check_group_body(ctx: Context, body: ReferralGroupIn) -> None:
    """Every child as a referral is checked, named by its place (`referrals[1].client.bsn`), and the
    group's own rules; every broken rule at once."""
    child_errors: list[FieldError] = []
    for index, child in enumerate(body.referrals):
        try:
            check_body(ctx, child)
        except InvalidFields as exc:
            child_errors.extend(rules.prefixed(exc.errors, index))
    split = (body.split.code, body.split.justification) if body.split is not None else None
    rules.check_group(
        len(body.referrals),
        ctx.settings.referral_group_max_size,
        body.keep_together,
        split,
        ctx.vocabulary.codes("split_reasons"),
        child_errors,
    )


@dataclass
class _Stored:
    group: Row
    # Kept together: the group's request and what to ask; split: each child's.
    group_request: tuple[Row, dict[str, Any]] | None = None
    child_requests: list[tuple[Row, dict[str, Any]]] = field(default_factory=list)


async def submit_group(
    ctx: Context, principal: Principal, body: ReferralGroupIn, idempotency_key: str | None
) -> tuple[int, dict[str, Any]]:
    """Store first, then match, as a referral is submitted; answers the group as matching left it."""
    check_group_body(ctx, body)
    body_hash = body_hash_of(body)
    try:
        stored = await _store_group(ctx, principal, body, idempotency_key, body_hash, repeated=False)
    except IntegrityError:
        stored = await _store_group(ctx, principal, body, idempotency_key, body_hash, repeated=True)
    if not isinstance(stored, _Stored):
        return stored
    answered: list[dict[str, Any]] = []

    async def answer(session: AsyncSession, group: Row) -> None:
        rendered = (await render_group(session, ctx, group, principal)).model_dump(mode="json")
        if idempotency_key:
            keep = {"by_org": principal.org, "by_key": idempotency_key, "status_code": 201, "response": rendered}
            await session.execute(_KEEP_ANSWER, keep)
        answered.append(rendered)

    if stored.group_request is not None:
        await ask_group_matching(ctx, *stored.group_request, then=answer)
    for request, payload in stored.child_requests:
        await ask_matching(ctx, request, payload)
    if not answered:
        async with ctx.database.transaction() as session:
            group = await load_group(session, stored.group["id"])
            assert group is not None
            await answer(session, group)
    return 201, answered[-1]


async def _store_group(
    ctx: Context,
    principal: Principal,
    body: ReferralGroupIn,
    idempotency_key: str | None,
    body_hash: str,
    *,
    repeated: bool,
) -> _Stored | tuple[int, dict[str, Any]]:
    now = ctx.now()
    async with ctx.database.transaction() as session:
        if idempotency_key and repeated:
            earlier = await idempotency.earlier_answer(
                session, principal.org, idempotency_key, now, ctx.settings.idempotency_key_hours
            )
            if earlier is not None:
                if earlier["body_hash"] != body_hash or earlier["group_id"] is None:
                    raise Conflict("This Idempotency-Key was already used with another body.")
                group = await load_group(session, earlier["group_id"])
                assert group is not None
                if earlier["response"] is not None:
                    return int(earlier["status_code"]), dict(earlier["response"])
                if not lease_over(ctx, earlier["created_at"]):
                    raise domain.SubmissionInProgress()
                return 201, (await render_group(session, ctx, group, principal)).model_dump(mode="json")
        group_id = str(uuid.uuid4())
        referral_ids = [str(uuid.uuid4()) for _ in body.referrals]
        split = body.split
        group = (
            (
                await session.execute(
                    sa.insert(referral_groups).returning(*referral_groups.c),
                    {
                        "id": group_id,
                        "referrer_org": principal.org,
                        "referrer_sub": principal.sub,
                        "keep_together": split is None,
                        "referral_ids": referral_ids,
                        "split_code": split.code if split else None,
                        "split_justification": split.justification if split else None,
                        "split_by": principal.sub if split else None,
                        "split_at": now if split else None,
                        "match_attempts": 1,
                        "created_at": now,
                        "updated_at": now,
                    },
                )
            )
            .mappings()
            .one()
        )
        if idempotency_key:
            await session.execute(
                sa.insert(idempotency_keys),
                {
                    "referrer_org": principal.org,
                    "key": idempotency_key,
                    "body_hash": body_hash,
                    "referral_id": referral_ids[0],
                    "group_id": group_id,
                    "created_at": now,
                },
            )
        stored = _Stored(group)
        # Kept together, the group is matched as one; split, or under the `baseline` matching factors
        # (docs/matching.md), each child on its own.
        together = split is None and ctx.settings.matching_factors is MatchingFactors.ALL
        children: list[Row] = []
        for referral_id, child in zip(referral_ids, body.referrals, strict=True):
            values = referral_values(ctx, principal, child, referral_id, now, group_id)
            # As for a child referred alone: its history under an earlier client key moves along first.
            await rekey_child(session, child.client.bsn, values["client_key"], now)
            values["reference"] = await next_reference(session, ctx.today())
            row = (await session.execute(INSERT_REFERRAL, values)).mappings().one()
            await days.received(session, row)
            children.append(row)
            await record_referrals(session, principal, "create", [row], now)
            recent = await recent_stays(session, row["client_key"], referral_id, ctx.today())
            await signal_events.on_referral_submitted(session, row, recent, now)
            if not together:
                request = await insert_match_request(session, ctx, referral_id, 1, None)
                stored.child_requests.append((request, decision_payload(ctx, row, request, providers_of(recent))))
        if split is not None:
            await open_split_signal(session, group, children, now)
        if together:
            # The group's first request: attempt 1, the group's counter stays as stored.
            request = await insert_match_request(session, ctx, group_id, 1, None, group_id=group_id)
            payload = await group_payload(session, ctx, request)
            assert payload is not None, "a group kept together holds two children or more"
            stored.group_request = (request, payload)
        return stored
