"""Alembic, driven from code: each service keeps its own history; this runs and checks it.

Two things make it safe to run in a cluster (docs/deploying.md):
- `migrate` takes a PostgreSQL advisory lock for the length of its transaction, so that two runs
  started together (two Job pods, a Job and a developer) wait for each other instead of both
  creating the same tables;
- every run records, beside Alembic's version, the oldest code the schema still serves
  (`compatible_with_code_from` in the head migration: an "expand" migration names the head before
  it). A pod whose code is older than the database but not older than that stays ready, so a rolling
  upgrade keeps serving while the new pods migrate.
"""

from __future__ import annotations

import asyncio
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, MetaData, String, Table, delete, insert, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from common.db import make_engine

# One key for every service's `migrate`: each service has a database of its own, and where two share
# one (tests, a small installation) waiting for each other costs a few seconds.
MIGRATION_LOCK_KEY = zlib.crc32(b"regiepunt:migrate")

# Written by `migrate` in the transaction of the migrations themselves; kept beside alembic_version
# and, like it, not part of any service's tables.
COMPATIBILITY_TABLE = "schema_compatibility"
_compatibility_metadata = MetaData()
schema_compatibility = Table(
    COMPATIBILITY_TABLE,
    _compatibility_metadata,
    Column("head", String(64), primary_key=True),
    Column("compatible_with_code_from", String(64), nullable=False),
)


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


def _script(migrations_dir: Path) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(migrations_dir, "sqlite://"))


def head_revision(migrations_dir: Path) -> str | None:
    return _script(migrations_dir).get_current_head()


def compatible_with_code_from(script: ScriptDirectory, revision: str) -> str:
    """The oldest code (by its head revision) that works with the schema at `revision`: what the
    migration declares, and otherwise only code that knows the migration itself."""
    module = script.get_revision(revision).module  # type: ignore[union-attr]
    declared = getattr(module, "compatible_with_code_from", None)
    return str(declared) if declared else revision


@dataclass(frozen=True)
class SchemaState:
    ready: bool
    reason: str


async def schema_state(engine: AsyncEngine, migrations_dir: Path) -> SchemaState:
    """Whether this code can serve the database as it is: at its own head, or at a newer head whose
    migrations declared this code still compatible. A database behind the code is not ready."""
    script = _script(migrations_dir)
    own_head = script.get_current_head()

    def read(connection: Connection) -> tuple[str | None, str | None]:
        current = MigrationContext.configure(connection).get_current_revision()
        if current is None or current == own_head or not connection.dialect.has_table(connection, COMPATIBILITY_TABLE):
            return current, None
        declared = connection.execute(
            select(schema_compatibility.c.compatible_with_code_from).where(schema_compatibility.c.head == current)
        ).scalar_one_or_none()
        return current, declared

    async with engine.connect() as connection:
        current, declared = await connection.run_sync(read)
    if current == own_head:
        return SchemaState(True, "at head")
    known = {revision.revision for revision in script.walk_revisions()}
    if current is None or current in known:
        return SchemaState(False, "Database migrations are not at head.")
    own_ancestry = {revision.revision for revision in script.iterate_revisions(own_head, "base")}
    if declared is not None and declared in own_ancestry:
        return SchemaState(True, f"database at {current}, which serves code from {declared}")
    return SchemaState(False, f"The database is at {current}, newer than this code can serve.")


def _lock_for_migrations(connection: Connection) -> None:
    # Released by the commit (or rollback) of the migrations' transaction; PostgreSQL only, SQLite
    # takes a write lock of its own for the whole file.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})


def _record_compatibility(connection: Connection, script: ScriptDirectory) -> None:
    head = MigrationContext.configure(connection).get_current_revision()
    if head is None:
        return
    _compatibility_metadata.create_all(connection, checkfirst=True)
    connection.execute(delete(schema_compatibility))
    oldest = compatible_with_code_from(script, head)
    connection.execute(insert(schema_compatibility).values(head=head, compatible_with_code_from=oldest))


def _not_ours(name: str | None, type_: str, _parent: Any) -> bool:
    """Keeps autogenerate from proposing to drop the compatibility table."""
    return not (type_ == "table" and name == COMPATIBILITY_TABLE)


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
        context.configure(
            connection=connection, target_metadata=target_metadata, render_as_batch=True, include_name=_not_ours
        )
        with context.begin_transaction():
            _lock_for_migrations(connection)
            context.run_migrations()
            _record_compatibility(connection, context.script)

    async def run_async() -> None:
        engine = make_engine(url)
        async with engine.connect() as connection:
            await connection.run_sync(do_run)
            await connection.commit()
        await engine.dispose()

    asyncio.run(run_async())
