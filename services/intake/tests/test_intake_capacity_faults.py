"""When capacity does a change but its answer never reaches intake, or cannot be reached at all, the
point and capacity must not drift apart: no child placed in one and not in the other, no place that
stays taken after the stay ended. The real capacity app runs; only the network between is broken."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from intake_support import COORDINATOR, peer_replaced, provider_headers, provider_with_unit, submitted, unit_state

from common.clock import ManualClock
from intake.workers import expire_proposals, send_capacity_commands


class LostAnswers(httpx.AsyncBaseTransport):
    """Delivers every request to the real capacity app, then loses the answer of the matching ones."""

    def __init__(self, app: FastAPI, path_suffix: str) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._suffix = path_suffix

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.url.path.endswith(self._suffix):
            await response.aread()
            raise httpx.ReadTimeout("the answer was lost on the way back", request=request)
        return response


async def accept_losing_the_answer(
    intake: httpx.AsyncClient, intake_app: FastAPI, capacity_app: FastAPI, referral_id: str, provider_id: str
) -> httpx.Response:
    """The provider accepts; capacity confirms the stay, but its answer never reaches intake."""
    async with peer_replaced(intake_app, "capacity", LostAnswers(capacity_app, "/confirm")):
        return await intake.post(
            f"/v1/referrals/{referral_id}/accept",
            json={"start_date": "2026-10-20"},
            headers=provider_headers(provider_id),
        )


async def test_stay_ended_while_capacity_is_down_frees_the_place_once_capacity_is_back(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-01"},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200, accepted.text
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1

    async with peer_replaced(intake_app, "capacity"):
        ended = await intake.post(
            f"/v1/referrals/{referral['id']}/end",
            json={"end_date": "2026-11-01", "reason": "returned_home"},
            headers=provider_headers(provider_id),
        )
        assert ended.status_code == 200, ended.text
        assert ended.json()["status"] == "ended"
        # Capacity is still down: the worker keeps the command and tries later.
        assert await send_capacity_commands(intake_app) == 0
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1

    assert await send_capacity_commands(intake_app) == 0  # not due yet: the retry waits
    intake_app.state.clock.advance(timedelta(minutes=1))
    assert await send_capacity_commands(intake_app) == 1
    freed = await unit_state(capacity, unit["id"])
    assert freed["occupied"] == 0
    assert freed["available"] == freed["capacity"]
    assert await send_capacity_commands(intake_app) == 0


async def test_stay_ended_with_capacity_up_frees_the_place_at_once(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-01"},
        headers=provider_headers(provider_id),
    )
    ended = await intake.post(
        f"/v1/referrals/{referral['id']}/end",
        json={"end_date": "2026-11-01", "reason": "returned_home"},
        headers=COORDINATOR,
    )
    assert ended.status_code == 200
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 0
    assert await send_capacity_commands(intake_app) == 0


async def test_accept_whose_answer_was_lost_is_completed_instead_of_expired(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    capacity_app: FastAPI,
    intake_app: FastAPI,
    clock: ManualClock,
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)

    lost = await accept_losing_the_answer(intake, intake_app, capacity_app, referral["id"], provider_id)
    assert lost.status_code == 503
    assert lost.headers["content-type"] == "application/problem+json"
    # Capacity did confirm: the place is occupied, while intake still shows the proposal.
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1
    assert (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()["status"] == "proposed"

    clock.advance(timedelta(hours=73))
    assert await expire_proposals(intake_app) == 0  # nothing to release: the child is placed, not re-matched

    placed = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert placed["status"] == "placed"
    assert placed["placement"]["unit_id"] == unit["id"]
    assert placed["placement"]["start_date"] == "2026-10-20"
    state = await unit_state(capacity, unit["id"])
    assert (state["occupied"], state["reserved"]) == (1, 0)


async def test_provider_retrying_an_accept_whose_answer_was_lost_gets_the_placement(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, capacity_app: FastAPI, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    lost = await accept_losing_the_answer(intake, intake_app, capacity_app, referral["id"], provider_id)
    assert lost.status_code == 503

    retried = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-20"},
        headers=provider_headers(provider_id),
    )
    assert retried.status_code == 200, retried.text
    assert retried.json()["status"] == "placed"
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1
