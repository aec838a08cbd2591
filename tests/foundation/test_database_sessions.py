"""A use case cancelled while it holds a connection gives it back to the pool (common.db.Database): a
client that hangs up, a timeout, a service shutting down must not leave the pool a connection short."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from common.db import Database
from common.testing import create_database, drop_database


@pytest.fixture
async def database(tmp_path: Path) -> AsyncIterator[Database]:
    url, name = await create_database("sessions", tmp_path)
    # One connection and no overflow: a connection not given back would leave nothing to hand out.
    database = Database(url, pool_size=1, max_overflow=0, pool_timeout=5)
    try:
        yield database
    finally:
        await database.dispose()
        await drop_database(name)


async def _cancelled_while_running(database: Database, use: str, cancellations: int) -> None:
    running = asyncio.Event()

    async def use_case() -> None:
        async with getattr(database, use)() as session:
            await session.execute(text("SELECT 1"))
            running.set()
            await session.execute(text("SELECT pg_sleep(1)"))

    task = asyncio.create_task(use_case())
    await running.wait()
    await asyncio.sleep(0.1)
    for _ in range(cancellations):
        # A second cancellation can arrive while the first one is handled: in the rollback on the way out.
        task.cancel()
        await asyncio.sleep(0)
    with contextlib.suppress(asyncio.CancelledError):
        await task
    assert task.cancelled()


# On SQLite the statement runs on in aiosqlite's thread after its await was cancelled, and a write
# transaction cancelled so can leave the file locked for the next one, whatever the session does.
@pytest.mark.postgresql_only("aiosqlite cannot stop a statement that runs")
@pytest.mark.parametrize("cancellations", [1, 2])
@pytest.mark.parametrize("use", ["transaction", "read"])
async def test_a_cancelled_use_case_gives_its_connection_back(database: Database, use: str, cancellations: int) -> None:
    await _cancelled_while_running(database, use, cancellations)

    assert database.engine.sync_engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    async with database.transaction() as session:
        assert await session.scalar(text("SELECT 1")) == 1
