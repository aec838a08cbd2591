"""A unit's group profile over HTTP: derived from the stays that run, following stays as they start and
end, shown to coordinators and the services only, and given to matching with the candidates."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from capacity.groups.rules import GroupStay, age_today, group_profile
from common.clock import ManualClock
from common.testing import bearer
from services.capacity.tests.factories import SERVICE, create_provider_with_unit, get_unit, provider_headers

REFERRER = bearer("referrer", org="Wijkteam Delft", referrer_type="local_team")


async def _hold(
    capacity: httpx.AsyncClient, clock: ManualClock, unit_id: str, age: int | None, flags: list[str]
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "referral_id": f"ref-{len(flags)}-{age}-{clock.now().timestamp()}",
        "client_key": "ck-group",
        "expires_at": (clock.now() + timedelta(hours=48)).isoformat(),
        "flags": flags,
    }
    if age is not None:
        body["age"] = age
    response = await capacity.post(f"/v1/units/{unit_id}/reservations", json=body, headers=SERVICE)
    assert response.status_code == 201, response.text
    reservation: dict[str, Any] = response.json()
    return reservation


async def _stay(capacity: httpx.AsyncClient, clock: ManualClock, unit_id: str, age: int, flags: list[str]) -> str:
    """A child held and placed: the id of its stay."""
    reservation = await _hold(capacity, clock, unit_id, age, flags)
    clock.advance(timedelta(seconds=1))
    confirmed = await capacity.post(
        f"/v1/reservations/{reservation['id']}/confirm", json={"start_date": "2026-11-02"}, headers=SERVICE
    )
    assert confirmed.status_code == 200, confirmed.text
    return str(confirmed.json()["occupancy"]["id"])


def test_the_profile_counts_children_ages_and_codes_and_names_nobody() -> None:
    today = date(2026, 11, 2)
    stays = [
        GroupStay(14, date(2026, 1, 10), ("aggression", "absconding")),
        GroupStay(16, date(2025, 11, 3), ("aggression",)),
        GroupStay(None, None, ()),
    ]
    assert group_profile(stays, today) == {"count": 3, "ages": [14, 16], "flags": {"absconding": 1, "aggression": 2}}
    # The age grows with the whole years since it was told.
    assert age_today(14, date(2025, 11, 2), today) == 15
    assert age_today(14, date(2025, 11, 3), today) == 14


async def test_the_group_profile_follows_stays_starting_and_ending(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=4)
    assert (await get_unit(capacity, unit["id"]))["group_profile"] == {"count": 0, "ages": [], "flags": {}}

    first = await _stay(capacity, clock, unit["id"], 15, ["sexually_transgressive_behaviour", "aggression"])
    await _stay(capacity, clock, unit["id"], 13, ["aggression"])
    # A place only held is not a child in the group yet.
    await _hold(capacity, clock, unit["id"], 9, ["under_twelve"])
    assert (await get_unit(capacity, unit["id"]))["group_profile"] == {
        "count": 2,
        "ages": [13, 15],
        "flags": {"aggression": 2, "sexually_transgressive_behaviour": 1},
    }

    ended = await capacity.post(f"/v1/occupancies/{first}/end", json={"end_date": "2026-11-03"}, headers=SERVICE)
    assert ended.status_code == 200, ended.text
    listed = await capacity.get("/v1/units", headers=SERVICE)
    assert listed.json()["items"][0]["group_profile"] == {"count": 1, "ages": [13], "flags": {"aggression": 1}}

    # A year on, the child that stays is a year older.
    clock.advance(timedelta(days=366))
    assert (await get_unit(capacity, unit["id"]))["group_profile"]["ages"] == [14]


async def test_the_group_profile_is_hidden_from_providers_and_referrers(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    await _stay(capacity, clock, unit["id"], 15, ["sexually_transgressive_behaviour"])
    for headers in (provider_headers(provider["id"]), provider_headers("another-provider"), REFERRER):
        one = await capacity.get(f"/v1/units/{unit['id']}", headers=headers)
        assert one.status_code == 200, one.text
        assert one.json()["group_profile"] is None
        listed = await capacity.get("/v1/units", headers=headers)
        assert [u["group_profile"] for u in listed.json()["items"]] == [None]
        assert "sexually_transgressive_behaviour" not in one.text + listed.text
    assert (await get_unit(capacity, unit["id"]))["group_profile"]["count"] == 1


async def test_the_candidates_carry_the_group_profiles_of_units_with_children(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    _, occupied = await create_provider_with_unit(capacity, capacity=3, name="Bezet")
    _, empty = await create_provider_with_unit(capacity, capacity=3, name="Leeg")
    await _stay(capacity, clock, occupied["id"], 16, ["exploitation_recruiting"])
    params = {"care_type": "residential", "target_group": "jo", "age": 14, "view": "compact"}

    plain = (await capacity.get("/v1/candidates", params=params, headers=SERVICE)).json()
    assert "group_profiles" not in plain and "production" not in plain

    found = (await capacity.get("/v1/candidates", params={**params, "group": "true"}, headers=SERVICE)).json()
    assert found["group_profiles"] == {
        occupied["id"]: {"count": 1, "ages": [16], "flags": {"exploitation_recruiting": 1}}
    }
    assert empty["id"] not in found["group_profiles"]
    assert found["production"] == {}


async def test_a_hold_refuses_flags_that_are_not_codes(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    body = {
        "referral_id": "ref-bad",
        "client_key": "ck",
        "expires_at": (clock.now() + timedelta(hours=1)).isoformat(),
        "flags": ["Jan de Vries, 111222333"],
        "age": 14,
    }
    response = await capacity.post(f"/v1/units/{unit['id']}/reservations", json=body, headers=SERVICE)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["flags.0"]
    response = await capacity.post(
        f"/v1/units/{unit['id']}/reservations", json={**body, "flags": [], "age": 40}, headers=SERVICE
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["age"]
    assert (await get_unit(capacity, unit["id"]))["reserved"] == 0
