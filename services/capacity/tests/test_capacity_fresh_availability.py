"""Fresh availability: when a unit's free places were last confirmed, when that turns stale on the
service's clock, who may confirm, the stale filter; closing a unit and changing its details; and
whether the region contracted a provider."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from factories import (
    COORDINATOR,
    FROM_MATCHING,
    SERVICE,
    create_provider,
    create_provider_with_unit,
    create_unit,
    get_unit,
    provider_headers,
    reserve,
)
from fastapi import FastAPI

from common.clock import ManualClock
from common.testing import bearer

REFERRER = bearer("referrer", org="Wijkteam Centrum", referrer_type="local_team")


@pytest.fixture
def stale_hours(capacity_app: FastAPI) -> Iterator[None]:
    """The unit turns stale after 0.01 hours (36 seconds), as an operator may set it for a trial."""
    settings = capacity_app.state.settings
    before = settings.availability_stale_hours
    settings.availability_stale_hours = 0.01
    yield
    settings.availability_stale_hours = before


async def patch_unit(
    capacity: httpx.AsyncClient, unit_id: str, body: dict[str, Any], headers: dict[str, str] = COORDINATOR
) -> httpx.Response:
    """PATCH the unit as last read (If-Match its current version)."""
    version = (await capacity.get(f"/v1/units/{unit_id}", headers=COORDINATOR)).json().get("version", 1)
    return await capacity.patch(f"/v1/units/{unit_id}", json=body, headers={**headers, "If-Match": str(version)})


def _fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


async def test_a_new_unit_is_confirmed_now_and_turns_stale_after_the_set_hours(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    _, unit = await create_provider_with_unit(capacity)
    assert unit["availability_confirmed_at"] == clock.now().isoformat().replace("+00:00", "Z")
    assert unit["availability_stale"] is False and unit["closed"] is False

    clock.advance(timedelta(seconds=35))
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is False
    clock.advance(timedelta(seconds=2))
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is True


async def test_the_default_is_a_day(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    clock.advance(timedelta(hours=23, minutes=59))
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is False
    clock.advance(timedelta(minutes=2))
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is True


async def test_confirming_makes_the_unit_fresh_and_raises_its_version(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    clock.advance(timedelta(minutes=5))
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is True

    answer = await capacity.post(
        f"/v1/units/{unit['id']}/confirm-availability", headers=provider_headers(provider["id"])
    )

    assert answer.status_code == 200, answer.text
    confirmed = answer.json()
    assert confirmed["availability_stale"] is False
    assert confirmed["availability_confirmed_at"] == clock.now().isoformat().replace("+00:00", "Z")
    assert confirmed["version"] == unit["version"] + 1
    assert answer.headers["ETag"] == f'"{confirmed["version"]}"'
    assert (confirmed["capacity"], confirmed["blocked"]) == (unit["capacity"], unit["blocked"])


async def test_a_coordinator_confirms_any_unit_others_are_refused(
    capacity: httpx.AsyncClient, stale_hours: None
) -> None:
    _, unit = await create_provider_with_unit(capacity)
    other = await create_provider(capacity, name="Elders")
    path = f"/v1/units/{unit['id']}/confirm-availability"

    assert (await capacity.post(path, headers=COORDINATOR)).status_code == 200
    assert (await capacity.post(path, headers=provider_headers(other["id"]))).status_code == 403
    assert (await capacity.post(path, headers=REFERRER)).status_code == 403
    assert (await capacity.post(path)).status_code == 401
    missing = await capacity.post("/v1/units/no-such-unit/confirm-availability", headers=COORDINATOR)
    assert missing.status_code == 404


async def test_changing_free_or_blocked_places_confirms_them(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    clock.advance(timedelta(hours=1))
    answer = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 4, "blocked": 1},
        headers={**provider_headers(provider["id"]), "If-Match": str(unit["version"])},
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["availability_stale"] is False
    assert answer.json()["availability_confirmed_at"] == clock.now().isoformat().replace("+00:00", "Z")


async def test_a_hold_does_not_count_as_a_confirmation(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    _, unit = await create_provider_with_unit(capacity)
    clock.advance(timedelta(hours=1))
    assert (await reserve(capacity, unit["id"], now=clock.now())).status_code == 201
    assert (await get_unit(capacity, unit["id"]))["availability_stale"] is True


async def test_the_units_filter_lists_the_stale_open_units(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider = await create_provider(capacity)
    old = await create_unit(capacity, provider["id"], name="A oud")
    closed = await create_unit(capacity, provider["id"], name="B gesloten")
    clock.advance(timedelta(hours=1))
    fresh = await create_unit(capacity, provider["id"], name="C vers")
    shut = await patch_unit(capacity, closed["id"], {"closed": True})
    assert shut.status_code == 200, shut.text

    async def listed(**params: Any) -> list[str]:
        answer = await capacity.get("/v1/units", params=params, headers=COORDINATOR)
        assert answer.status_code == 200, answer.text
        return [unit["id"] for unit in answer.json()["items"]]

    assert await listed(availability_stale="true") == [old["id"]]
    # A closed unit has nothing to confirm: it is never stale.
    assert await listed(availability_stale="false") == [closed["id"], fresh["id"]]
    assert await listed(closed="true") == [closed["id"]]
    assert await listed(closed="false") == [old["id"], fresh["id"]]
    assert (
        await capacity.get("/v1/units", params={"availability_stale": "perhaps"}, headers=COORDINATOR)
    ).status_code == 422


async def test_intake_is_told_which_units_turned_stale_since_its_last_question(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider = await create_provider(capacity)
    early = await create_unit(capacity, provider["id"], name="A vroeg")
    shut = await create_unit(capacity, provider["id"], name="B dicht")
    assert (await patch_unit(capacity, shut["id"], {"closed": True})).status_code == 200

    async def stale(since: dict[str, Any] | None = None, headers: dict[str, str] = SERVICE) -> dict[str, Any]:
        params = {}
        if since is not None:
            params = {"generation": since["generation"], "after": since["upto"], "turned_after": since["stale_before"]}
        answer = await capacity.get("/internal/stale-units", params=params, headers=headers)
        assert answer.status_code == 200, answer.text
        found: dict[str, Any] = answer.json()
        return found

    def ids(answer: dict[str, Any]) -> list[str]:
        return [unit["id"] for unit in answer["units"]]

    # Intake's call only.
    for other in (FROM_MATCHING, COORDINATOR, provider_headers(provider["id"])):
        assert (await capacity.get("/internal/stale-units", headers=other)).status_code == 403

    first = await stale()
    assert first["units"] == []
    clock.advance(timedelta(minutes=1))
    later = await create_unit(capacity, provider["id"], name="C later")
    second = await stale(first)
    # Turned stale by time since the first question; the closed unit is never stale.
    assert second["units"] == [
        {
            "id": early["id"],
            "provider_id": provider["id"],
            "availability_confirmed_at": early["availability_confirmed_at"].replace("Z", "+00:00"),
        }
    ]
    assert second["upto"] > first["upto"] and second["stale_before"] > first["stale_before"]

    # Nothing turns stale without time or a change: the stale unit is not listed again.
    assert ids(await stale(second)) == []
    # Opened again long after its confirmation turned stale: stale at once, and listed for that change;
    # the unit made later turns stale by time.
    clock.advance(timedelta(minutes=1))
    assert (await patch_unit(capacity, shut["id"], {"closed": False})).status_code == 200
    third = await stale(second)
    assert ids(third) == [shut["id"], later["id"]]
    # Confirmed again, then stale again: listed again.
    confirmed = await capacity.post(f"/v1/units/{early['id']}/confirm-availability", headers=COORDINATOR)
    assert confirmed.status_code == 200
    clock.advance(timedelta(minutes=1))
    assert ids(await stale(third)) == [early["id"]]
    # All of them without an earlier answer, or with one of another generation of the counter.
    assert ids(await stale()) == [early["id"], shut["id"], later["id"]]
    assert ids(await stale({**third, "generation": "restored"})) == [early["id"], shut["id"], later["id"]]


async def test_a_closed_unit_takes_no_new_hold_and_is_no_candidate_while_its_stays_run_on(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    held = await reserve(capacity, unit["id"], now=clock.now())
    assert held.status_code == 201

    closed = await patch_unit(capacity, unit["id"], {"closed": True}, provider_headers(provider["id"]))
    assert closed.status_code == 200, closed.text
    assert closed.json()["closed"] is True and closed.json()["reserved"] == 1

    refused = await reserve(capacity, unit["id"], now=clock.now())
    assert refused.status_code == 409
    params = {"care_type": "residential", "target_group": "jo", "age": 14}
    found = (await capacity.get("/v1/candidates", params=params, headers=FROM_MATCHING)).json()
    assert found["units"] == [] and found["excluded"] == []
    # The hold made before still becomes a stay.
    taken = await capacity.post(
        f"/v1/reservations/{held.json()['id']}/confirm", json={"start_date": "2026-11-02"}, headers=SERVICE
    )
    assert taken.status_code == 200, taken.text

    reopened = await patch_unit(capacity, unit["id"], {"closed": False})
    assert reopened.json()["closed"] is False
    assert len((await capacity.get("/v1/candidates", params=params, headers=FROM_MATCHING)).json()["units"]) == 1


async def test_candidates_say_which_units_are_stale(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider = await create_provider(capacity)
    old = await create_unit(capacity, provider["id"], name="Oud")
    clock.advance(timedelta(hours=1))
    fresh = await create_unit(capacity, provider["id"], name="Vers")
    params = {"care_type": "residential", "target_group": "jo", "age": 14}

    full = (await capacity.get("/v1/candidates", params=params, headers=FROM_MATCHING)).json()
    compact = (await capacity.get("/v1/candidates", params={**params, "view": "compact"}, headers=FROM_MATCHING)).json()

    assert {u["id"]: u["availability_stale"] for u in full["units"]} == {old["id"]: True, fresh["id"]: False}
    assert {row[0]: row[-1] for row in compact["units"]} == {old["id"]: True, fresh["id"]: False}


async def test_a_provider_changes_its_units_details(capacity: httpx.AsyncClient) -> None:
    provider, unit = await create_provider_with_unit(capacity)
    other = await create_provider(capacity, name="Elders")
    path = f"/v1/units/{unit['id']}"
    change = {
        "name": "Groep De Eik",
        "age_min": 10,
        "age_max": 15,
        "target_groups": ["jo", "lvb"],
        "specialisms": ["autism"],
        "municipality_code": "GM0599",
        "description": "Een rustige groep aan de rand van de stad.",
        "latitude": 51.92,
        "longitude": 4.48,
    }

    assert (await patch_unit(capacity, unit["id"], {"name": "X"}, provider_headers(other["id"]))).status_code == 403
    assert (await patch_unit(capacity, unit["id"], {"name": "X"}, REFERRER)).status_code == 403
    assert (await patch_unit(capacity, "none", {"name": "X"})).status_code == 404
    assert (await capacity.patch(path, json={"name": "X"}, headers=COORDINATOR)).status_code == 428
    stale = await capacity.patch(path, json={"name": "X"}, headers={**COORDINATOR, "If-Match": '"99"'})
    assert stale.status_code == 412

    answer = await capacity.patch(
        path, json=change, headers={**provider_headers(provider["id"]), "If-Match": str(unit["version"])}
    )

    assert answer.status_code == 200, answer.text
    changed = answer.json()
    assert {key: changed[key] for key in change} == change
    assert changed["in_region"] is False and changed["version"] == unit["version"] + 1
    assert changed["capacity"] == unit["capacity"] and changed["care_type"] == unit["care_type"]
    cleared = await patch_unit(capacity, unit["id"], {"description": None, "latitude": None, "longitude": None})
    assert (cleared.json()["description"], cleared.json()["latitude"]) == (None, None)


async def test_bad_details_are_refused_naming_the_field(capacity: httpx.AsyncClient) -> None:
    _, unit = await create_provider_with_unit(capacity)
    path = f"/v1/units/{unit['id']}"

    async def refused(body: dict[str, Any]) -> list[str]:
        answer = await capacity.patch(path, json=body, headers={**COORDINATOR, "If-Match": str(unit["version"])})
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"].startswith("application/problem+json")
        return _fields(answer)

    assert await refused({"age_min": 16, "age_max": 12}) == ["age_max"]
    assert await refused({"age_min": 18}) == ["age_max"]
    assert await refused({"name": None}) == ["name"]
    assert await refused({"closed": "yes"}) == ["closed"]
    assert await refused({"specialisms": ["horses"]}) == ["specialisms.0"]
    assert await refused({"municipality_code": "0518"}) == ["municipality_code"]
    assert await refused({"latitude": 52.0}) == ["longitude"]
    assert await refused({"capacity": 9}) == ["capacity"]
    assert (await get_unit(capacity, unit["id"]))["version"] == unit["version"]


async def test_a_provider_is_contracted_unless_a_coordinator_says_otherwise(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    assert provider["contracted"] is True
    path = f"/v1/providers/{provider['id']}"

    assert (
        await capacity.patch(path, json={"contracted": False}, headers=provider_headers(provider["id"]))
    ).status_code == 403
    bad = await capacity.patch(path, json={"contracted": "no"}, headers=COORDINATOR)
    assert bad.status_code == 422 and _fields(bad) == ["contracted"]
    answer = await capacity.patch(path, json={"contracted": False}, headers=COORDINATOR)

    assert answer.status_code == 200, answer.text
    assert answer.json()["contracted"] is False
    assert (await capacity.get(path, headers=REFERRER)).json()["contracted"] is False
    created = await capacity.post(
        "/v1/providers",
        json={"name": "Buiten contract", "agb_code": "87654321", "role": "operational", "contracted": False},
        headers=COORDINATOR,
    )
    assert created.status_code == 201 and created.json()["contracted"] is False


async def test_intake_is_told_per_provider_how_fresh_the_open_units_are(
    capacity: httpx.AsyncClient, clock: ManualClock, stale_hours: None
) -> None:
    provider = await create_provider(capacity)
    other = await create_provider(capacity)
    old = await create_unit(capacity, provider["id"], name="Oud")
    shut = await create_unit(capacity, provider["id"], name="Dicht")
    assert (await patch_unit(capacity, shut["id"], {"closed": True})).status_code == 200
    clock.advance(timedelta(minutes=2))
    since = clock.now()
    await create_unit(capacity, provider["id"], name="Nieuw")
    await create_unit(capacity, other["id"], name="Ander")

    for refused in (FROM_MATCHING, COORDINATOR, provider_headers(provider["id"])):
        answer = await capacity.get("/internal/unit-freshness", params={"since": since.isoformat()}, headers=refused)
        assert answer.status_code == 403
    answer = await capacity.get("/internal/unit-freshness", params={"since": since.isoformat()}, headers=SERVICE)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    # Open units only; confirmed at or after `since` counted apart; stale: older than the stale hours.
    assert sorted((p["provider_id"], p["units"], p["confirmed_since"]) for p in body["providers"]) == sorted(
        [(provider["id"], 2, 1), (other["id"], 1, 1)]
    )
    assert [(u["id"], u["name"], u["provider_id"]) for u in body["stale_units"]] == [(old["id"], "Oud", provider["id"])]
