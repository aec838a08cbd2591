"""The expiry sweep: lapsed holds give their place back exactly once, even with sweeps racing."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import httpx
from fastapi import FastAPI

from capacity.main import create_app
from capacity.reservations.service import sweep_expired_reservations
from capacity.settings import CapacitySettings
from common.clock import ManualClock
from services.capacity.tests.factories import SERVICE, create_provider_with_unit, get_unit, reserve


async def reservation_status(capacity: httpx.AsyncClient, reservation_id: str) -> str:
    response = await capacity.get(f"/v1/reservations/{reservation_id}", headers=SERVICE)
    assert response.status_code == 200
    status: str = response.json()["status"]
    return status


async def epoch(capacity: httpx.AsyncClient) -> int:
    value: int = (await capacity.get("/v1/free-places-epoch", headers=SERVICE)).json()["epoch"]
    return value


async def test_sweep_expires_lapsed_holds_only(
    capacity: httpx.AsyncClient, capacity_app: FastAPI, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=3)
    short = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=1))).json()
    long = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=5))).json()
    before = await epoch(capacity)

    assert await sweep_expired_reservations(capacity_app, clock) == 0
    clock.advance(timedelta(hours=1))  # expires_at itself counts as lapsed
    assert await sweep_expired_reservations(capacity_app, clock) == 1

    assert await reservation_status(capacity, short["id"]) == "expired"
    assert await reservation_status(capacity, long["id"]) == "held"
    after = await get_unit(capacity, unit["id"])
    assert (after["reserved"], after["available"]) == (1, 2)
    assert await epoch(capacity) == before + 1
    assert await sweep_expired_reservations(capacity_app, clock) == 0


async def test_concurrent_sweeps_free_each_place_once(
    capacity: httpx.AsyncClient, capacity_app: FastAPI, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=6)
    for _ in range(5):
        assert (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(minutes=30))).status_code == 201
    still_held = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(days=2))).json()
    before = await epoch(capacity)
    clock.advance(timedelta(hours=1))

    expired = await asyncio.gather(
        sweep_expired_reservations(capacity_app, clock),
        sweep_expired_reservations(capacity_app.state.database, clock),
        sweep_expired_reservations(capacity_app, clock),
    )
    assert sum(expired) == 5
    after = await get_unit(capacity, unit["id"])
    assert (after["reserved"], after["available"]) == (1, 5)
    assert after["version"] == unit["version"] + 6 + 5
    assert await epoch(capacity) == before + 5
    assert await reservation_status(capacity, still_held["id"]) == "held"


async def test_expired_hold_cannot_be_confirmed_and_releasing_it_is_harmless(
    capacity: httpx.AsyncClient, capacity_app: FastAPI, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    reservation = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=1))).json()
    clock.advance(timedelta(hours=2))
    await sweep_expired_reservations(capacity_app, clock)

    confirm = await capacity.post(
        f"/v1/reservations/{reservation['id']}/confirm", json={"start_date": "2026-11-03"}, headers=SERVICE
    )
    assert confirm.status_code == 409
    release = await capacity.post(f"/v1/reservations/{reservation['id']}/release", headers=SERVICE)
    assert release.status_code == 200
    assert release.json()["status"] == "expired"
    after = await get_unit(capacity, unit["id"])
    assert (after["reserved"], after["available"]) == (0, 1)


async def test_a_released_hold_is_not_expired_again(
    capacity: httpx.AsyncClient, capacity_app: FastAPI, clock: ManualClock
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=2)
    reservation = (await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=1))).json()
    await capacity.post(f"/v1/reservations/{reservation['id']}/release", headers=SERVICE)
    clock.advance(timedelta(hours=2))
    assert await sweep_expired_reservations(capacity_app, clock) == 0
    assert await reservation_status(capacity, reservation["id"]) == "released"
    assert (await get_unit(capacity, unit["id"]))["available"] == 2


async def test_the_app_runs_the_sweep_in_its_lifespan_when_workers_are_on(
    capacity: httpx.AsyncClient, capacity_app: FastAPI, clock: ManualClock, test_dir: Path
) -> None:
    _, unit = await create_provider_with_unit(capacity, capacity=1)
    await reserve(capacity, unit["id"], expires_at=clock.now() + timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    settings = CapacitySettings(
        capacity_database_url=capacity_app.state.database.url,
        data_dir=test_dir,
        run_workers=True,
        sweep_interval_seconds=0.05,
    )
    worker_app = create_app(settings, clock=clock)
    async with worker_app.router.lifespan_context(worker_app):
        # The loop runs on its own schedule; wait for its effect, bounded, instead of a fixed sleep.
        for _ in range(200):
            if (await get_unit(capacity, unit["id"]))["reserved"] == 0:
                break
            await asyncio.sleep(0.025)
    after = await get_unit(capacity, unit["id"])
    assert (after["reserved"], after["available"]) == (0, 1)
