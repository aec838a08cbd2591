"""Holding a place at capacity for a decision, and giving places back; with matching's read model, the
hold that also tells the changes since the read model's number (docs/matching.md, "Matching's read
model")."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson

from common.errors import DependencyUnavailable
from common.http import ServiceClient, ServiceUnavailableError, raise_for_unexpected
from common.logging import get_logger
from contracts.capacity import ReservationOut
from contracts.matching import DecisionRequest
from matching.domain import Ranking, Weighed
from matching.replica import CAPACITY_UNREACHABLE, FEED_PAGE, Replica
from matching.unit_state import Mark

log = get_logger("regiepunt.matching")

# How many places one decision holds in turn while what it learns from the holds' answers keeps
# changing its first choice; then it keeps what it holds if it may propose it.
MAX_HOLDS = 4


def hold_body(request: DecisionRequest) -> dict[str, Any]:
    return {
        "referral_id": request.referral_id,
        "client_key": request.client_key,
        "expires_at": request.hold_until.isoformat(),
        "request_id": request.request_id,
        # The child as its group will see it, kept with the stay: age in years and codes only.
        "age": request.age,
        "flags": sorted({*request.risk_flags, *request.vulnerabilities}),
    }


async def release_request_holds(capacity: ServiceClient, request: DecisionRequest) -> None:
    """Give back the place this request held before (when this decision will not propose it); if that
    fails, intake releases the holds of the requests it closed, and the hold expires on its own."""
    body = {"referral_id": request.referral_id, "request_ids": [request.request_id]}
    try:
        response = await capacity.post("/v1/reservations/release", json=body, idempotent=True)
        if response.status_code != 200:
            log.warning("request_holds_release_refused", request_id=request.request_id, status=response.status_code)
    except ServiceUnavailableError:
        log.warning("request_holds_release_unreachable", request_id=request.request_id)


async def release_quietly(capacity: ServiceClient, reservation_id: str) -> None:
    """Give back a hold nobody will use; if that fails, the hold still expires on its own."""
    try:
        response = await capacity.post(f"/v1/reservations/{reservation_id}/release", idempotent=True)
        if response.status_code != 200:
            log.warning("release_refused", reservation_id=reservation_id, status=response.status_code)
    except ServiceUnavailableError:
        log.warning("release_unreachable", reservation_id=reservation_id)


@dataclass(frozen=True)
class Weighing:
    """A ranking (service.weigh) and what it was made on."""

    ranking: Ranking
    # The unit where this request held a place when the ranking was made, by the read model.
    held_unit_id: str | None
    applied: dict[str, dict[str, str]]
    # None without a read model.
    mark: Mark | None


@dataclass(frozen=True)
class ToldHold:
    reservation: ReservationOut | None
    # Whether capacity made the hold now (201), not answered one the request or referral held (200).
    created: bool
    changes: dict[str, Any]


class ChangesNotTold(Exception):
    """Capacity does not know matching's hold yet (an older capacity while the services are updated)."""


async def hold_telling_changes(capacity: ServiceClient, unit_id: str, body: dict[str, Any], after: int) -> ToldHold:
    """Capacity's hold for matching (`POST /internal/units/{id}/reservations`, docs/internal-api.md):
    the hold, or None when the unit has no free place or is unknown, and the changes after `after`."""
    try:
        # Capacity answers a repeated hold for the same request with the same reservation, so a retry
        # after a timeout, or a request sent again, cannot hold two places.
        response = await capacity.post(
            f"/internal/units/{unit_id}/reservations",
            json=body,
            params={"after": after, "limit": FEED_PAGE},
            idempotent=True,
        )
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable(CAPACITY_UNREACHABLE) from exc
    raise_for_unexpected(response, 200, 201, 404, 409)
    answer = orjson.loads(response.content)
    if "changes" not in answer:
        # A capacity from before this call (a 404 for the route): nothing was held.
        raise ChangesNotTold(response.status_code)
    if response.status_code in (404, 409):
        return ToldHold(None, False, answer["changes"])
    return ToldHold(
        ReservationOut.model_validate(answer["reservation"]), response.status_code == 201, answer["changes"]
    )


async def reserve_best(
    capacity: ServiceClient, ranking: Ranking, request: DecisionRequest
) -> tuple[Weighed, ReservationOut] | None:
    """Reserve the best unit; when another child got its last place first, try the next one."""
    payload = hold_body(request)
    for candidate in ranking.ranked:
        try:
            # Capacity answers a repeated hold for the same request with the same reservation, so a
            # retry after a timeout, or a request sent again, cannot hold two places.
            response = await capacity.post(f"/v1/units/{candidate.unit_id}/reservations", json=payload, idempotent=True)
        except ServiceUnavailableError as exc:
            raise DependencyUnavailable(CAPACITY_UNREACHABLE) from exc
        if response.status_code in (409, 404):
            candidate.lose_place()
            continue
        raise_for_unexpected(response, 200, 201)
        reservation = ReservationOut.model_validate_json(response.content)
        if reservation.unit_id != candidate.unit_id:
            # The same request, delivered twice at once, held a place elsewhere first: that hold is
            # the request's, and is kept when its unit is one this decision may propose.
            held = next((c for c in ranking.ranked if c.unit_id == reservation.unit_id and c.eligible), None)
            if held is None:
                await release_quietly(capacity, reservation.id)
                candidate.lose_place()
                continue
            candidate = held
        candidate.chosen = True
        return candidate, reservation
    return None


def _first_choice(ranking: Ranking, kept_unit_id: str | None) -> Weighed | None:
    """The unit to hold: the one whose place the request holds from before when the ranking may
    propose it (it is not given up for a better one), else the best eligible one."""
    eligible = [c for c in ranking.ranked if c.eligible]
    kept = next((c for c in eligible if c.unit_id == kept_unit_id), None)
    return kept or next(iter(eligible), None)


async def hold_first_choice(
    capacity: ServiceClient,
    replica: Replica,
    request: DecisionRequest,
    weighing: Weighing,
    rank: Callable[[], Awaitable[Weighing]],
) -> tuple[Weighing, tuple[Weighed, ReservationOut] | None]:
    """Hold the first choice of a ranking made on the read model as it was, learning from the hold's
    answer every change capacity numbered before the hold, and rank again on them: the hold is kept
    when its unit is still the first choice, else given back and the new first held. One call to
    capacity when nothing the ranking looked at changed but the hold itself.

    A hold refused (the unit full, closed or unknown by now) brings the changes too, so that the
    next try is ranked on them. Only when a ranking has nothing to hold at all before any hold's
    changes came in does the read model catch up with the feed first, so that "unmatched" is never
    said on a read model that was behind. Returns the last weighing and the unit held with its
    hold, or None (unmatched)."""
    body = hold_body(request)
    caught_up = False
    refused: set[str] = set()
    held: ReservationOut | None = None
    # A place an earlier delivery of this request held: kept when the decision may propose its unit.
    kept_unit_id = weighing.held_unit_id
    holds = 0
    while True:
        ranking = weighing.ranking
        for candidate in ranking.ranked:
            if candidate.unit_id in refused and candidate.eligible:
                candidate.lose_place()
        target = _first_choice(ranking, kept_unit_id)
        if held is not None and target is not None and target.unit_id == held.unit_id:
            target.chosen = True
            return weighing, (target, held)
        if target is None and not caught_up:
            await replica.catch_up(capacity)
            caught_up = True
            weighing = await rank()
            continue
        if holds == MAX_HOLDS and target is not None:
            break
        if held is not None:
            await release_quietly(capacity, held.id)
            held = None
        elif kept_unit_id is not None and (target is None or target.unit_id != kept_unit_id):
            # The place an earlier delivery held is not one this decision may propose.
            await release_request_holds(capacity, request)
        kept_unit_id = None
        if target is None:
            return weighing, None
        holds += 1
        after = replica.seq
        try:
            told = await hold_telling_changes(capacity, target.unit_id, body, after)
        except ChangesNotTold:
            log.warning("hold_without_changes", unit_id=target.unit_id)
            # Hold as before that call existed: caught up with the feed, down a ranking made on it.
            await replica.catch_up(capacity)
            weighing = await rank()
            return weighing, await reserve_best(capacity, weighing.ranking, request)
        if not replica.take(told.changes, after, request.request_id):
            await replica.catch_up(capacity)
        caught_up = True
        if told.reservation is None:
            refused.add(target.unit_id)
        else:
            held = told.reservation
            if not told.created:
                # Held by this request before (or by the referral on that unit): kept if it may be proposed.
                kept_unit_id = held.unit_id
            mark = weighing.mark
            if held.unit_id == target.unit_id and mark is not None and replica.unchanged_since(mark, request.care_type):
                target.chosen = True
                return weighing, (target, held)
        weighing = await rank()
    # Still moving after as many holds: keep the place held if this decision may propose it, else
    # hold as a decision without a read model does, down this ranking.
    ranking = weighing.ranking
    log.info("decision_kept_moving", request_id=request.request_id, holds=MAX_HOLDS)
    if held is not None:
        chosen = next((c for c in ranking.ranked if c.unit_id == held.unit_id and c.eligible), None)
        if chosen is not None:
            chosen.chosen = True
            return weighing, (chosen, held)
        await release_quietly(capacity, held.id)
    return weighing, await reserve_best(capacity, ranking, request)
