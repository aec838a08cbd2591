"""A place held for a child belongs to the match request that held it: a request sent again after
matching stopped between holding the place and storing its decision takes that place up again, and
every place held for a referral is given back once it is withdrawn, ends or is matched elsewhere."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    REFERRER,
    SERVICE,
    create_unit,
    peer_replaced,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    unit_state,
)

from common.clock import ManualClock
from intake.db import match_requests, referrals
from intake.workers import process_outbox, rematch_waiting, send_capacity_commands


async def _referral_row(intake_app: FastAPI, referral_id: str) -> dict[str, Any]:
    async with intake_app.state.database.read() as session:
        row = (await session.execute(sa.select(referrals).where(referrals.c.id == referral_id))).mappings().one()
    return dict(row)


async def _open_request_id(intake_app: FastAPI, referral_id: str) -> str:
    async with intake_app.state.database.read() as session:
        found = await session.scalar(
            sa.select(match_requests.c.request_id)
            .where(match_requests.c.referral_id == referral_id)
            .order_by(match_requests.c.created_at.desc(), match_requests.c.request_id.desc())
        )
    assert found is not None
    return str(found)


async def _hold_as_matching_would(
    capacity: httpx.AsyncClient, unit_id: str, referral: dict[str, Any], request_id: str, clock: ManualClock
) -> dict[str, Any]:
    """What matching does first for a request; it then stops before it stores its decision."""
    response = await capacity.post(
        f"/v1/units/{unit_id}/reservations",
        json={
            "referral_id": referral["id"],
            "client_key": referral["client_key"],
            "expires_at": (clock.now() + timedelta(hours=72)).isoformat(),
            "request_id": request_id,
        },
        headers=SERVICE,
    )
    assert response.status_code == 201, response.text
    hold: dict[str, Any] = response.json()
    return hold


async def test_request_sent_again_after_matching_stopped_takes_up_its_own_hold_and_withdraw_frees_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _provider_id, unit = await provider_with_unit(capacity, capacity=1)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
    assert pending["status"] == "pending"
    request_id = await _open_request_id(intake_app, pending["id"])
    # Matching held the only place for this request, then stopped before storing its decision.
    hold = await _hold_as_matching_would(
        capacity, unit["id"], await _referral_row(intake_app, pending["id"]), request_id, clock
    )
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1

    clock.advance(timedelta(minutes=1))
    assert await process_outbox(intake_app) == 1
    proposed = (await intake.get(f"/v1/referrals/{pending['id']}", headers=COORDINATOR)).json()
    assert proposed["status"] == "proposed"
    assert proposed["proposal"]["unit_id"] == unit["id"]
    assert (await _referral_row(intake_app, pending["id"]))["proposal_reservation_id"] == hold["id"]
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1  # the same place, not a second one

    withdrawn = await intake.post(f"/v1/referrals/{pending['id']}/withdraw", headers=COORDINATOR)
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


async def test_withdrawing_frees_a_place_held_by_a_request_whose_decision_was_never_stored(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _provider_id, unit = await provider_with_unit(capacity, capacity=1)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
        request_id = await _open_request_id(intake_app, pending["id"])
        await _hold_as_matching_would(
            capacity, unit["id"], await _referral_row(intake_app, pending["id"]), request_id, clock
        )
        withdrawn = await intake.post(f"/v1/referrals/{pending['id']}/withdraw", headers=COORDINATOR)
    assert withdrawn.status_code == 200, withdrawn.text
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


async def test_place_held_by_an_earlier_request_is_released_when_the_child_is_matched_elsewhere(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    waiting = await submitted(intake)
    assert waiting["status"] == "unmatched"
    provider_id, offered = await provider_with_unit(capacity, capacity=1)
    # The provider offers its unit; matching holds the place for the offer and stops before storing
    # its decision, so the offer fails and the place stays held.
    async with peer_replaced(intake_app, "matching"):
        failed = await intake.post(
            f"/v1/referrals/{waiting['id']}/offer",
            json={"unit_id": offered["id"]},
            headers=provider_headers(provider_id),
        )
    assert failed.status_code == 503
    offer_request = await _open_request_id(intake_app, waiting["id"])
    await _hold_as_matching_would(
        capacity, offered["id"], await _referral_row(intake_app, waiting["id"]), offer_request, clock
    )
    assert (await unit_state(capacity, offered["id"]))["reserved"] == 1

    # A place comes free elsewhere, and the waiting list matches the child to it.
    other = await create_unit(capacity, provider_id, name="Groep De Eik", municipality_code="GM0503")
    assert await rematch_waiting(intake_app) == 1
    proposed = (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()
    assert proposed["status"] == "proposed"
    assert proposed["proposal"]["unit_id"] == other["id"]
    assert (await unit_state(capacity, other["id"]))["reserved"] == 1
    assert (await unit_state(capacity, offered["id"]))["reserved"] == 0


async def test_release_of_held_places_waits_in_the_outbox_while_capacity_is_out_of_reach(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _provider_id, unit = await provider_with_unit(capacity, capacity=1)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
    request_id = await _open_request_id(intake_app, pending["id"])
    await _hold_as_matching_would(
        capacity, unit["id"], await _referral_row(intake_app, pending["id"]), request_id, clock
    )

    async with peer_replaced(intake_app, "capacity"):
        withdrawn = await intake.post(f"/v1/referrals/{pending['id']}/withdraw", headers=COORDINATOR)
        assert withdrawn.status_code == 200, withdrawn.text
        assert await send_capacity_commands(intake_app) == 0
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1

    clock.advance(timedelta(minutes=1))
    assert await send_capacity_commands(intake_app) == 1
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


class WithdrawnWhileMatching(httpx.AsyncBaseTransport):
    """Delivers each decision request to the real matching app, but the referral is withdrawn just
    before matching takes it up: matching holds a place for a request intake has closed."""

    def __init__(self, matching_app: FastAPI, intake: httpx.AsyncClient) -> None:
        self._inner = httpx.ASGITransport(app=matching_app)
        self._intake = intake

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v1/decisions":
            referral_id = json.loads(request.content)["referral_id"]
            withdrawn = await self._intake.post(f"/v1/referrals/{referral_id}/withdraw", headers=COORDINATOR)
            assert withdrawn.status_code == 200, withdrawn.text
        return await self._inner.handle_async_request(request)


async def test_place_held_for_a_referral_withdrawn_while_matching_worked_is_given_back(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, matching_app: FastAPI
) -> None:
    _provider_id, unit = await provider_with_unit(capacity, capacity=1)
    async with peer_replaced(intake_app, "matching", WithdrawnWhileMatching(matching_app, intake)):
        response = await intake.post("/v1/referrals", json=referral_body(), headers=REFERRER)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "withdrawn"
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


class DecisionLost(httpx.AsyncBaseTransport):
    """Matching decides (and holds a place), but its answer never reaches intake."""

    def __init__(self, matching_app: FastAPI) -> None:
        self._inner = httpx.ASGITransport(app=matching_app)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        await response.aread()
        raise httpx.ReadTimeout("the answer was lost on the way back", request=request)


async def test_offer_whose_answer_was_lost_gives_the_held_place_back(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, matching_app: FastAPI
) -> None:
    waiting = await submitted(intake)
    provider_id, offered = await provider_with_unit(capacity, capacity=1)
    async with peer_replaced(intake_app, "matching", DecisionLost(matching_app)):
        failed = await intake.post(
            f"/v1/referrals/{waiting['id']}/offer",
            json={"unit_id": offered["id"]},
            headers=provider_headers(provider_id),
        )
    assert failed.status_code == 503
    assert (await unit_state(capacity, offered["id"]))["reserved"] == 0
    assert (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()["status"] == "unmatched"
