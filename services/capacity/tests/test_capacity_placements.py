"""Holding, confirming, releasing and ending places through HTTP, including the race for the last place."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from common.clock import ManualClock
from common.testing import bearer
from services.capacity.tests.factories import (
    COORDINATOR,
    FROM_MATCHING,
    SERVICE,
    create_provider_with_unit,
    get_unit,
    provider_headers,
    reserve,
)


def counts(unit: dict[str, Any]) -> tuple[int, int, int, int]:
    return unit["occupied"], unit["reserved"], unit["blocked"], unit["available"]


async def epoch(capacity: httpx.AsyncClient) -> int:
    response = await capacity.get("/v1/free-places-epoch", headers=SERVICE)
    assert response.status_code == 200, response.text
    value: int = response.json()["epoch"]
    return value


async def confirm(capacity: httpx.AsyncClient, reservation_id: str, start_date: str = "2026-11-03") -> httpx.Response:
    return await capacity.post(
        f"/v1/reservations/{reservation_id}/confirm", json={"start_date": start_date}, headers=SERVICE
    )


async def release(capacity: httpx.AsyncClient, reservation_id: str) -> httpx.Response:
    return await capacity.post(f"/v1/reservations/{reservation_id}/release", headers=SERVICE)


async def end(capacity: httpx.AsyncClient, occupancy_id: str, end_date: str = "2026-12-01") -> httpx.Response:
    return await capacity.post(f"/v1/occupancies/{occupancy_id}/end", json={"end_date": end_date}, headers=SERVICE)


# --- reserve ----------------------------------------------------------------------------------------


async def test_reserving_holds_a_place(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    provider, unit = await create_provider_with_unit(capacity, capacity=2)
    expires = clock.now() + timedelta(hours=48)
    response = await reserve(capacity, unit["id"], referral_id="ref-1", client_key="ck-1", expires_at=expires)
    assert response.status_code == 201, response.text
    reservation = response.json()
    assert reservation["unit_id"] == unit["id"] and reservation["provider_id"] == provider["id"]
    assert reservation["referral_id"] == "ref-1" and reservation["client_key"] == "ck-1"
    assert reservation["status"] == "held"
    assert datetime.fromisoformat(reservation["expires_at"]) == expires
    assert datetime.fromisoformat(reservation["created_at"]) == clock.now()
    after = await get_unit(capacity, unit["id"])
    assert counts(after) == (0, 1, 0, 1)
    assert after["version"] == unit["version"] + 1
    fetched = await capacity.get(f"/v1/reservations/{reservation['id']}", headers=COORDINATOR)
    assert fetched.status_code == 200 and fetched.json() == reservation


async def test_reserving_again_for_the_same_referral_answers_the_same_hold(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=3)
    first = await reserve(capacity, unit["id"], referral_id="ref-1")
    again = await reserve(capacity, unit["id"], referral_id="ref-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert counts(await get_unit(capacity, unit["id"])) == (0, 1, 0, 2)


async def test_reserving_a_full_unit_is_a_conflict(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    assert (await reserve(capacity, unit["id"])).status_code == 201
    response = await reserve(capacity, unit["id"])
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"] == "urn:regiepunt:no-free-place"


async def test_blocked_places_cannot_be_reserved(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    blocked = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 1, "blocked": 1},
        headers={**COORDINATOR, "If-Match": "1"},
    )
    assert blocked.status_code == 200
    assert (await reserve(capacity, unit["id"])).status_code == 409


async def test_reserving_an_unknown_unit_is_not_found(capacity: httpx.AsyncClient) -> None:
    response = await reserve(capacity, "00000000-0000-0000-0000-000000000000")
    assert response.status_code == 404


async def test_hold_must_end_in_the_future(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    response = await reserve(capacity, unit["id"], expires_at=clock.now())
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["expires_at"]
    assert counts(await get_unit(capacity, unit["id"])) == (0, 0, 0, 4)


async def test_reservation_calls_are_for_services(capacity: httpx.AsyncClient) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    body = {"referral_id": "ref-1", "client_key": "ck", "expires_at": "2026-11-04T09:00:00+00:00"}
    url = f"/v1/units/{unit['id']}/reservations"
    assert (await capacity.post(url, json=body, headers=COORDINATOR)).status_code == 403
    assert (await capacity.post(url, json=body, headers=provider_headers(provider["id"]))).status_code == 403
    assert (await capacity.post(url, json=body)).status_code == 401
    reservation = (await reserve(capacity, unit["id"])).json()
    referrer = bearer("referrer", referrer_type="gp")
    assert (await capacity.get(f"/v1/reservations/{reservation['id']}", headers=referrer)).status_code == 403
    assert (
        await capacity.post(f"/v1/reservations/{reservation['id']}/release", headers=COORDINATOR)
    ).status_code == 403


async def test_fifty_concurrent_reservations_for_the_last_place_leave_one_winner(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    responses = await asyncio.gather(*(reserve(capacity, unit["id"], referral_id=f"ref-{n}") for n in range(50)))
    statuses = sorted(r.status_code for r in responses)
    assert statuses.count(201) == 1, [r.text for r in responses if r.status_code not in (201, 409)]
    assert statuses.count(409) == 49
    after = await get_unit(capacity, unit["id"])
    assert (after["reserved"], after["available"]) == (1, 0)
    assert after["version"] == unit["version"] + 1


async def test_the_same_referral_racing_itself_gets_one_hold(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=5)
    responses = await asyncio.gather(*(reserve(capacity, unit["id"], referral_id="ref-1") for _ in range(10)))
    assert sorted(r.status_code for r in responses) == [200] * 9 + [201]
    assert len({r.json()["id"] for r in responses}) == 1
    assert counts(await get_unit(capacity, unit["id"])) == (0, 1, 0, 4)


# --- confirm, release, end --------------------------------------------------------------------------


async def test_reserve_confirm_end_moves_the_place_along(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    reservation = (await reserve(capacity, unit["id"], referral_id="ref-1", client_key="ck-1")).json()

    confirmed = await confirm(capacity, reservation["id"], "2026-11-03")
    assert confirmed.status_code == 200, confirmed.text
    body = confirmed.json()
    assert body["reservation"]["status"] == "confirmed"
    occupancy = body["occupancy"]
    assert occupancy["reservation_id"] == reservation["id"] and occupancy["unit_id"] == unit["id"]
    assert occupancy["referral_id"] == "ref-1" and occupancy["client_key"] == "ck-1"
    assert (occupancy["start_date"], occupancy["end_date"]) == ("2026-11-03", None)
    assert counts(await get_unit(capacity, unit["id"])) == (1, 0, 0, 1)

    ended = await end(capacity, occupancy["id"], "2026-12-01")
    assert ended.status_code == 200, ended.text
    assert ended.json()["end_date"] == "2026-12-01"
    after = await get_unit(capacity, unit["id"])
    assert counts(after) == (0, 0, 0, 2)
    assert after["version"] == unit["version"] + 3
    fetched = await capacity.get(f"/v1/occupancies/{occupancy['id']}", headers=COORDINATOR)
    assert fetched.json() == ended.json()


async def test_a_confirmation_says_whether_the_provider_is_contracted_now(capacity: httpx.AsyncClient) -> None:
    provider, unit = await create_provider_with_unit(capacity, capacity=2)
    first = (await reserve(capacity, unit["id"])).json()
    assert (await confirm(capacity, first["id"])).json()["provider_contracted"] is True

    changed = await capacity.patch(f"/v1/providers/{provider['id']}", json={"contracted": False}, headers=COORDINATOR)
    assert changed.status_code == 200, changed.text
    second = (await reserve(capacity, unit["id"])).json()
    assert (await confirm(capacity, second["id"])).json()["provider_contracted"] is False
    # Confirming again answers as the provider stands now.
    assert (await confirm(capacity, first["id"])).json()["provider_contracted"] is False


async def test_confirm_and_end_are_idempotent(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    reservation = (await reserve(capacity, unit["id"])).json()
    first = await confirm(capacity, reservation["id"])
    second = await confirm(capacity, reservation["id"], "2026-11-09")
    assert second.status_code == 200
    assert second.json() == first.json()
    occupancy_id = first.json()["occupancy"]["id"]
    ended = await end(capacity, occupancy_id, "2026-12-01")
    again = await end(capacity, occupancy_id, "2026-12-05")
    assert again.status_code == 200
    assert again.json() == ended.json()
    assert counts(await get_unit(capacity, unit["id"])) == (0, 0, 0, 2)


async def test_release_frees_the_place_and_is_idempotent(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    reservation = (await reserve(capacity, unit["id"])).json()
    released = await release(capacity, reservation["id"])
    assert released.status_code == 200, released.text
    assert released.json()["status"] == "released"
    again = await release(capacity, reservation["id"])
    assert again.status_code == 200 and again.json() == released.json()
    assert counts(await get_unit(capacity, unit["id"])) == (0, 0, 0, 1)
    assert (await reserve(capacity, unit["id"])).status_code == 201


async def test_released_reservation_cannot_be_confirmed(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity)
    reservation = (await reserve(capacity, unit["id"])).json()
    await release(capacity, reservation["id"])
    response = await confirm(capacity, reservation["id"])
    assert response.status_code == 409
    assert counts(await get_unit(capacity, unit["id"])) == (0, 0, 0, 4)


async def test_confirmed_reservation_cannot_be_released(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity)
    reservation = (await reserve(capacity, unit["id"])).json()
    await confirm(capacity, reservation["id"])
    response = await release(capacity, reservation["id"])
    assert response.status_code == 409
    assert counts(await get_unit(capacity, unit["id"])) == (1, 0, 0, 3)


async def test_lapsed_hold_cannot_be_confirmed(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    reservation = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=1))).json()
    clock.advance(timedelta(hours=2))
    response = await confirm(capacity, reservation["id"])
    assert response.status_code == 409
    assert counts(await get_unit(capacity, unit["id"])) == (0, 1, 0, 3)


async def test_end_before_start_is_refused(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity)
    reservation = (await reserve(capacity, unit["id"])).json()
    occupancy = (await confirm(capacity, reservation["id"], "2026-11-03")).json()["occupancy"]
    response = await end(capacity, occupancy["id"], "2026-11-01")
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["end_date"]


async def test_unknown_reservation_and_occupancy_are_not_found(capacity: httpx.AsyncClient) -> None:
    missing = str(uuid.uuid4())
    assert (await capacity.get(f"/v1/reservations/{missing}", headers=SERVICE)).status_code == 404
    assert (await confirm(capacity, missing)).status_code == 404
    assert (await release(capacity, missing)).status_code == 404
    assert (await end(capacity, missing)).status_code == 404


async def test_capacity_cannot_drop_below_places_in_use(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=3)
    reservation = (await reserve(capacity, unit["id"])).json()
    await confirm(capacity, reservation["id"])
    await reserve(capacity, unit["id"])
    current = await get_unit(capacity, unit["id"])
    url = f"/v1/units/{unit['id']}/availability"
    headers = {**COORDINATOR, "If-Match": str(current["version"])}
    refused = await capacity.put(url, json={"capacity": 2, "blocked": 1}, headers=headers)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["capacity"]
    allowed = await capacity.put(url, json={"capacity": 2, "blocked": 0}, headers=headers)
    assert allowed.status_code == 200
    assert counts(allowed.json()) == (1, 1, 0, 0)


# --- the free-places epoch --------------------------------------------------------------------------


async def test_epoch_rises_whenever_a_place_may_come_free(capacity: httpx.AsyncClient) -> None:
    assert await epoch(capacity) == 0
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    assert await epoch(capacity) == 1  # unit created

    first = (await reserve(capacity, unit["id"])).json()
    second = (await reserve(capacity, unit["id"])).json()
    assert await epoch(capacity) == 1  # holding a place frees nothing

    await release(capacity, first["id"])
    assert await epoch(capacity) == 2
    await release(capacity, first["id"])
    assert await epoch(capacity) == 2  # an idempotent repeat frees nothing new

    occupancy = (await confirm(capacity, second["id"])).json()["occupancy"]
    assert await epoch(capacity) == 2
    await end(capacity, occupancy["id"])
    assert await epoch(capacity) == 3

    url = f"/v1/units/{unit['id']}/availability"
    version = (await get_unit(capacity, unit["id"]))["version"]
    await capacity.put(url, json={"capacity": 2, "blocked": 1}, headers={**COORDINATOR, "If-Match": str(version)})
    assert await epoch(capacity) == 3  # blocking a place frees nothing
    await capacity.put(url, json={"capacity": 2, "blocked": 0}, headers={**COORDINATOR, "If-Match": str(version + 1)})
    assert await epoch(capacity) == 4  # unblocking does
    await capacity.put(url, json={"capacity": 3, "blocked": 0}, headers={**COORDINATOR, "If-Match": str(version + 2)})
    assert await epoch(capacity) == 5  # so does more capacity


async def test_epoch_is_for_services_and_coordinators(capacity: httpx.AsyncClient) -> None:
    assert (await capacity.get("/v1/free-places-epoch", headers=COORDINATOR)).status_code == 200
    referrer = bearer("referrer", referrer_type="gp")
    assert (await capacity.get("/v1/free-places-epoch", headers=referrer)).status_code == 403


# --- racing writers ---------------------------------------------------------------------------------


async def test_two_availability_writers_with_the_same_version_cannot_both_win(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=4)
    url = f"/v1/units/{unit['id']}/availability"
    headers = {**COORDINATOR, "If-Match": '"1"'}
    responses = await asyncio.gather(
        *(capacity.put(url, json={"capacity": 5 + n, "blocked": 0}, headers=headers) for n in range(6))
    )
    assert sorted(r.status_code for r in responses) == [200] + [412] * 5
    winner = next(r.json() for r in responses if r.status_code == 200)
    after = await get_unit(capacity, unit["id"])
    assert (after["capacity"], after["version"]) == (winner["capacity"], 2)


async def test_concurrent_confirmations_make_one_stay(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    reservation = (await reserve(capacity, unit["id"])).json()
    responses = await asyncio.gather(*(confirm(capacity, reservation["id"]) for _ in range(5)))
    assert [r.status_code for r in responses] == [200] * 5
    assert len({r.json()["occupancy"]["id"] for r in responses}) == 1
    assert counts(await get_unit(capacity, unit["id"])) == (1, 0, 0, 1)


async def test_release_racing_confirm_leaves_consistent_counts(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    reservation = (await reserve(capacity, unit["id"])).json()
    confirmed, released = await asyncio.gather(
        confirm(capacity, reservation["id"]), release(capacity, reservation["id"])
    )
    after = await get_unit(capacity, unit["id"])
    if confirmed.status_code == 200:
        assert released.status_code == 409
        assert counts(after) == (1, 0, 0, 0)
    else:
        assert (confirmed.status_code, released.status_code) == (409, 200)
        assert counts(after) == (0, 0, 0, 1)


async def test_every_unit_change_moves_updated_at(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    clock.advance(timedelta(minutes=5))
    reservation = (await reserve(capacity, unit["id"], now=clock.now())).json()
    held = await get_unit(capacity, unit["id"])
    assert datetime.fromisoformat(held["updated_at"]) == clock.now()
    clock.advance(timedelta(minutes=5))
    await confirm(capacity, reservation["id"])
    confirmed = await get_unit(capacity, unit["id"])
    assert datetime.fromisoformat(confirmed["updated_at"]) == clock.now()
    assert datetime.fromisoformat(confirmed["created_at"]) == datetime.fromisoformat(unit["created_at"])


async def test_reservation_body_is_validated(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity)
    url = f"/v1/units/{unit['id']}/reservations"
    response = await capacity.post(
        url, json={"referral_id": "r", "expires_at": "soon", "extra": 1}, headers=FROM_MATCHING
    )
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["client_key", "expires_at", "extra"]


# --- a hold belongs to the match request that made it -------------------------------------------------


async def release_holds(capacity: httpx.AsyncClient, **body: Any) -> list[str]:
    response = await capacity.post("/v1/reservations/release", json=body, headers=SERVICE)
    assert response.status_code == 200, response.text
    released: list[str] = response.json()["released"]
    return released


async def test_a_request_that_holds_a_place_gets_that_hold_back_on_any_unit(capacity: httpx.AsyncClient) -> None:
    _, first = await create_provider_with_unit(capacity, capacity=1)
    _, second = await create_provider_with_unit(capacity, capacity=1)
    held = await reserve(capacity, first["id"], referral_id="ref-1", request_id="ref-1:attempt-1")
    assert held.status_code == 201 and held.json()["request_id"] == "ref-1:attempt-1"
    again = await reserve(capacity, second["id"], referral_id="ref-1", request_id="ref-1:attempt-1")
    assert again.status_code == 200
    assert again.json()["id"] == held.json()["id"]
    assert (await get_unit(capacity, first["id"]))["reserved"] == 1
    assert (await get_unit(capacity, second["id"]))["reserved"] == 0
    # Another request of the same referral takes a place of its own.
    other = await reserve(capacity, second["id"], referral_id="ref-1", request_id="ref-1:attempt-2")
    assert other.status_code == 201
    assert (await get_unit(capacity, second["id"]))["reserved"] == 1


async def test_the_same_request_racing_itself_over_units_holds_one_place(capacity: httpx.AsyncClient) -> None:
    units = [(await create_provider_with_unit(capacity, capacity=1))[1] for _ in range(5)]
    responses = await asyncio.gather(
        *(reserve(capacity, unit["id"], referral_id="ref-1", request_id="ref-1:attempt-1") for unit in units)
    )
    assert sorted(r.status_code for r in responses) == [200] * 4 + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert sum([(await get_unit(capacity, unit["id"]))["reserved"] for unit in units]) == 1


async def test_a_lapsed_hold_of_the_request_is_expired_and_a_new_place_taken(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    first = await reserve(capacity, unit["id"], referral_id="ref-1", request_id="r-1", now=clock.now())
    clock.advance(timedelta(hours=49))
    again = await reserve(capacity, unit["id"], referral_id="ref-1", request_id="r-1", now=clock.now())
    assert again.status_code == 201, again.text
    assert again.json()["id"] != first.json()["id"]
    lapsed = await capacity.get(f"/v1/reservations/{first.json()['id']}", headers=SERVICE)
    assert lapsed.json()["status"] == "expired"
    assert (await get_unit(capacity, unit["id"]))["reserved"] == 1


async def test_candidates_count_the_place_a_request_holds_as_free_for_that_request(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    await reserve(capacity, unit["id"], referral_id="ref-1", request_id="ref-1:attempt-1")
    params = {"care_type": unit["care_type"], "target_group": "jo", "age": 14}
    for extra in ({}, {"request_id": "someone-else"}):
        others = (await capacity.get("/v1/candidates", params={**params, **extra}, headers=FROM_MATCHING)).json()
        assert others["units"] == []
        assert [e["reason"] for e in others["excluded"]] == ["no_free_place"]
    own = (
        await capacity.get("/v1/candidates", params={**params, "request_id": "ref-1:attempt-1"}, headers=FROM_MATCHING)
    ).json()
    assert [u["id"] for u in own["units"]] == [unit["id"]]
    assert own["excluded"] == []
    assert own["held_unit_id"] == unit["id"]


async def test_releasing_the_holds_of_a_referral_keeps_the_one_named_and_those_of_other_requests(
    capacity: httpx.AsyncClient,
) -> None:
    units = [(await create_provider_with_unit(capacity, capacity=1))[1] for _ in range(4)]
    holds = [
        (await reserve(capacity, unit["id"], referral_id="ref-1", request_id=f"ref-1:attempt-{n}")).json()
        for n, unit in enumerate(units[:3], start=1)
    ]
    elsewhere = (await reserve(capacity, units[3]["id"], referral_id="ref-2")).json()
    before = await epoch(capacity)
    released = await release_holds(
        capacity,
        referral_id="ref-1",
        keep_reservation_id=holds[1]["id"],
        request_ids=["ref-1:attempt-1", "ref-1:attempt-2"],
    )
    assert released == [holds[0]["id"]]
    assert [(await get_unit(capacity, unit["id"]))["reserved"] for unit in units] == [0, 1, 1, 1]
    assert await epoch(capacity) > before
    # Without request ids every hold of the referral goes, and again is harmless.
    assert sorted(await release_holds(capacity, referral_id="ref-1")) == sorted([holds[1]["id"], holds[2]["id"]])
    assert await release_holds(capacity, referral_id="ref-1") == []
    assert [(await get_unit(capacity, unit["id"]))["reserved"] for unit in units] == [0, 0, 0, 1]
    assert (await capacity.get(f"/v1/reservations/{elsewhere['id']}", headers=SERVICE)).json()["status"] == "held"


async def test_a_confirmed_place_is_not_released_with_the_holds(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    held = (await reserve(capacity, unit["id"], referral_id="ref-1", request_id="r-1")).json()
    assert (await confirm(capacity, held["id"])).status_code == 200
    assert await release_holds(capacity, referral_id="ref-1") == []
    assert counts(await get_unit(capacity, unit["id"])) == (1, 0, 0, 1)


async def test_releasing_holds_is_for_services(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post("/v1/reservations/release", json={"referral_id": "ref-1"}, headers=COORDINATOR)
    assert response.status_code == 403
