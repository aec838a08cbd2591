"""A place is held for a while, never in the past and never for years: capacity's expires_at and
matching's hold_until lie after the services' clock and at most max_hold_days ahead."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import httpx
import pytest

from common.clock import ManualClock
from services.capacity.tests.factories import SERVICE, create_provider_with_unit, reserve

FAR_AHEAD = datetime.fromisoformat("9999-12-31T00:00:00+00:00")
LONG_AGO = datetime.fromisoformat("1970-01-01T00:00:00+00:00")


def refused_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("when", ["year 9999", "1970", "a week and a second", "now"])
async def test_capacity_refuses_a_hold_outside_the_window(
    capacity: httpx.AsyncClient, clock: ManualClock, when: str
) -> None:
    now = clock.now()
    expires_at = {
        "year 9999": FAR_AHEAD,
        "1970": LONG_AGO,
        "a week and a second": now + timedelta(days=7, seconds=1),
        "now": now,
    }[when]
    _, unit = await create_provider_with_unit(capacity)
    assert refused_fields(await reserve(capacity, unit["id"], expires_at=expires_at)) == ["expires_at"]


async def test_capacity_holds_a_place_for_up_to_a_week(capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    _, unit = await create_provider_with_unit(capacity)
    response = await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(days=7))
    assert response.status_code == 201, response.text


def decision_request(hold_until: datetime) -> dict[str, object]:
    referral_id = str(uuid.uuid4())
    return {
        "request_id": f"{referral_id}:attempt-1",
        "referral_id": referral_id,
        "client_key": "client-key",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0503",
        "hold_until": hold_until.isoformat(),
    }


@pytest.mark.parametrize("when", ["year 9999", "1970", "a week and a second"])
async def test_matching_refuses_a_hold_outside_the_window(
    matching: httpx.AsyncClient, clock: ManualClock, when: str
) -> None:
    now = clock.now()
    hold_until = {"year 9999": FAR_AHEAD, "1970": LONG_AGO, "a week and a second": now + timedelta(days=7, seconds=1)}[
        when
    ]
    response = await matching.post("/v1/decisions", json=decision_request(hold_until), headers=SERVICE)
    assert refused_fields(response) == ["hold_until"]


async def test_matching_decides_with_a_hold_of_a_week(matching: httpx.AsyncClient, clock: ManualClock) -> None:
    response = await matching.post(
        "/v1/decisions", json=decision_request(clock.now() + timedelta(days=7)), headers=SERVICE
    )
    assert response.status_code == 200, response.text
