"""Pooled PostgreSQL connections that the server closed are replaced, not handed to a request."""

from __future__ import annotations

import asyncio
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import text

from common.db import Database
from common.testing import PG_ADMIN_DSN, create_database, drop_database


async def _backend_pid(database: Database) -> int:
    async with database.read() as session:
        return int(await session.scalar(text("SELECT pg_backend_pid()")))


@pytest.mark.postgresql_only("SQLite has no server to close a connection")
async def test_a_connection_the_server_closed_is_replaced_on_checkout(tmp_path: Path) -> None:
    url, name = await create_database("connections", tmp_path)
    database = Database(url, pool_size=1, max_overflow=0)
    try:
        first = await _backend_pid(database)
        admin = await asyncpg.connect(PG_ADMIN_DSN)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", first)
        finally:
            await admin.close()
        await asyncio.sleep(0.2)  # the server's goodbye reaches the pooled connection

        second = await _backend_pid(database)

        assert second != first
    finally:
        await database.dispose()
        await drop_database(name)
