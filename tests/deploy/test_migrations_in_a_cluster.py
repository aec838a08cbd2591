"""Migrations as a cluster runs them: two `migrate` started together, and pods older than the database."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from common.migrations import head_revision, upgrade_to_head_async
from common.testing import create_database, drop_database


@pytest.fixture
async def fresh_capacity_database(tmp_path: Path) -> AsyncIterator[str]:
    url, pg_name = await create_database("capacity", tmp_path)
    yield url
    await drop_database(pg_name)


async def _migrate_in_a_process(service: str, url: str) -> tuple[int, str]:
    environment = {**os.environ, f"REGIEPUNT_{service.upper()}_DATABASE_URL": url, "REGIEPUNT_LOG_JSON": "true"}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        service,
        "migrate",
        env=environment,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode(errors="replace")


@pytest.mark.postgresql_only("two processes creating the same tables collide in PostgreSQL's catalogue")
async def test_two_migrations_started_together_both_succeed(tmp_path: Path) -> None:
    url, pg_name = await create_database("intake", tmp_path)
    try:
        results = await asyncio.gather(_migrate_in_a_process("intake", url), _migrate_in_a_process("intake", url))
        for status, output in results:
            assert status == 0, output
            assert "migrations at head" in output
    finally:
        await drop_database(pg_name)


def _migrations_with_one_more(tmp_path: Path, *, compatible: bool) -> Path:
    """Capacity's migrations and a newer one, as the next release would ship them."""
    from capacity.main import MIGRATIONS_DIR

    copy = tmp_path / "migrations"
    shutil.copytree(MIGRATIONS_DIR, copy, ignore=shutil.ignore_patterns("__pycache__"))
    head = head_revision(MIGRATIONS_DIR)
    declaration = f"compatible_with_code_from = {head!r}" if compatible else "compatible_with_code_from = None"
    (copy / "versions" / "9001_next_release.py").write_text(
        f'''"""The next release's migration."""

import sqlalchemy as sa
from alembic import op

revision = "9001"
down_revision = {head!r}
branch_labels = None
depends_on = None
{declaration}


def upgrade() -> None:
    op.create_table("next_release_notes", sa.Column("id", sa.Integer, primary_key=True))


def downgrade() -> None:
    op.drop_table("next_release_notes")
''',
        encoding="utf-8",
    )
    return copy


async def _readiness(url: str) -> httpx.Response:
    from capacity.main import create_app
    from capacity.settings import CapacitySettings

    app = create_app(CapacitySettings(capacity_database_url=url, run_workers=False))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://capacity") as client:
            return await client.get("/readyz")
    finally:
        await app.state.database.dispose()


async def test_a_pod_stays_ready_when_the_newer_schema_declares_its_code_compatible(
    tmp_path: Path, fresh_capacity_database: str
) -> None:
    await upgrade_to_head_async(_migrations_with_one_more(tmp_path, compatible=True), fresh_capacity_database)

    response = await _readiness(fresh_capacity_database)

    assert response.status_code == 200, response.text


async def test_a_pod_is_not_ready_when_the_newer_schema_does_not_serve_its_code(
    tmp_path: Path, fresh_capacity_database: str
) -> None:
    await upgrade_to_head_async(_migrations_with_one_more(tmp_path, compatible=False), fresh_capacity_database)

    response = await _readiness(fresh_capacity_database)

    assert response.status_code == 503
    assert "newer than this code can serve" in response.json()["detail"]


async def test_a_pod_is_not_ready_before_its_migrations_ran(fresh_capacity_database: str) -> None:
    response = await _readiness(fresh_capacity_database)

    assert response.status_code == 503
    assert response.json()["detail"] == "Database migrations are not at head."


async def test_a_pod_is_ready_at_its_own_head(fresh_capacity_database: str) -> None:
    from capacity.main import MIGRATIONS_DIR

    await upgrade_to_head_async(MIGRATIONS_DIR, fresh_capacity_database)
    # Migrating again is harmless: the compatibility record is written anew.
    await upgrade_to_head_async(MIGRATIONS_DIR, fresh_capacity_database)

    assert (await _readiness(fresh_capacity_database)).status_code == 200
