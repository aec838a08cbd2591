"""The access log is kept five years: on PostgreSQL partitioned by month and removed a month at a time,
on SQLite deleted by age; nothing younger is touched, and the append-only guard stays."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI

from common.clock import ManualClock
from common.db import make_engine
from common.migrations import alembic_config, upgrade_to_head_async
from common.testing import create_database, drop_database

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
ENTRIES = {
    "six years ago": datetime(2020, 10, 15, tzinfo=UTC),
    "five years and a month ago": datetime(2021, 9, 30, tzinfo=UTC),
    "four years ago": datetime(2022, 11, 1, tzinfo=UTC),
    "last month": datetime(2026, 10, 20, tzinfo=UTC),
}


async def _insert_entries(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as connection:
        for sub, at in ENTRIES.items():
            await connection.execute(
                sa.text(
                    "INSERT INTO access_log (at, sub, role, org, action) "
                    "VALUES (:at, :sub, 'coordinator', 'rp', 'read')"
                ),
                {"at": at, "sub": sub},
            )
    await engine.dispose()


async def _subjects(url: str) -> set[str]:
    engine = make_engine(url)
    async with engine.connect() as connection:
        subjects = set((await connection.execute(sa.text("SELECT sub FROM access_log"))).scalars())
    await engine.dispose()
    return subjects


@pytest.fixture
async def logged_before_partitioning(tmp_path: Path) -> AsyncIterator[tuple[str, FastAPI]]:
    """An intake database with entries written under migration 0017, then migrated to head, and the
    intake app on it, its clock at NOW."""
    from intake.main import MIGRATIONS_DIR, create_app
    from intake.settings import IntakeSettings

    url, pg_name = await create_database("intake", tmp_path)
    await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "0017")
    await _insert_entries(url)
    await upgrade_to_head_async(MIGRATIONS_DIR, url)
    app = create_app(IntakeSettings(intake_database_url=url, run_workers=False), clock=ManualClock(NOW))
    try:
        yield url, app
    finally:
        await app.state.database.dispose()
        await drop_database(pg_name)


async def test_entries_older_than_five_years_are_removed_and_younger_ones_kept(
    logged_before_partitioning: tuple[str, FastAPI],
) -> None:
    from intake.workers import keep_access_log

    url, app = logged_before_partitioning
    assert await _subjects(url) == set(ENTRIES)  # the migration kept every entry

    removed = await keep_access_log(app)

    # SQLite counts the entries deleted, PostgreSQL the months dropped (empty ones included).
    assert removed >= 2
    assert await _subjects(url) == {"four years ago", "last month"}
    assert await keep_access_log(app) == 0


@pytest.mark.postgresql_only("partitions are PostgreSQL's")
async def test_on_postgresql_the_log_is_partitioned_by_month_and_stays_append_only(
    logged_before_partitioning: tuple[str, FastAPI],
) -> None:
    from intake.workers import keep_access_log

    url, app = logged_before_partitioning
    await keep_access_log(app)

    engine = make_engine(url)
    async with engine.connect() as connection:
        kind = await connection.scalar(sa.text("SELECT relkind::text FROM pg_class WHERE relname = 'access_log'"))
        partitions = set(
            (
                await connection.execute(
                    sa.text(
                        "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'access_log'"
                    )
                )
            ).scalars()
        )
    refused = None
    try:
        async with engine.begin() as connection:
            await connection.execute(sa.text("DELETE FROM access_log WHERE sub = 'last month'"))
    except sa.exc.DBAPIError as exc:
        refused = exc
    await engine.dispose()

    assert kind == "p"
    # The removed months are gone as tables; the kept ones and the months ahead of the clock are there.
    assert "access_log_y2020m10" not in partitions and "access_log_y2021m09" not in partitions
    assert {"access_log_y2022m11", "access_log_y2026m10", "access_log_y2026m12", "access_log_y2027m01"} <= partitions
    assert refused is not None and "append-only" in str(refused)


@pytest.mark.postgresql_only("partitions are PostgreSQL's")
async def test_the_partitioning_can_be_undone_keeping_every_entry(
    logged_before_partitioning: tuple[str, FastAPI],
) -> None:
    from intake.main import MIGRATIONS_DIR

    url, _app = logged_before_partitioning
    await asyncio.to_thread(command.downgrade, alembic_config(MIGRATIONS_DIR, url), "0017")

    assert await _subjects(url) == set(ENTRIES)
    engine = make_engine(url)
    async with engine.connect() as connection:
        kind = await connection.scalar(sa.text("SELECT relkind::text FROM pg_class WHERE relname = 'access_log'"))
    await engine.dispose()
    assert kind == "r"
