"""A decision on matching's read model ranks on it as it is and learns what changed from its hold's
answer: one call to capacity when nothing changed but its own hold, a better unit come meanwhile held
instead, the feed read when there is nothing to hold or the answer would leave a gap."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from common.clock import ManualClock
from matching.freshness import WORDS as STALE_WORDS
from matching.holds import MAX_HOLDS
from matching.replica import Replica
from services.matching.tests.test_decisions import (
    COORDINATOR,
    DELFT,
    ZOETERMEER,
    decide,
    place_unit,
    reserved_places,
)
from services.matching.tests.test_read_model import FROM_MATCHING, HoldFirst, capacity_seen_through


def held(unit_id: str) -> str:
    return f"POST /internal/units/{unit_id}/reservations"


async def test_a_decision_on_a_current_read_model_calls_capacity_once(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    best = await place_unit(capacity, municipality=DELFT, role="strategic")
    await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] == best

    counting = HoldFirst(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, counting):
        decision = await decide(matching)

    assert decision["proposal"]["unit_id"] == best
    assert counting.calls == [held(best)]
    assert await reserved_places(capacity, best) == 2
    replica: Replica = matching_app.state.replica
    assert replica.units[best].reserved == 2
    # Current again, from the hold's answer alone.
    feed = await capacity.get("/internal/changes", params={"after": replica.seq}, headers=FROM_MATCHING)
    assert feed.json()["units"] == [] and feed.json()["latest"] == replica.seq


async def test_a_better_unit_the_hold_answer_tells_of_is_held_instead_and_the_first_hold_given_back(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    first = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] == first
    # Added after the read model's last change: the next decision ranks without it, holds `first`,
    # and learns of it from the hold's answer.
    better = await place_unit(capacity, municipality=DELFT, role="strategic")

    counting = HoldFirst(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, counting):
        decision = await decide(matching)

    assert decision["proposal"]["unit_id"] == better
    assert counting.calls[0] == held(first)
    assert counting.calls[2] == held(better)
    released = counting.calls[1].split()[1]
    assert released.startswith("/v1/reservations/") and released.endswith("/release")
    assert len(counting.calls) == 3
    # No hold left behind: the one given back is released, each unit holds one place.
    reservation = await capacity.get(released.removesuffix("/release"), headers=COORDINATOR)
    assert reservation.json()["status"] == "released"
    assert reservation.json()["referral_id"] == decision["referral_id"]
    assert (await reserved_places(capacity, first), await reserved_places(capacity, better)) == (1, 1)
    assert decision["proposal"]["reservation_id"] != reservation.json()["id"]


async def test_with_nothing_to_hold_the_decision_reads_the_feed_before_answering(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    assert (await decide(matching))["outcome"] == "unmatched"
    # The read model is current and has no unit; one is added a moment before the next decision.
    added = await place_unit(capacity, municipality=DELFT)

    counting = HoldFirst(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, counting):
        decision = await decide(matching)
        assert decision["proposal"]["unit_id"] == added
        assert counting.calls == ["GET /internal/changes", held(added)]

        counting.calls.clear()
        unmatched = await decide(matching, age=5)
        assert unmatched["outcome"] == "unmatched"
        assert counting.calls == ["GET /internal/changes"]


async def test_a_hold_answer_that_would_leave_a_gap_is_not_taken_and_the_feed_is_read(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    first = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] == first
    replica: Replica = matching_app.state.replica
    before = replica.generation
    # Capacity's register restored: its numbers start again under another generation, and the
    # numbers the hold's answer carries do not follow on from the read model's.
    async with capacity_app.state.database.engine.begin() as connection:
        await connection.execute(text("UPDATE change_counter SET generation = 'restored'"))
    better = await place_unit(capacity, municipality=DELFT, role="strategic")

    counting = HoldFirst(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, counting):
        decision = await decide(matching)

    assert replica.generation == "restored" != before
    # The hold's changes not taken: the feed read from the start, and the better unit held instead.
    assert counting.calls[:3] == [held(first), "GET /internal/changes", "GET /internal/changes"]
    assert counting.calls[-1] == held(better)
    assert decision["proposal"]["unit_id"] == better
    assert (await reserved_places(capacity, first), await reserved_places(capacity, better)) == (1, 1)


def test_changes_that_do_not_follow_on_from_the_read_model_are_not_applied() -> None:
    replica = Replica()
    replica.generation, replica.seq = "g", 7
    answer = {
        "generation": "g",
        "upto": 12,
        "latest": 12,
        "more": False,
        "today": "2026-11-02",
        "stale_before": "2026-10-30T09:00:00+00:00",
        "units": [],
        "providers": [],
    }

    assert not replica.take(answer, after=8)
    assert replica.seq == 7
    assert not replica.take({**answer, "generation": "other"}, after=7)
    assert replica.seq == 7
    assert not replica.take({**answer, "more": True}, after=7)
    assert replica.seq == 12
    assert replica.take({**answer, "upto": 14}, after=10)
    assert replica.seq == 14


class CapacityBeforeMatchingsHold(HoldFirst):
    """Capacity as it was before matching's hold: that route is not there."""

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/internal/units/"):
            self.calls.append(f"{request.method} {request.url.path}")
            problem = {"type": "about:blank", "title": "Not found", "status": 404, "detail": "Not Found"}
            return httpx.Response(404, json=problem, headers={"content-type": "application/problem+json"})
        return await super().handle_async_request(request)


async def test_a_capacity_without_matchings_hold_is_held_at_as_before(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    first = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] == first
    better = await place_unit(capacity, municipality=DELFT, role="strategic")

    older = CapacityBeforeMatchingsHold(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, older):
        decision = await decide(matching)

    assert decision["proposal"]["unit_id"] == better
    assert older.calls == [held(first), "GET /internal/changes", f"POST /v1/units/{better}/reservations"]
    assert (await reserved_places(capacity, first), await reserved_places(capacity, better)) == (1, 1)


class BetterEachTime(HoldFirst):
    """Capacity where, each time matching's hold arrives, a unit that ranks better than all before it
    was added a moment earlier."""

    def __init__(self, capacity_app: FastAPI, capacity: httpx.AsyncClient, better: list[dict[str, Any]]) -> None:
        super().__init__(capacity_app, capacity, None)
        self.better = better
        self.added: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/internal/units/") and self.better:
            self.added.append(await place_unit(self.capacity, **self.better.pop(0)))
        return await super().handle_async_request(request)


async def test_a_decision_moves_its_hold_a_bounded_number_of_times_and_keeps_the_last(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    needs = ["trauma", "autism"]
    first = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching, needs=needs))["proposal"]["unit_id"] == first
    better = [
        {"municipality": ZOETERMEER, "specialisms": ("trauma",)},
        {"municipality": ZOETERMEER, "specialisms": ("trauma", "autism")},
        {"municipality": DELFT, "specialisms": ("trauma", "autism")},
        {"municipality": DELFT, "specialisms": ("trauma", "autism"), "role": "strategic"},
    ]

    moving = BetterEachTime(capacity_app, capacity, better)
    async with capacity_seen_through(matching_app, moving):
        decision = await decide(matching, needs=needs)

    assert len(moving.added) == MAX_HOLDS == 4
    holds = [call for call in moving.calls if call.startswith("POST /internal/units/")]
    releases = [call for call in moving.calls if call.endswith("/release")]
    assert holds == [held(first), *(held(unit_id) for unit_id in moving.added[:3])]
    assert len(releases) == 3 and len(moving.calls) == 7
    # The fourth hold is kept, though its answer told of a better unit still: it may be proposed.
    assert decision["proposal"]["unit_id"] == moving.added[2]
    places = [await reserved_places(capacity, unit_id) for unit_id in (first, *moving.added)]
    assert places == [1, 0, 0, 1, 0]


async def test_a_unit_whose_free_places_came_to_count_as_unconfirmed_meanwhile_is_proposed_as_such(
    capacity: httpx.AsyncClient,
    matching: httpx.AsyncClient,
    matching_app: FastAPI,
    capacity_app: FastAPI,
    clock: ManualClock,
) -> None:
    unit_id = await place_unit(capacity, municipality=DELFT)
    # The next morning, a little before its free places count as confirmed too long ago (24 hours).
    clock.advance(timedelta(hours=23))
    first = await decide(matching)
    assert first["proposal"]["unit_id"] == unit_id
    assert STALE_WORDS not in first["proposal"]["reasons"]
    # Two hours later, the same day: nothing changed at capacity but the clock.
    clock.advance(timedelta(hours=2))

    counting = HoldFirst(capacity_app, capacity, None)
    async with capacity_seen_through(matching_app, counting):
        decision = await decide(matching)

    assert counting.calls == [held(unit_id)]
    assert decision["proposal"]["unit_id"] == unit_id
    assert STALE_WORDS in decision["proposal"]["reasons"]
