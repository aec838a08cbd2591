"""Several places held at once for siblings, through HTTP: all or none, also when two groups race for
the last places (on PostgreSQL the row locks decide, on SQLite the single writer)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx

from common.clock import ManualClock
from services.capacity.tests.factories import FROM_MATCHING, SERVICE, create_provider, create_unit, get_unit, reserve


def joint_body(clock: ManualClock, places: list[tuple[str, str]], *, tag: str = "g1") -> dict[str, Any]:
    """`places`: (unit id, referral id) per child."""
    return {
        "expires_at": (clock.now() + timedelta(hours=72)).isoformat(),
        "holds": [
            {
                "unit_id": unit_id,
                "referral_id": referral_id,
                "client_key": f"ck-{referral_id}",
                "request_id": f"{tag}:{referral_id}",
            }
            for unit_id, referral_id in places
        ],
    }


async def hold_together(capacity: httpx.AsyncClient, body: dict[str, Any]) -> httpx.Response:
    return await capacity.post("/v1/reservations/joint", json=body, headers=FROM_MATCHING)


async def test_joint_hold_takes_every_place_in_one_go(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    provider = await create_provider(capacity)
    first = await create_unit(capacity, provider["id"], capacity=2)
    second = await create_unit(capacity, provider["id"], capacity=1, name="Groep De Eik")
    body = joint_body(clock, [(first["id"], "r-1"), (first["id"], "r-2"), (second["id"], "r-3")])
    response = await hold_together(capacity, body)
    assert response.status_code == 201, response.text
    held = response.json()["reservations"]
    assert [(r["unit_id"], r["referral_id"], r["status"]) for r in held] == [
        (first["id"], "r-1", "held"),
        (first["id"], "r-2", "held"),
        (second["id"], "r-3", "held"),
    ]
    assert (await get_unit(capacity, first["id"]))["available"] == 0
    assert (await get_unit(capacity, second["id"]))["available"] == 0
    # Sent again, the same requests get their holds back, not new places.
    again = await hold_together(capacity, body)
    assert again.status_code == 200
    assert [r["id"] for r in again.json()["reservations"]] == [r["id"] for r in held]


async def test_joint_hold_takes_nothing_when_one_place_is_missing(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider = await create_provider(capacity)
    roomy = await create_unit(capacity, provider["id"], capacity=3)
    full = await create_unit(capacity, provider["id"], capacity=1, name="Groep De Eik")
    assert (await reserve(capacity, full["id"], now=clock.now())).status_code == 201
    response = await hold_together(capacity, joint_body(clock, [(roomy["id"], "r-1"), (full["id"], "r-2")]))
    assert response.status_code == 409
    assert response.json()["type"] == "urn:regiepunt:no-free-place"
    assert full["id"] in response.json()["detail"]
    after = await get_unit(capacity, roomy["id"])
    assert (after["reserved"], after["available"]) == (0, 3)


async def test_joint_hold_moves_a_request_held_elsewhere(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    provider = await create_provider(capacity)
    old = await create_unit(capacity, provider["id"], capacity=1)
    new = await create_unit(capacity, provider["id"], capacity=2, name="Groep De Eik")
    assert (await hold_together(capacity, joint_body(clock, [(old["id"], "r-1")]))).status_code == 201
    moved = await hold_together(capacity, joint_body(clock, [(new["id"], "r-1"), (new["id"], "r-2")]))
    assert moved.status_code == 201, moved.text
    assert (await get_unit(capacity, old["id"]))["available"] == 1
    assert (await get_unit(capacity, new["id"]))["available"] == 0


async def test_joint_hold_refuses_an_unknown_unit_and_a_request_twice(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], capacity=3)
    unknown = await hold_together(capacity, joint_body(clock, [(unit["id"], "r-1"), ("no-such-unit", "r-2")]))
    assert unknown.status_code == 404
    twice = joint_body(clock, [(unit["id"], "r-1"), (unit["id"], "r-2")])
    twice["holds"][1]["request_id"] = twice["holds"][0]["request_id"]
    refused = await hold_together(capacity, twice)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "holds"
    assert (await get_unit(capacity, unit["id"]))["available"] == 3


async def test_two_groups_racing_for_the_last_places_one_gets_all_the_other_none(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider = await create_provider(capacity)
    first = await create_unit(capacity, provider["id"], capacity=2)
    second = await create_unit(capacity, provider["id"], capacity=1, name="Groep De Eik")
    # Each group asks for the same three places, in a different order of units.
    groups = [
        joint_body(clock, [(first["id"], f"{tag}-1"), (first["id"], f"{tag}-2"), (second["id"], f"{tag}-3")], tag=tag)
        for tag in ("a", "b", "c", "d")
    ]
    groups[1]["holds"].reverse()
    groups[3]["holds"].reverse()
    answers = await asyncio.gather(*(hold_together(capacity, body) for body in groups))
    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409]
    winner = next(answer.json() for answer in answers if answer.status_code == 201)
    assert len({r["referral_id"][0] for r in winner["reservations"]}) == 1
    for unit in (first, second):
        after = await get_unit(capacity, unit["id"])
        assert (after["reserved"], after["available"]) == (unit["capacity"], 0)


async def test_compact_candidates_carry_the_free_places(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], capacity=3)
    params = {"care_type": "residential", "target_group": "jo", "age": 14, "view": "compact"}
    answer = await capacity.get("/v1/candidates", params=params, headers=SERVICE)
    assert answer.status_code == 200, answer.text
    # The free places come after part_time, before the unit's own point and its places.
    row = [unit["id"], provider["id"], "tactical", "GM0518", True, ["trauma"], False, 3, None, None, 3, False]
    assert answer.json()["units"] == [row]
