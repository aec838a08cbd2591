"""One platform of three real service processes on PostgreSQL for the fault scenarios of this directory,
seeded through capacity's API, with a reader on each database."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from fault_reconcile import Readers
from fault_stack import SERVICES, Stack

from common.testing import backend, bearer

PROVIDERS = 6
# (care type, number of units); the units have one or three places in turn, 40 places for a burst of
# 40 referrals. A unit of one place is where a hold left behind by a crash shows: once held, it is full
# for any other request, so a retried request that does not find its own hold goes elsewhere.
UNITS = (("residential", 7), ("family_home", 7), ("foster_care", 6))
PLACES = (1, 3)
ROLES = ("strategic", "tactical", "operational")
REGION = ("GM0518", "GM0503", "GM0637", "GM0603", "GM1783")


@pytest.fixture(scope="module")
async def stack(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Stack]:
    if backend() != "postgresql":
        pytest.skip("the fault suite runs the services as processes on PostgreSQL only")
    running = Stack(tmp_path_factory.mktemp("faults"))
    try:
        await running.create()
        for name in SERVICES:
            await running.start(name)
        await seed(running)
        yield running
    except BaseException:
        print(running.tails())
        raise
    finally:
        await running.close()


@pytest.fixture(scope="module")
async def readers(stack: Stack) -> AsyncIterator[Readers]:
    opened = Readers(stack)
    await opened.open()
    yield opened
    await opened.close()


@pytest.fixture(autouse=True)
async def all_running(stack: Stack) -> None:
    """Every scenario starts with the three services up, whatever the one before left behind."""
    running = stack
    for name in SERVICES:
        process = running.processes.get(name)
        if process is None or process.poll() is not None:
            await running.start(name)
        else:
            running.thaw(name)


async def seed(running: Stack) -> None:
    coordinator = bearer("coordinator", org="Regiepunt Haaglanden", sub="seed")
    async with httpx.AsyncClient(base_url=running.urls["capacity"], headers=coordinator, timeout=30) as client:
        provider_ids = []
        for index in range(PROVIDERS):
            response = await client.post(
                "/v1/providers",
                json={
                    "name": f"Aanbieder {index}",
                    "agb_code": f"{uuid.uuid4().int % 10**8:08d}",
                    "role": ROLES[index % len(ROLES)],
                },
            )
            assert response.status_code == 201, response.text
            provider_ids.append(response.json()["id"])
        number = 0
        for care_type, count in UNITS:
            for _ in range(count):
                response = await client.post(
                    f"/v1/providers/{provider_ids[number % PROVIDERS]}/units",
                    json={
                        "name": f"Unit {number}",
                        "care_type": care_type,
                        "target_groups": ["jo"],
                        "age_min": 0,
                        "age_max": 17,
                        "municipality_code": REGION[number % len(REGION)],
                        "capacity": PLACES[number % len(PLACES)],
                    },
                )
                assert response.status_code == 201, response.text
                number += 1
