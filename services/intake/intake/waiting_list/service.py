"""The waiting list: when a place may have come free, the waiting children it admits are matched again."""

from __future__ import annotations

import functools
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from common.clock import as_utc
from contracts.matching import MatchingFactors
from contracts.vocabulary import CareType
from intake import clients, domain
from intake.context import Context
from intake.db import match_requests, referral_groups, referrals, worker_state
from intake.domain import Status
from intake.outbox.match_requests import ask_matching, decision_payload, enqueue_match
from intake.referral_groups.matching import ask_group_matching, enqueue_group_match, group_payload, run_group_match
from intake.referral_groups.store import load_group
from intake.referrals.store import known_provider_ids, load
from intake.waiting_list.rules import FreePlaces, WaitingChild

# The row of worker_state that keeps the free-places epoch of capacity the waiting list last acted on.
FREE_PLACES_EPOCH = "free_places_epoch"
# When a child never asked about was last asked: before any place came free.
NEVER = datetime(1970, 1, 1, tzinfo=UTC)

# Built once: every round of the workers reads the epoch, and the waiting children when it moved.
_SEEN_EPOCH = sa.select(worker_state.c.value).where(worker_state.c.name == FREE_PLACES_EPOCH)
_STORE_EPOCH = sa.update(worker_state).where(worker_state.c.name == FREE_PLACES_EPOCH)


@functools.cache
def _waiting(baseline: bool) -> sa.Select[Any]:
    """The waiting children of the care types that have a free place (`care_types` bound), crisis
    first, then the longest waiting; siblings kept together marked (never under the baseline factors)."""
    # When matching was last asked about the child: the moment its last request was queued, which is
    # before matching read the places, so a place freed while that decision was taken still counts. For
    # siblings kept together, the last request of their group.
    last_asked = (
        sa.select(sa.func.max(match_requests.c.created_at))
        .where(match_requests.c.referral_id == referrals.c.id)
        .scalar_subquery()
    )
    group_last_asked = (
        sa.select(sa.func.max(match_requests.c.created_at))
        .where(match_requests.c.referral_id == referrals.c.group_id)
        .scalar_subquery()
    )
    open_request = sa.select(match_requests.c.referral_id).where(match_requests.c.done_at.is_(None))
    open_group_request = sa.select(match_requests.c.group_id).where(
        match_requests.c.done_at.is_(None), match_requests.c.group_id.is_not(None)
    )
    together = sa.select(referral_groups.c.id).where(referral_groups.c.keep_together.is_(True))
    if baseline:
        together = together.where(sa.false())  # every child on its own (docs/matching.md)
    return (
        sa.select(
            referrals.c.id,
            referrals.c.care_type,
            referrals.c.target_group,
            referrals.c.birth_date,
            referrals.c.out_of_region_criterion,
            referrals.c.part_time,
            referrals.c.group_id,
            last_asked.label("last_asked_at"),
            group_last_asked.label("group_last_asked_at"),
            referrals.c.group_id.in_(together).label("kept_together"),
        )
        .where(
            referrals.c.status == Status.unmatched.value,
            referrals.c.care_type.in_(sa.bindparam("care_types", expanding=True)),
            referrals.c.id.not_in(open_request),
            sa.or_(referrals.c.group_id.is_(None), referrals.c.group_id.not_in(open_group_request)),
        )
        .order_by(
            sa.case((referrals.c.care_type == CareType.CRISIS.value, 0), else_=1),
            referrals.c.created_at,
            referrals.c.id,
        )
    )


async def rematch_waiting(ctx: Context, *, batch: int = 200) -> int:
    """When a place may have come free, match the waiting children again: crisis first, then the
    longest waiting. Returns how many were matched again."""
    epoch = str(await clients.free_places_epoch(ctx.capacity))
    async with ctx.database.read() as session:
        seen = await session.scalar(_SEEN_EPOCH)
        if seen == epoch:
            return 0
    # Only a child that a place still free could take by its hard rules (care type, target group,
    # age, the region) can be placed now, and each place only once: when one place comes free, the
    # longest-waiting child it admits is asked about, not every child of its care type. Asking about
    # the others would only store another unmatched decision, and on a busy day places come free
    # every few seconds.
    free = FreePlaces(await clients.free_places(ctx.capacity))
    today = ctx.today()
    query = _waiting(ctx.settings.matching_factors is MatchingFactors.BASELINE)
    async with ctx.database.read() as session:
        waiting = (await session.execute(query, {"care_types": list(free.care_types)})).all()
    siblings: dict[str, list[WaitingChild]] = {}
    for child in waiting:
        if child.kept_together:
            siblings.setdefault(child.group_id, []).append(_waiting_child(child, today, group=True))
    matched = 0
    asked_groups: set[str] = set()
    for child in waiting:
        if matched == batch:
            break
        if child.kept_together:
            # Siblings kept together are asked about once, as a group, when places admit every one of them.
            if child.group_id not in asked_groups:
                asked_groups.add(child.group_id)
                matched += await _rematch_group(ctx, child.group_id, siblings[child.group_id], free)
            continue
        place = free.place_for(_waiting_child(child, today))
        if place is None:
            continue
        async with ctx.database.transaction() as session:
            row = await load(session, child.id)
            request = None if row is None else await enqueue_match(session, ctx, row)
            if row is None or request is None:
                continue
            payload = decision_payload(
                ctx, row, request, await known_provider_ids(session, row["client_key"], row["id"], today)
            )
        decision = await ask_matching(ctx, request, payload)
        if decision is not None:
            matched += 1
            if decision.outcome == "proposed":
                place.left -= 1
    async with ctx.database.transaction() as session:
        updated = await session.execute(_STORE_EPOCH, {"value": epoch})
        if updated.rowcount == 0:  # type: ignore[attr-defined]
            await session.execute(sa.insert(worker_state), {"name": FREE_PLACES_EPOCH, "value": epoch})
    return matched


def _waiting_child(child: sa.Row[Any], today: date, *, group: bool = False) -> WaitingChild:
    asked = child.group_last_asked_at if group else child.last_asked_at
    return WaitingChild(
        care_type=child.care_type,
        target_group=child.target_group,
        age=domain.age_on(child.birth_date, today),
        may_leave_region=child.out_of_region_criterion is not None,
        part_time=bool(child.part_time),
        # A referral carries its first match request from submission on; one without any (written
        # by other means) counts as never asked.
        last_asked_at=as_utc(asked) if asked is not None else NEVER,
    )


async def _rematch_group(ctx: Context, group_id: str, children: list[WaitingChild], free: FreePlaces) -> int:
    """Ask matching for a joint place when the free places admit every waiting child of the group, each
    a place of its own; 1 when matching answered."""
    places = free.places_for(children)
    if places is None:
        return 0
    async with ctx.database.transaction() as session:
        group = await load_group(session, group_id)
        request = None if group is None else await enqueue_group_match(session, ctx, group)
        if request is None:
            return 0
        payload = await group_payload(session, ctx, request)
    if payload is None:
        await run_group_match(ctx, str(request["request_id"]))
        return 1
    decision = await ask_group_matching(ctx, request, payload)
    if decision is None:
        return 0
    if decision.outcome == "proposed":
        for place in places:
            place.left -= 1
    return 1
