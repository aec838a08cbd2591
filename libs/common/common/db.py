"""Async engines and sessions that behave the same on SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

import functools
import time
from collections.abc import AsyncIterator, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Column, CursorResult, MetaData, event, exc, text, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names, so that migrations generated on one database apply on the other.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class Base(DeclarativeBase):
    """Not used for tables directly: each service declares its own base with new_metadata()."""


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, **kwargs: Any) -> AsyncEngine:
    # A failing statement's error then says "[SQL parameters hidden]" instead of quoting its values:
    # a BSN, a birth date, a note. No log may ever carry them, at any level.
    kwargs["hide_parameters"] = True
    if is_sqlite(url):
        database = make_url(url).database
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30}, **kwargs)
        _configure_sqlite(engine)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    engine = create_async_engine(url, **kwargs)
    _replace_dead_connections(engine)
    return engine


# A pooled connection unused for longer than this is pinged before it is handed out again.
PING_AFTER_IDLE_SECONDS = 30.0


def _replace_dead_connections(engine: AsyncEngine) -> None:
    """Hand out only live PostgreSQL connections, without a round trip on every checkout.

    SQLAlchemy's pool_pre_ping costs three round trips (BEGIN, a ping, ROLLBACK) each time a
    connection is taken from the pool, several times per request. Instead: a connection the server
    closed (a restart, an administrator) is seen closed by asyncpg as soon as the event loop reads
    the end of its socket, which costs nothing to ask; only a connection that sat idle long enough
    for a silent network failure to matter is pinged. Either way a dead one is replaced by the pool
    (DisconnectionError makes it connect again) instead of failing the request.
    """

    @event.listens_for(engine.sync_engine, "checkin")
    def _on_checkin(_dbapi_connection: Any, record: Any) -> None:
        record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _on_checkout(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if dbapi_connection.driver_connection.is_closed():
            raise exc.DisconnectionError("The server closed this connection.")
        idle_since = record.info.get("idle_since")
        if idle_since is not None and time.monotonic() - idle_since > PING_AFTER_IDLE_SECONDS:
            try:
                engine.dialect.do_ping(dbapi_connection)
            except Exception as error:
                raise exc.DisconnectionError("This connection no longer answers.") from error


def _configure_sqlite(engine: AsyncEngine) -> None:
    # pysqlite's own transaction handling starts transactions late and cannot take the write lock
    # up front; we begin them ourselves so that a writing use case starts with BEGIN IMMEDIATE and
    # waits on busy_timeout instead of failing with "database is locked" half-way.
    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection: Any) -> None:
        immediate = connection.get_execution_options().get("sqlite_immediate", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def conflict_insert(session: AsyncSession, table: Any) -> Any:
    """An INSERT that can say what to do ON CONFLICT, in the dialect of the session's database."""
    return dialect_insert(session.get_bind().dialect.name, table)


def insert_or_skip(session: AsyncSession, table: Any, *unique: str) -> Any:
    """An INSERT that leaves out a row whose `unique` columns are taken already, built once per dialect
    and table; its values are bound at execution."""
    return _insert_or_skip(session.get_bind().dialect.name, table, unique)


def dialect_insert(dialect: str, table: Any) -> Any:
    """An INSERT that can say what to do ON CONFLICT, in the named dialect: for statements built once."""
    return postgresql.insert(table) if dialect == "postgresql" else sqlite.insert(table)


@functools.cache
def _insert_or_skip(dialect: str, table: Any, unique: tuple[str, ...]) -> Any:
    return dialect_insert(dialect, table).on_conflict_do_nothing(index_elements=list(unique))


async def replace_values(session: AsyncSession, column: Column[str], pairs: Iterable[tuple[str, str]]) -> int:
    """Replace each old value of `column` by its new one, pair by pair, in the caller's transaction;
    how many rows changed. A pair whose old value is gone (or equals its new one) changes nothing, so
    sending the same pairs again is harmless."""
    changed = 0
    for old, new in pairs:
        if old == new:
            continue
        result = await session.execute(update(column.table).where(column == old).values({column.name: new}))
        changed += int(cast(CursorResult[Any], result).rowcount)
    return changed


async def _close(session: AsyncSession) -> None:
    """Close a session whose transaction has ended, as `async with AsyncSession` would, without its cost.

    SQLAlchemy's own exit closes the session in a task of its own, shielded from cancellation, so that
    a request cancelled while its connection goes back to the pool still gives it back: a task and a
    turn of the event loop for every session. Once the transaction has committed or rolled back (the
    common case) the session holds no connection, and closing it only forgets its objects: that is
    done at once, with nothing to await and so nothing to cancel. A session still in a transaction
    (its commit or rollback failed or was cancelled) is closed the shielded way."""
    if session.in_transaction():
        await session.__aexit__(None, None, None)
    else:
        session.sync_session.close()


@asynccontextmanager
async def _in_transaction(sessions: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    """A new session of `sessions` in a transaction of its own, closed once it has ended."""
    session = sessions()
    try:
        async with session.begin():
            yield session
    finally:
        await _close(session)


class Database:
    """One engine per service, with a session factory for reads and one for writing use cases."""

    def __init__(self, url: str, **engine_kwargs: Any) -> None:
        self.url = url
        self.engine = make_engine(url, **engine_kwargs)
        self.sqlite = is_sqlite(url)
        self._reader = async_sessionmaker(self.engine, expire_on_commit=False)
        writer_bind = self.engine.execution_options(sqlite_immediate=True) if self.sqlite else self.engine
        self._writer = async_sessionmaker(writer_bind, expire_on_commit=False)

    def transaction(self) -> AbstractAsyncContextManager[AsyncSession]:
        """One writing use case: commits on success, rolls back on any exception."""
        return _in_transaction(self._writer)

    def read(self) -> AbstractAsyncContextManager[AsyncSession]:
        return _in_transaction(self._reader)

    async def ping(self) -> None:
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
