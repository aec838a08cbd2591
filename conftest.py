"""Fixtures for every test: one fresh database per service per run, a clean state per test, and the
three apps wired to each other over real HTTP (httpx against the ASGI apps)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from common.clock import ManualClock
from common.migrations import upgrade_to_head_async
from common.testing import backend, clear_tables, create_database, drop_database

# Markers of tests that run once, in the PostgreSQL run: what only PostgreSQL has (a trigger, a server
# to cut off), and the slow suites that drive a real browser, kill real processes or fuzz the APIs.
ONCE_ON_POSTGRESQL = ("postgresql_only", "browser", "faults", "fuzz")
# What uses SQLite files whichever database the run is for (the demo history, as `make up` plays it).
ONCE_ON_SQLITE = ("sqlite_files",)


def _marked(item: pytest.Item, names: tuple[str, ...]) -> bool:
    return any(item.get_closest_marker(name) is not None for name in names)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test of something only PostgreSQL has is left out of the SQLite run instead of passing there
    without checking anything, and so are the browser, fault and fuzzing suites, which need to run only once;
    they run, and must pass, on PostgreSQL. A test that plays on SQLite files in either run runs once, in the
    SQLite run, rather than skipping in the PostgreSQL one."""
    once_elsewhere = ONCE_ON_SQLITE if backend() == "postgresql" else ONCE_ON_POSTGRESQL
    left_out = [item for item in items if _marked(item, once_elsewhere)]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not _marked(item, once_elsewhere)]


async def _migrated_database(service: str, tmp_dir: Path, migrations_dir: Path) -> tuple[str, str | None]:
    url, pg_name = await create_database(service, tmp_dir)
    await upgrade_to_head_async(migrations_dir, url)
    return url, pg_name


@pytest.fixture(scope="session")
def test_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("regiepunt")


@pytest.fixture
def clock() -> ManualClock:
    """Every test starts at the same moment; tests move it forward instead of sleeping."""
    return ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))


# --- capacity -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def capacity_app(test_dir: Path) -> AsyncIterator[FastAPI]:
    from capacity.main import MIGRATIONS_DIR, create_app
    from capacity.settings import CapacitySettings

    url, pg_name = await _migrated_database("capacity", test_dir, MIGRATIONS_DIR)
    app = create_app(CapacitySettings(capacity_database_url=url, data_dir=test_dir, run_workers=False))
    yield app
    await app.state.database.dispose()
    await drop_database(pg_name)


@pytest.fixture
async def capacity(capacity_app: FastAPI, clock: ManualClock) -> AsyncIterator[httpx.AsyncClient]:
    from capacity.db import metadata

    await clear_tables(capacity_app.state.database.engine, metadata)
    capacity_app.state.clock = clock
    transport = httpx.ASGITransport(app=capacity_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://capacity") as client:
        yield client


# --- matching -------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def matching_app(test_dir: Path, capacity_app: FastAPI) -> AsyncIterator[FastAPI]:
    from matching.main import MIGRATIONS_DIR, create_app
    from matching.settings import MatchingSettings

    url, pg_name = await _migrated_database("matching", test_dir, MIGRATIONS_DIR)
    app = create_app(
        MatchingSettings(matching_database_url=url, data_dir=test_dir, run_workers=False),
        capacity_transport=httpx.ASGITransport(app=capacity_app),
    )
    yield app
    await app.state.database.dispose()
    await drop_database(pg_name)


@pytest.fixture
async def matching(
    matching_app: FastAPI, capacity: httpx.AsyncClient, clock: ManualClock
) -> AsyncIterator[httpx.AsyncClient]:
    from matching.db import metadata

    await clear_tables(matching_app.state.database.engine, metadata)
    matching_app.state.clock = clock
    transport = httpx.ASGITransport(app=matching_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://matching") as client:
        yield client


# --- intake ---------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
async def intake_app(test_dir: Path, capacity_app: FastAPI, matching_app: FastAPI) -> AsyncIterator[FastAPI]:
    from intake.main import MIGRATIONS_DIR, create_app
    from intake.settings import IntakeSettings

    url, pg_name = await _migrated_database("intake", test_dir, MIGRATIONS_DIR)
    app = create_app(
        IntakeSettings(intake_database_url=url, data_dir=test_dir, run_workers=False),
        capacity_transport=httpx.ASGITransport(app=capacity_app),
        matching_transport=httpx.ASGITransport(app=matching_app),
    )
    yield app
    await app.state.database.dispose()
    await drop_database(pg_name)


@pytest.fixture
async def intake(
    intake_app: FastAPI, matching: httpx.AsyncClient, clock: ManualClock
) -> AsyncIterator[httpx.AsyncClient]:
    from intake.db import metadata

    await clear_tables(intake_app.state.database.engine, metadata)
    intake_app.state.clock = clock
    transport = httpx.ASGITransport(app=intake_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        yield client
