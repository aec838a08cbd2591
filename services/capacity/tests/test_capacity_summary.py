"""The availability summary: places per care type inside and outside the region, summed in the database."""

from __future__ import annotations

from datetime import datetime

import httpx

from common.clock import ManualClock
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


async def test_free_places_are_grouped_by_what_the_units_admit(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    provider = await create_provider(capacity)
    teen = {"care_type": "residential", "target_groups": ["jo", "lvb"], "age_min": 12, "age_max": 17}
    first = await create_unit(capacity, provider["id"], capacity=2, **teen)
    await create_unit(capacity, provider["id"], capacity=3, **teen)
    full = await create_unit(capacity, provider["id"], capacity=1, **{**teen, "age_min": 4, "age_max": 11})
    await create_unit(capacity, provider["id"], capacity=0, care_type="crisis")
    await create_unit(capacity, provider["id"], capacity=1, municipality_code="GM0599", **teen)
    assert (await reserve(capacity, first["id"])).status_code == 201
    assert (await reserve(capacity, full["id"])).status_code == 201

    response = await capacity.get("/v1/free-places", headers=COORDINATOR)

    assert response.status_code == 200, response.text
    items = response.json()["items"]
    assert {datetime.fromisoformat(item.pop("changed_at")) for item in items} == {clock.now()}
    assert items == [
        {
            "care_type": "residential",
            "in_region": False,
            "age_min": 12,
            "age_max": 17,
            "target_groups": ["jo", "lvb"],
            "part_time": False,
            "units": 1,
            "available": 1,
        },
        {
            "care_type": "residential",
            "in_region": True,
            "age_min": 12,
            "age_max": 17,
            "target_groups": ["jo", "lvb"],
            "part_time": False,
            "units": 2,
            "available": 4,
        },
    ]
