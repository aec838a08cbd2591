"""Matching's hold: the hold or its refusal, with the changes numbered after the number matching sends
(docs/internal-api.md, the change feed); the public hold answers as before."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from common.clock import ManualClock
from services.capacity.tests.factories import (
    FROM_MATCHING,
    SERVICE,
    create_provider_with_unit,
    create_unit,
    get_unit,
    reserve,
)


def hold(now: datetime, request_id: str | None = None) -> dict[str, Any]:
    body = {
        "referral_id": str(uuid.uuid4()),
        "client_key": "ck-test",
        "expires_at": (now + timedelta(days=2)).isoformat(),
        "age": 14,
        "flags": ["aggression"],
    }
    if request_id is not None:
        body["request_id"] = request_id
    return body


async def latest(capacity: httpx.AsyncClient) -> int:
    response = await capacity.get("/internal/changes", params={"after": 0}, headers=FROM_MATCHING)
    assert response.status_code == 200, response.text
    return int(response.json()["latest"])


async def test_a_hold_for_matching_carries_the_changes_after_its_number_its_own_among_them(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider, first = await create_provider_with_unit(capacity)
    after = await latest(capacity)
    added = await create_unit(capacity, provider["id"], name="Groep De Eik")

    response = await capacity.post(
        f"/internal/units/{first['id']}/reservations",
        params={"after": after},
        json=hold(clock.now(), "request-1"),
        headers=FROM_MATCHING,
    )

    assert response.status_code == 201, response.text
    answer = response.json()
    reservation = answer["reservation"]
    assert (reservation["unit_id"], reservation["status"], reservation["request_id"]) == (
        first["id"],
        "held",
        "request-1",
    )
    changes = answer["changes"]
    # The unit added before the hold, then the held unit with its hold: oldest change first.
    assert [row[0] for row in changes["units"]] == [added["id"], first["id"]]
    held_row = changes["units"][1]
    assert held_row[14] == 1  # reserved
    assert held_row[23] == ["request-1"]  # the requests holding a place there
    assert changes["upto"] == changes["latest"] == held_row[1] == after + 2
    assert changes["more"] is False
    # Asked again (a retry), the same hold and the same changes.
    again = await capacity.post(
        f"/internal/units/{first['id']}/reservations",
        params={"after": after},
        json=hold(clock.now(), "request-1"),
        headers=FROM_MATCHING,
    )
    assert again.status_code == 200, again.text
    assert again.json()["reservation"]["id"] == reservation["id"]
    assert [row[0] for row in again.json()["changes"]["units"]] == [added["id"], first["id"]]


async def test_a_refused_hold_for_matching_carries_the_changes_too(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    _, full = await create_provider_with_unit(capacity, capacity=1)
    after = await latest(capacity)
    taken = await reserve(capacity, full["id"], now=clock.now())
    assert taken.status_code == 201, taken.text

    refused = await capacity.post(
        f"/internal/units/{full['id']}/reservations",
        params={"after": after},
        json=hold(clock.now(), "request-2"),
        headers=FROM_MATCHING,
    )

    assert refused.status_code == 409, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "urn:regiepunt:no-free-place"
    # The hold that took the place, and not the refused one: a refusal numbers no change.
    assert [row[0] for row in problem["changes"]["units"]] == [full["id"]]
    assert problem["changes"]["upto"] == after + 1 == await latest(capacity)
    assert (await get_unit(capacity, full["id"]))["reserved"] == 1

    unknown = await capacity.post(
        f"/internal/units/{uuid.uuid4()}/reservations",
        params={"after": after},
        json=hold(clock.now()),
        headers=FROM_MATCHING,
    )
    assert unknown.status_code == 404, unknown.text
    assert unknown.json()["changes"]["upto"] == after + 1


async def test_only_matching_holds_with_changes_and_the_public_hold_answers_as_before(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity)
    body = hold(clock.now())

    refused = await capacity.post(
        f"/internal/units/{unit['id']}/reservations", params={"after": 0}, json=body, headers=SERVICE
    )
    assert refused.status_code == 403
    without_number = await capacity.post(f"/internal/units/{unit['id']}/reservations", json=body, headers=FROM_MATCHING)
    assert without_number.status_code == 422

    public = await capacity.post(f"/v1/units/{unit['id']}/reservations", json=body, headers=FROM_MATCHING)
    assert public.status_code == 201, public.text
    assert "changes" not in public.json() and public.json()["unit_id"] == unit["id"]
    paths = (await capacity.get("/openapi.json")).json()["paths"]
    assert not any(path.startswith("/internal") for path in paths)
