"""Providers and units through HTTP: creation, validation, authorisation, filters, availability."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from common.testing import bearer
from services.capacity.tests.factories import (
    COORDINATOR,
    create_provider,
    create_unit,
    get_unit,
    provider_headers,
    unit_body,
)


def field_names(response: httpx.Response) -> list[str]:
    assert response.headers["content-type"] == "application/problem+json", response.text
    return [error["field"] for error in response.json()["errors"]]


# --- providers --------------------------------------------------------------------------------------


async def test_coordinator_registers_a_provider(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": "12345678", "role": "strategic"}, headers=COORDINATOR
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["name"] == "Horizon" and body["agb_code"] == "12345678" and body["role"] == "strategic"
    assert body["created_at"].startswith("2026-11-02T09:00:00")
    fetched = await capacity.get(f"/v1/providers/{body['id']}", headers=bearer("referrer", referrer_type="gp"))
    assert fetched.status_code == 200
    assert fetched.json() == body


async def test_providers_are_listed_for_anyone_with_a_token(capacity: httpx.AsyncClient) -> None:
    await create_provider(capacity, name="B-zorg")
    await create_provider(capacity, name="A-zorg")
    response = await capacity.get("/v1/providers", headers=bearer("referrer", referrer_type="local_team"))
    assert response.status_code == 200
    body = response.json()
    assert [p["name"] for p in body["items"]] == ["A-zorg", "B-zorg"]
    assert body["total"] == 2


@pytest.mark.parametrize("agb_code", ["1234567", "123456789", "1234567a", ""])
async def test_agb_code_must_be_eight_digits(capacity: httpx.AsyncClient, agb_code: str) -> None:
    response = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": agb_code, "role": "tactical"}, headers=COORDINATOR
    )
    assert response.status_code == 422
    assert field_names(response) == ["agb_code"]


async def test_unknown_provider_role_is_refused(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": "12345678", "role": "partner"}, headers=COORDINATOR
    )
    assert response.status_code == 422
    assert field_names(response) == ["role"]


async def test_unknown_field_is_named(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post(
        "/v1/providers",
        json={"name": "Horizon", "agb_code": "12345678", "role": "tactical", "colour": "red"},
        headers=COORDINATOR,
    )
    assert response.status_code == 422
    assert field_names(response) == ["colour"]


async def test_duplicate_agb_code_is_a_conflict(capacity: httpx.AsyncClient) -> None:
    await create_provider(capacity, agb_code="87654321")
    response = await capacity.post(
        "/v1/providers", json={"name": "Again", "agb_code": "87654321", "role": "tactical"}, headers=COORDINATOR
    )
    assert response.status_code == 409


async def test_referrer_may_not_register_a_provider(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post(
        "/v1/providers",
        json={"name": "Horizon", "agb_code": "12345678", "role": "tactical"},
        headers=bearer("referrer", referrer_type="gp"),
    )
    assert response.status_code == 403
    assert response.headers["content-type"] == "application/problem+json"


async def test_calls_without_a_token_are_unauthorised(capacity: httpx.AsyncClient) -> None:
    assert (await capacity.get("/v1/providers")).status_code == 401
    assert (await capacity.get("/v1/units")).status_code == 401
    response = await capacity.post("/v1/providers", json={"name": "X", "agb_code": "12345678", "role": "tactical"})
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


async def test_unknown_provider_is_not_found(capacity: httpx.AsyncClient) -> None:
    assert (await capacity.get("/v1/providers/nope", headers=COORDINATOR)).status_code == 404
    response = await capacity.post("/v1/providers/nope/units", json=unit_body(), headers=COORDINATOR)
    assert response.status_code == 404


# --- units ------------------------------------------------------------------------------------------


async def test_coordinator_adds_a_unit(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="strategic")
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units",
        json=unit_body(target_groups=["lvb", "jo"], capacity=6, specialisms=["trauma", "autism"]),
        headers=COORDINATOR,
    )
    assert response.status_code == 201, response.text
    unit = response.json()
    assert response.headers["etag"] == '"1"'
    expected: dict[str, Any] = {
        "provider_id": provider["id"],
        "provider_role": "strategic",
        "name": "Groep De Linde",
        "care_type": "residential",
        "target_groups": ["jo", "lvb"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "in_region": True,
        "capacity": 6,
        "occupied": 0,
        "reserved": 0,
        "blocked": 0,
        "available": 6,
        "specialisms": ["trauma", "autism"],
        "part_time": False,
        "version": 1,
    }
    assert {key: unit[key] for key in expected} == expected
    fetched = await capacity.get(f"/v1/units/{unit['id']}", headers=bearer("referrer", referrer_type="gp"))
    assert fetched.status_code == 200
    assert fetched.headers["etag"] == '"1"'
    assert fetched.json() == unit


async def test_unit_outside_the_region_is_marked(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], municipality_code="GM0599")  # Rotterdam
    assert unit["in_region"] is False


async def test_provider_adds_a_unit_to_itself(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(), headers=provider_headers(provider["id"])
    )
    assert response.status_code == 201, response.text
    assert response.json()["provider_id"] == provider["id"]


async def test_provider_may_not_add_a_unit_to_another_provider(capacity: httpx.AsyncClient) -> None:
    mine = await create_provider(capacity)
    theirs = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{theirs['id']}/units", json=unit_body(), headers=provider_headers(mine["id"])
    )
    assert response.status_code == 403


async def test_referrer_may_not_add_a_unit(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(), headers=bearer("referrer", referrer_type="gp")
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"care_type": "boarding_school"}, "care_type"),
        ({"age_min": 15, "age_max": 12}, "age_max"),
        ({"age_max": 24}, "age_max"),
        ({"age_min": -1}, "age_min"),
        ({"capacity": -1}, "capacity"),
        ({"municipality_code": "0518"}, "municipality_code"),
        ({"municipality_code": "GM518"}, "municipality_code"),
        ({"municipality_code": "gm0518"}, "municipality_code"),
        ({"target_groups": []}, "target_groups"),
        ({"target_groups": ["adults"]}, "target_groups.0"),
        ({"name": ""}, "name"),
        ({"part_time": "sometimes"}, "part_time"),
        ({"specialisms": ["x" * 61]}, "specialisms.0"),
    ],
)
async def test_bad_unit_is_refused_naming_the_field(
    capacity: httpx.AsyncClient, overrides: dict[str, Any], field: str
) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(**overrides), headers=COORDINATOR
    )
    assert response.status_code == 422, response.text
    assert field_names(response) == [field]


async def test_missing_unit_field_is_named(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    body = unit_body()
    del body["capacity"]
    response = await capacity.post(f"/v1/providers/{provider['id']}/units", json=body, headers=COORDINATOR)
    assert response.status_code == 422
    assert field_names(response) == ["capacity"]


async def test_unknown_unit_is_not_found(capacity: httpx.AsyncClient) -> None:
    response = await capacity.get("/v1/units/00000000-0000-0000-0000-000000000000", headers=COORDINATOR)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


# --- filters ----------------------------------------------------------------------------------------


async def _unit_names(capacity: httpx.AsyncClient, **params: Any) -> list[str]:
    response = await capacity.get("/v1/units", params=params, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    return [unit["name"] for unit in response.json()["items"]]


async def test_units_are_filtered(capacity: httpx.AsyncClient) -> None:
    strategic = await create_provider(capacity, role="strategic")
    other = await create_provider(capacity)
    await create_unit(capacity, strategic["id"], name="a-crisis", care_type="crisis", age_min=0, age_max=17)
    await create_unit(
        capacity,
        strategic["id"],
        name="b-lvb-foster",
        care_type="foster_care",
        target_groups=["lvb"],
        age_min=0,
        age_max=12,
    )
    await create_unit(capacity, other["id"], name="c-outside", municipality_code="GM0599", age_min=16, age_max=21)
    full = await create_unit(capacity, other["id"], name="d-full", capacity=1)
    await capacity.put(
        f"/v1/units/{full['id']}/availability",
        json={"capacity": 1, "blocked": 1},
        headers={**COORDINATOR, "If-Match": "1"},
    )

    assert await _unit_names(capacity) == ["a-crisis", "b-lvb-foster", "c-outside", "d-full"]
    assert await _unit_names(capacity, care_type="crisis") == ["a-crisis"]
    assert await _unit_names(capacity, target_group="lvb") == ["b-lvb-foster"]
    assert await _unit_names(capacity, age=18) == ["c-outside"]
    assert await _unit_names(capacity, age=13) == ["a-crisis", "d-full"]
    assert await _unit_names(capacity, age=5) == ["a-crisis", "b-lvb-foster"]
    assert await _unit_names(capacity, in_region="false") == ["c-outside"]
    assert await _unit_names(capacity, in_region="true", available_only="true") == ["a-crisis", "b-lvb-foster"]
    assert await _unit_names(capacity, provider_id=other["id"]) == ["c-outside", "d-full"]
    assert await _unit_names(capacity, limit=2, offset=1) == ["b-lvb-foster", "c-outside"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"care_type": "hotel"}, "care_type"),
        ({"target_group": "adults"}, "target_group"),
        ({"age": "twelve"}, "age"),
        ({"age": "30"}, "age"),
        ({"in_region": "perhaps"}, "in_region"),
        ({"available_only": "perhaps"}, "available_only"),
        ({"limit": "0"}, "limit"),
        ({"limit": "5000"}, "limit"),
        ({"offset": "-1"}, "offset"),
    ],
)
async def test_bad_filter_is_refused_naming_it(capacity: httpx.AsyncClient, params: dict[str, str], field: str) -> None:
    response = await capacity.get("/v1/units", params=params, headers=COORDINATOR)
    assert response.status_code == 422
    assert field_names(response) == [field]


# --- availability -----------------------------------------------------------------------------------


@pytest.mark.parametrize("if_match", ["1", '"1"', 'W/"1"'])
async def test_provider_updates_availability_with_either_if_match_form(
    capacity: httpx.AsyncClient, clock: Any, if_match: str
) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], capacity=4)
    from datetime import timedelta

    clock.advance(timedelta(hours=1))
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 6, "blocked": 2},
        headers={**provider_headers(provider["id"]), "If-Match": if_match},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["capacity"], body["blocked"], body["available"], body["version"]) == (6, 2, 4, 2)
    assert response.headers["etag"] == '"2"'
    assert body["updated_at"].startswith("2026-11-02T10:00:00")
    assert (await get_unit(capacity, unit["id"]))["version"] == 2


async def test_stale_version_is_a_failed_precondition(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"])
    url = f"/v1/units/{unit['id']}/availability"
    first = await capacity.put(url, json={"capacity": 5, "blocked": 0}, headers={**COORDINATOR, "If-Match": '"1"'})
    assert first.status_code == 200
    stale = await capacity.put(url, json={"capacity": 7, "blocked": 0}, headers={**COORDINATOR, "If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.headers["content-type"] == "application/problem+json"
    assert (await get_unit(capacity, unit["id"]))["capacity"] == 5


async def test_availability_needs_if_match(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"])
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability", json={"capacity": 5, "blocked": 0}, headers=COORDINATOR
    )
    assert response.status_code == 428
    garbled = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 5, "blocked": 0},
        headers={**COORDINATOR, "If-Match": "latest"},
    )
    assert garbled.status_code == 422
    assert field_names(garbled) == ["If-Match"]


async def test_blocked_places_count_against_capacity(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], capacity=4)
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 3, "blocked": 4},
        headers={**COORDINATOR, "If-Match": "1"},
    )
    assert response.status_code == 422
    assert field_names(response) == ["capacity"]
    assert (await get_unit(capacity, unit["id"]))["version"] == 1


async def test_other_provider_may_not_change_availability(capacity: httpx.AsyncClient) -> None:
    owner = await create_provider(capacity)
    other = await create_provider(capacity)
    unit = await create_unit(capacity, owner["id"])
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 0, "blocked": 0},
        headers={**provider_headers(other["id"]), "If-Match": "1"},
    )
    assert response.status_code == 403
    assert (await get_unit(capacity, unit["id"]))["capacity"] == 4


async def test_availability_of_unknown_unit_is_not_found(capacity: httpx.AsyncClient) -> None:
    response = await capacity.put(
        "/v1/units/nope/availability", json={"capacity": 1, "blocked": 0}, headers={**COORDINATOR, "If-Match": "1"}
    )
    assert response.status_code == 404


async def test_negative_blocked_is_refused(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"])
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 4, "blocked": -1},
        headers={**COORDINATOR, "If-Match": "1"},
    )
    assert response.status_code == 422
    assert field_names(response) == ["blocked"]
