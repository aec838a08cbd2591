"""When capacity does a change but its answer never reaches intake, or cannot be reached at all, the
point and capacity must not drift apart: no child placed in one and not in the other, no place that
stays taken after the stay ended. The real capacity app runs; only the network between is broken."""

from __future__ import annotations

from datetime import timedelta

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    SERVICE,
    peer_replaced,
    provider_headers,
    provider_with_unit,
    submitted,
    unit_state,
)

from common.clock import ManualClock
from intake.db import referrals
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
    # The end of the stay, and the release of any place still held for the child.
    assert await send_capacity_commands(intake_app) == 2
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


async def _placement_occupancy_id(intake_app: FastAPI, referral_id: str) -> str | None:
    async with intake_app.state.database.read() as session:
        found = await session.scalar(sa.select(referrals.c.placement_occupancy_id).where(referrals.c.id == referral_id))
    return None if found is None else str(found)


async def test_lost_accept_is_completed_by_the_workers_within_a_minute(
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
    assert (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()["status"] == "proposed"

    clock.advance(timedelta(seconds=60))
    await send_capacity_commands(intake_app)

    placed = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert placed["status"] == "placed"
    assert placed["placement"]["unit_id"] == unit["id"]
    assert placed["placement"]["start_date"] == "2026-10-20"
    # The stay intake records is the one capacity holds open.
    occupancy_id = await _placement_occupancy_id(intake_app, referral["id"])
    assert occupancy_id is not None
    stay = (await capacity.get(f"/v1/occupancies/{occupancy_id}", headers=COORDINATOR)).json()
    assert (stay["referral_id"], stay["unit_id"], stay["end_date"]) == (referral["id"], unit["id"], None)
    state = await unit_state(capacity, unit["id"])
    assert (state["occupied"], state["reserved"]) == (1, 0)
    # Both sides agree from here on: ending the stay frees the place.
    ended = await intake.post(
        f"/v1/referrals/{referral['id']}/end",
        json={"end_date": "2026-11-01", "reason": "returned_home"},
        headers=COORDINATOR,
    )
    assert ended.status_code == 200, ended.text
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 0


async def test_withdrawing_a_lost_accept_says_the_child_is_placed_and_records_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, capacity_app: FastAPI, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    lost = await accept_losing_the_answer(intake, intake_app, capacity_app, referral["id"], provider_id)
    assert lost.status_code == 503

    withdrawn = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=COORDINATOR)
    assert withdrawn.status_code == 409
    placed = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert placed["status"] == "placed"
    assert placed["placement"]["unit_id"] == unit["id"]


async def test_an_accept_capacity_refuses_is_not_completed_later(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    async with intake_app.state.database.read() as session:
        reservation_id = await session.scalar(
            sa.select(referrals.c.proposal_reservation_id).where(referrals.c.id == referral["id"])
        )
    released = await capacity.post(f"/v1/reservations/{reservation_id}/release", headers=SERVICE)
    assert released.status_code == 200
    refused = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-20"},
        headers=provider_headers(provider_id),
    )
    assert refused.status_code == 409
    clock.advance(timedelta(seconds=60))
    assert await send_capacity_commands(intake_app) == 0
    assert (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()["status"] == "proposed"
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 0


async def test_declining_a_lost_accept_says_the_child_is_placed_and_records_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, capacity_app: FastAPI, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    lost = await accept_losing_the_answer(intake, intake_app, capacity_app, referral["id"], provider_id)
    assert lost.status_code == 503

    declined = await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={"reason": "geen plek"}, headers=provider_headers(provider_id)
    )
    assert declined.status_code == 409
    placed = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert placed["status"] == "placed"
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1
