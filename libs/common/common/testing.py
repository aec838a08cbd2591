"""Test support shared by every service: fresh databases on SQLite or PostgreSQL, tokens, cleanup.

The backend comes from REGIEPUNT_TEST_DATABASE (`sqlite`, the default, or `postgresql`). Under
CI=true an unreachable PostgreSQL fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy import MetaData, text
from sqlalchemy.ext.asyncio import AsyncEngine

from common.auth import mint_token
from common.settings import DEVELOPMENT_JWT_SECRET

TEST_SECRET = DEVELOPMENT_JWT_SECRET
PG_ADMIN_DSN = os.environ.get("REGIEPUNT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")


def backend() -> str:
    return os.environ.get("REGIEPUNT_TEST_DATABASE", "sqlite")


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"PostgreSQL is required under CI=true: {reason}")
    pytest.skip(reason)


async def create_database(service: str, tmp_dir: Path) -> tuple[str, str | None]:
    """A new, empty database for one service. Returns (SQLAlchemy URL, PostgreSQL name or None)."""
    if backend() == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_dir / f'{service}-{uuid.uuid4().hex[:8]}.db'}", None
    name = f"regiepunt_test_{service}_{uuid.uuid4().hex[:10]}"
    try:
        connection = await asyncpg.connect(PG_ADMIN_DSN)
    except (OSError, asyncpg.PostgresError) as exc:
        unavailable(f"PostgreSQL not reachable at {PG_ADMIN_DSN}: {exc!r}")
        raise
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    host_part = PG_ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]
    return f"postgresql+asyncpg://{host_part}/{name}", name


async def drop_database(name: str | None) -> None:
    if name is None:
        return
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def clear_tables(engine: AsyncEngine, metadata: MetaData) -> None:
    """A clean state between tests without migrating again."""
    tables = list(reversed(metadata.sorted_tables))
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in tables)
            if names:
                await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(table.delete())


def token(role: str, *, org: str = "test-org", sub: str | None = None, **claims: str | None) -> str:
    return mint_token(TEST_SECRET, sub=sub or f"test-{role}", role=role, org=org, **claims)  # type: ignore[arg-type]


def bearer(role: str, *, org: str = "test-org", sub: str | None = None, **claims: str | None) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(role, org=org, sub=sub, **claims)}"}


def service_bearer(name: str) -> dict[str, str]:
    """The header one of the point's services (`intake`, `matching`, `capacity`) calls the others with."""
    return bearer("service", org="regiepunt", sub=f"service:{name}")
