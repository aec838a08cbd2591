"""Alembic, driven from code: each service keeps its own history; this runs and checks it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import MetaData
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from common.db import make_engine


def alembic_config(migrations_dir: Path, url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(migrations_dir))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_to_head(migrations_dir: Path, url: str) -> None:
    """Blocking; run it in a thread from async code (env.py starts its own event loop)."""
    command.upgrade(alembic_config(migrations_dir, url), "head")


async def upgrade_to_head_async(migrations_dir: Path, url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, migrations_dir, url)


def head_revision(migrations_dir: Path) -> str | None:
    script = ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://"))
    return script.get_current_head()


async def migrations_applied(engine: AsyncEngine, migrations_dir: Path) -> bool:
    expected = head_revision(migrations_dir)

    def current(connection: Connection) -> str | None:
        return MigrationContext.configure(connection).get_current_revision()

    async with engine.connect() as connection:
        return await connection.run_sync(current) == expected


def run_env(context: EnvironmentContext, target_metadata: MetaData) -> None:
    """The body of every service's migrations/env.py."""
    url = context.config.get_main_option("sqlalchemy.url")
    assert url, "sqlalchemy.url must be set"
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()
        return

    def do_run(connection: Connection) -> None:
        context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
        with context.begin_transaction():
            context.run_migrations()

    async def run_async() -> None:
        engine = make_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run_async())
