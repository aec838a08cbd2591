"""The availability summary: places per care type inside and outside the region, summed in the database."""

from __future__ import annotations

import httpx

from services.capacity.tests.factories import (
    COORDINATOR,
    create_provider,
    create_unit,
    get_unit,
    provider_headers,
    reserve,
)


async def test_summary_sums_places_per_care_type_and_region(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    inside = await create_unit(capacity, provider["id"], care_type="residential", capacity=4)
    await create_unit(capacity, provider["id"], care_type="residential", capacity=2, municipality_code="GM0603")
    await create_unit(capacity, provider["id"], care_type="residential", capacity=3, municipality_code="GM0599")
    await create_unit(capacity, provider["id"], care_type="crisis", capacity=1, age_min=0)
    assert (await reserve(capacity, inside["id"])).status_code == 201
    unit = await get_unit(capacity, inside["id"])
    blocked = await capacity.put(
        f"/v1/units/{inside['id']}/availability",
        json={"capacity": 4, "blocked": 1},
        headers={**provider_headers(provider["id"]), "If-Match": str(unit["version"])},
    )
    assert blocked.status_code == 200, blocked.text

    response = await capacity.get("/v1/availability-summary", headers=COORDINATOR)

    assert response.status_code == 200, response.text
    rows = {(row["care_type"], row["in_region"]): row for row in response.json()["items"]}
    assert rows[("residential", True)] == {
        "care_type": "residential",
        "in_region": True,
        "units": 2,
        "capacity": 6,
        "occupied": 0,
        "reserved": 1,
        "blocked": 1,
        "available": 4,
    }
    assert rows[("residential", False)]["units"] == 1
    assert rows[("residential", False)]["available"] == 3
    assert rows[("crisis", True)]["capacity"] == 1
    assert set(rows) == {("residential", True), ("residential", False), ("crisis", True)}


async def test_summary_needs_a_token(capacity: httpx.AsyncClient) -> None:
    response = await capacity.get("/v1/availability-summary")
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"
