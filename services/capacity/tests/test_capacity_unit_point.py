"""A unit's own point: latitude and longitude, both or neither, in their ranges."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from services.capacity.tests.factories import COORDINATOR, create_provider, create_unit, unit_body


async def test_a_unit_keeps_its_own_point(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], latitude=52.0123, longitude=4.3567)

    read = (await capacity.get(f"/v1/units/{unit['id']}", headers=COORDINATOR)).json()
    assert (unit["latitude"], unit["longitude"]) == (52.0123, 4.3567)
    assert (read["latitude"], read["longitude"]) == (52.0123, 4.3567)


async def test_a_unit_without_a_point_has_none(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"])

    assert unit["latitude"] is None and unit["longitude"] is None


@pytest.mark.parametrize(
    ("point", "field"),
    [
        ({"latitude": 52.0}, "longitude"),
        ({"longitude": 4.3}, "latitude"),
        ({"latitude": 91.0, "longitude": 4.3}, "latitude"),
        ({"latitude": 52.0, "longitude": -180.5}, "longitude"),
        ({"latitude": "north", "longitude": 4.3}, "latitude"),
    ],
)
async def test_a_point_out_of_range_or_alone_is_refused_naming_the_field(
    capacity: httpx.AsyncClient, point: dict[str, Any], field: str
) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(**point), headers=COORDINATOR
    )

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]
