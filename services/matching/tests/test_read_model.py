"""Matching's read model of the register, followed by capacity's change feed: a decision sees every
change capacity accepted before it began, and capacity's hold stays the last word."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI

from common.clock import ManualClock
from common.http import ServiceClient
from common.testing import service_bearer
from contracts.matching import DecisionRequest
from matching.replica import Replica
from matching.service import Read, fetch_candidates
from services.matching.tests.test_decisions import (
    COORDINATOR,
    DELFT,
    HOLD_UNTIL,
    LEIDEN,
    RIJSWIJK,
    ROTTERDAM,
    ZOETERMEER,
    decide,
    decision_request,
    exclusions,
    place_unit,
    provider,
    reserved_places,
    stored,
    unit,
)

FROM_MATCHING = service_bearer("matching")


async def version_of(capacity: httpx.AsyncClient, unit_id: str) -> int:
    response = await capacity.get(f"/v1/units/{unit_id}", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    return int(response.json()["version"])


async def test_a_unit_added_a_moment_before_a_decision_is_proposed(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient
) -> None:
    await place_unit(capacity, municipality=ZOETERMEER)
    first = await decide(matching)
    assert first["outcome"] == "proposed"

    added = await place_unit(capacity, municipality=DELFT, role="strategic")
    decision = await decide(matching)

    assert decision["proposal"]["unit_id"] == added
    assert await reserved_places(capacity, added) == 1


async def test_a_unit_closed_or_filled_after_the_last_decision_is_not_proposed(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient
) -> None:
    closing = await place_unit(capacity, municipality=DELFT, role="strategic")
    filling = await place_unit(capacity, municipality=DELFT, role="tactical")
    remaining = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] in (closing, filling)

    closed = await capacity.patch(
        f"/v1/units/{closing}",
        json={"closed": True},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, closing))},
    )
    assert closed.status_code == 200, closed.text
    # Its last free place blocked (the first decision may have held the other).
    filled = await capacity.put(
        f"/v1/units/{filling}/availability",
        json={"capacity": 2, "blocked": 2 - await reserved_places(capacity, filling)},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, filling))},
    )
    assert filled.status_code == 200, filled.text
    decision = await decide(matching)

    assert decision["proposal"]["unit_id"] == remaining
    record = await stored(matching, decision["id"])
    assert closing not in {c["unit_id"] for c in record["candidates"]}
    assert exclusions(record)[filling] == "no_free_place"


class HoldFirst(httpx.AsyncBaseTransport):
    """Capacity as matching reaches it, where another child takes the last place of `unit_id` just
    before matching's hold of it arrives: the read model matching ranked on was a moment behind.
    Counts the calls that reach capacity."""

    def __init__(self, capacity_app: FastAPI, capacity: httpx.AsyncClient, unit_id: str | None) -> None:
        self.inner = httpx.ASGITransport(app=capacity_app)
        self.capacity = capacity
        self.unit_id = unit_id
        self.taken = False
        self.calls: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        if request.url.path == f"/internal/units/{self.unit_id}/reservations" and not self.taken:
            self.taken = True
            other = decision_request()
            hold = {
                "referral_id": other["referral_id"],
                "client_key": other["client_key"],
                "expires_at": other["hold_until"],
            }
            taken = await self.capacity.post(f"/v1/units/{self.unit_id}/reservations", json=hold, headers=FROM_MATCHING)
            assert taken.status_code == 201, taken.text
        return await self.inner.handle_async_request(request)


@contextlib.asynccontextmanager
async def capacity_seen_through(matching_app: FastAPI, transport: httpx.AsyncBaseTransport) -> AsyncIterator[None]:
    """Matching reaches capacity through `transport` meanwhile."""
    state = matching_app.state
    kept = state.capacity
    state.capacity = ServiceClient(
        "http://capacity", service_name="matching", tokens=state.service_tokens, transport=transport
    )
    try:
        yield
    finally:
        await state.capacity.aclose()
        state.capacity = kept


async def test_a_hold_refused_because_the_read_model_was_behind_goes_to_the_next_place(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, capacity_app: FastAPI
) -> None:
    best = await place_unit(capacity, municipality=DELFT, places=1, role="strategic")
    second = await place_unit(capacity, municipality=RIJSWIJK)
    state = matching_app.state
    await state.replica.catch_up(state.capacity)
    racing = HoldFirst(capacity_app, capacity, best)
    async with capacity_seen_through(matching_app, racing):
        decision = await decide(matching)

    assert racing.taken
    assert decision["proposal"]["unit_id"] == second
    # The refusal carried the changes: the next place was held on them, without asking for the feed.
    assert racing.calls == [f"POST /internal/units/{best}/reservations", f"POST /internal/units/{second}/reservations"]
    lost = next(c for c in (await stored(matching, decision["id"]))["candidates"] if c["unit_id"] == best)
    assert lost["excluded_reason"] == "no_free_place"
    assert await reserved_places(capacity, best) == 1
    assert await reserved_places(capacity, second) == 1


async def test_matching_started_anew_reads_the_register_and_catches_up(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI
) -> None:
    first = await place_unit(capacity, municipality=ZOETERMEER)
    assert (await decide(matching))["proposal"]["unit_id"] == first
    kept: Replica = matching_app.state.replica
    # A matching process started anew: its read model is empty until its first decision.
    matching_app.state.replica = Replica()
    try:
        added = await place_unit(capacity, municipality=DELFT, role="strategic")
        decision = await decide(matching)
        assert decision["proposal"]["unit_id"] == added
        restarted = matching_app.state.replica
        assert set(restarted.units) == {first, added}
        assert restarted.units[first].reserved == 1
        assert restarted.generation == kept.generation
    finally:
        matching_app.state.replica = kept
    # The one kept learns everything from its first hold's answer, the new unit and its hold among it,
    # and moves its hold to the new unit, ranked first.
    again = await decide(matching)
    assert again["proposal"]["unit_id"] == added
    assert kept.units[added].reserved == 2
    assert (await reserved_places(capacity, first), await reserved_places(capacity, added)) == (1, 2)


async def test_the_change_feed_is_for_matching_alone(capacity: httpx.AsyncClient) -> None:
    refused = await capacity.get("/internal/changes", headers=service_bearer("intake"))
    assert refused.status_code == 403
    allowed = await capacity.get("/internal/changes", headers=FROM_MATCHING)
    assert allowed.status_code == 200


async def test_the_change_feed_sends_each_unit_once_in_pages_and_a_change_whole(
    capacity: httpx.AsyncClient,
) -> None:
    units = [await place_unit(capacity, municipality=DELFT) for _ in range(5)]

    seen: list[Any] = []
    after, pages = 0, 0
    while True:
        response = await capacity.get("/internal/changes", params={"after": after, "limit": 2}, headers=FROM_MATCHING)
        assert response.status_code == 200, response.text
        body = response.json()
        seen += [row[0] for row in body["units"]]
        after, pages = body["upto"], pages + 1
        if not body["more"]:
            break

    assert seen == units
    assert pages == 3
    assert after == body["latest"]
    nothing = await capacity.get("/internal/changes", params={"after": after}, headers=FROM_MATCHING)
    assert nothing.json()["units"] == []
    assert nothing.json()["upto"] == after


async def hold(capacity: httpx.AsyncClient, unit_id: str, request_id: str | None = None, **child: Any) -> str:
    other = decision_request()
    body = {"referral_id": other["referral_id"], "client_key": other["client_key"], "expires_at": HOLD_UNTIL}
    if request_id is not None:
        body["request_id"] = request_id
    response = await capacity.post(f"/v1/units/{unit_id}/reservations", json={**body, **child}, headers=FROM_MATCHING)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def stay(capacity: httpx.AsyncClient, unit_id: str, start: str, age: int, flags: list[str]) -> None:
    reservation = await hold(capacity, unit_id, age=age, flags=flags)
    confirmed = await capacity.post(
        f"/v1/reservations/{reservation}/confirm", json={"start_date": start}, headers=service_bearer("intake")
    )
    assert confirmed.status_code == 200, confirmed.text


def _sorted(read: Read) -> dict[str, Any]:
    return {
        "units": sorted(tuple(u) for u in read.units),
        "rejected": sorted(tuple(r) for r in read.rejected),
        "counts": (read.outside_counted, read.outside_fitting, read.unfit_counted),
        "held": read.held_unit_id,
        "group": (read.group_profiles, read.production),
    }


async def test_the_read_model_lists_what_capacity_lists(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI, clock: ManualClock
) -> None:
    """Every kind of unit, with stays, holds, agreements and stale availability: for every way a
    decision asks, the units listed from the read model are those capacity lists."""
    capped = await provider(capacity)
    agreed = await capacity.patch(
        f"/v1/providers/{capped}",
        json={"production_agreements": [{"year": 2026, "care_type": "residential", "care_days": 40}]},
        headers=COORDINATOR,
    )
    assert agreed.status_code == 200, agreed.text
    grouped = await unit(capacity, capped, municipality=DELFT, places=4)
    await stay(capacity, grouped, "2026-10-01", 15, ["aggression"])
    await stay(capacity, grouped, "2026-11-01", 13, [])
    await unit(capacity, capped, municipality=ROTTERDAM, places=2)
    clock.advance(timedelta(days=2))
    # Confirmed two days later than the others, which are stale by then.
    fresh = await place_unit(capacity, municipality=DELFT, role="strategic")
    held = await place_unit(capacity, municipality=ZOETERMEER, places=1)
    await place_unit(capacity, municipality=DELFT, places=0)
    await place_unit(capacity, municipality=DELFT, ages=(4, 11))
    await place_unit(capacity, municipality=DELFT, target_groups=("lvb",))
    outside = await place_unit(capacity, municipality=ROTTERDAM)
    await place_unit(capacity, municipality=LEIDEN, places=0)
    await place_unit(capacity, municipality=LEIDEN, ages=(4, 11))
    closing = await place_unit(capacity, municipality=DELFT)
    await capacity.patch(
        f"/v1/units/{closing}",
        json={"closed": True},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, closing))},
    )
    clock.advance(timedelta(hours=1))
    asking = DecisionRequest.model_validate(decision_request())
    await hold(capacity, held, request_id=asking.request_id)
    replica = Replica()
    await replica.catch_up(matching_app.state.capacity)
    assert fresh in replica.units

    for request in (asking, DecisionRequest.model_validate(decision_request())):
        for region in ("inside", "outside", "all"):
            for excluded_outside in ("list", "count"):
                for excluded_unfit in ("list", "count"):
                    for group in (True, False):
                        capacity_client = matching_app.state.capacity
                        listed, modelled = [
                            await fetch_candidates(
                                capacity_client,
                                request,
                                region,
                                excluded_outside=excluded_outside,
                                excluded_unfit=excluded_unfit,
                                group=group,
                                replica=source,
                            )
                            for source in (None, replica)
                        ]
                        options = (region, excluded_outside, excluded_unfit, group)
                        assert _sorted(modelled) == _sorted(listed), (region, options)
    # Not a comparison of two empty lists: the units, the group and the production use are there.
    every = await fetch_candidates(matching_app.state.capacity, asking, "all", replica=replica)
    assert every.held_unit_id == held
    assert every.group_profiles[grouped]["count"] == 2
    assert every.production[capped]["used_days"] > 0
    assert any(u.availability_stale for u in every.units) and not all(u.availability_stale for u in every.units)
    # A unit outside filled: the units outside that could take the child are counted anew.
    fitting = (await fetch_candidates(matching_app.state.capacity, asking, "inside", replica=replica)).outside_fitting
    filled = await capacity.put(
        f"/v1/units/{outside}/availability",
        json={"capacity": 2, "blocked": 2},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, outside))},
    )
    assert filled.status_code == 200, filled.text
    await replica.catch_up(matching_app.state.capacity)
    inside = [await fetch_candidates(matching_app.state.capacity, asking, "inside", replica=r) for r in (None, replica)]
    assert inside[0].outside_fitting == inside[1].outside_fitting == fitting - 1


async def test_the_count_of_units_outside_is_kept_right_as_they_change(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, matching_app: FastAPI
) -> None:
    filling = await place_unit(capacity, municipality=ROTTERDAM)
    closing = await place_unit(capacity, municipality=LEIDEN, ages=(4, 13))
    last_place = await place_unit(capacity, municipality=ROTTERDAM, places=1, target_groups=("jo", "lvb"))
    await place_unit(capacity, municipality=LEIDEN, target_groups=("lvb",))
    replica = Replica()
    client = matching_app.state.capacity
    await replica.catch_up(client)
    children = [
        DecisionRequest.model_validate(decision_request(age=age, target_group=group))
        for age, group in ((12, "jo"), (13, "lvb"), (16, "jo"), (5, "jo"))
    ]

    async def counts() -> list[tuple[int, int]]:
        """For each child: the count capacity answers, and the read model's."""
        found = []
        for child in children:
            listed, modelled = [
                await fetch_candidates(client, child, "inside", excluded_unfit="count", replica=source)
                for source in (None, replica)
            ]
            found.append((listed.outside_fitting, modelled.outside_fitting))
        return found

    first = await counts()
    assert all(listed == modelled for listed, modelled in first) and first[0][0] > 0
    filled = await capacity.put(
        f"/v1/units/{filling}/availability",
        json={"capacity": 2, "blocked": 2},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, filling))},
    )
    assert filled.status_code == 200, filled.text
    closed = await capacity.patch(
        f"/v1/units/{closing}",
        json={"closed": True},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, closing))},
    )
    assert closed.status_code == 200, closed.text
    await hold(capacity, last_place)
    await place_unit(capacity, municipality=ROTTERDAM, ages=(10, 17))
    await replica.catch_up(client)

    after = await counts()
    assert all(listed == modelled for listed, modelled in after), after
    assert after != first
    # Changed back: the unit filled is open again and the one closed reopened.
    freed = await capacity.put(
        f"/v1/units/{filling}/availability",
        json={"capacity": 2, "blocked": 0},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, filling))},
    )
    assert freed.status_code == 200, freed.text
    reopened = await capacity.patch(
        f"/v1/units/{closing}",
        json={"closed": False},
        headers={**COORDINATOR, "If-Match": str(await version_of(capacity, closing))},
    )
    assert reopened.status_code == 200, reopened.text
    await replica.catch_up(client)
    assert all(listed == modelled for listed, modelled in await counts())
