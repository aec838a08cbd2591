"""How the demo seeding talks to SQLite: on the event loop's own thread, without waiting for the disk.

aiosqlite runs every call of a connection (a cursor, a statement, a fetch, a commit) on a thread of
its own and hands the answer back to the event loop, and SQLAlchemy's asyncio adapter waits for each
of those answers by switching greenlets: several switches per statement. The seeding runs one request
at a time with nothing else on the loop, so those switches are pure cost, and on a busy machine each
thread switch waits for the scheduler. Here the engine's connections are plain sqlite3 connections
behind the same DBAPI face SQLAlchemy's adapter shows (cursor, execute, fetch, commit), called at once
on the calling thread; SQLAlchemy, the statements and the transactions are unchanged. And since
nothing is served while the history is played, and a seeding that dies half-way is started again on
fresh databases anyway, the seeding does not wait for the disk at each commit.

Only SQLite databases are changed, and only the engines handed to `play_inline`: the services the
runner starts afterwards open their own connections with their own settings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine.interfaces import AdaptedConnection
from sqlalchemy.ext.asyncio import AsyncEngine


class _Cursor:
    """A sqlite3 cursor with the face of SQLAlchemy's asyncio cursor adapter, called directly."""

    __slots__ = ("_cursor",)

    def __init__(self, cursor: sqlite3.Cursor) -> None:
        self._cursor = cursor

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._cursor.lastrowid

    @property
    def arraysize(self) -> int:
        return self._cursor.arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._cursor.arraysize = value

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        if parameters is None:
            return self._cursor.execute(operation)
        return self._cursor.execute(operation, parameters)

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        return self._cursor.executemany(operation, seq_of_parameters)

    def fetchone(self) -> Any:
        return self._cursor.fetchone()

    def fetchmany(self, size: int | None = None) -> list[Any]:
        return self._cursor.fetchmany(self._cursor.arraysize if size is None else size)

    def fetchall(self) -> list[Any]:
        return self._cursor.fetchall()

    def __iter__(self) -> Iterator[Any]:
        return iter(self._cursor)

    def close(self) -> None:
        self._cursor.close()

    async def _async_soft_close(self) -> None:
        """SQLAlchemy's asyncio results call this before handing rows to async code; the rows stay
        readable here without it."""


class InlineConnection(AdaptedConnection):
    """A sqlite3 connection with the face of SQLAlchemy's aiosqlite adapter, without its thread and
    without a greenlet switch per call."""

    __slots__ = ("_sqlite", "dbapi")

    def __init__(self, dbapi: Any, connection: sqlite3.Connection) -> None:
        self.dbapi = dbapi
        self._sqlite = connection
        self._connection = connection  # type: ignore[assignment]  # the driver connection, as SQLAlchemy names it

    @property
    def isolation_level(self) -> str | None:
        return self._sqlite.isolation_level

    @isolation_level.setter
    def isolation_level(self, value: str | None) -> None:
        self._sqlite.isolation_level = value  # type: ignore[assignment]

    def cursor(self, server_side: bool = False) -> _Cursor:
        return _Cursor(self._sqlite.cursor())

    def execute(self, operation: Any, parameters: Any = None) -> _Cursor:
        cursor = self.cursor()
        cursor.execute(operation, parameters)
        return cursor

    def create_function(self, *args: Any, **kwargs: Any) -> None:
        self._sqlite.create_function(*args, **kwargs)

    def commit(self) -> None:
        self._sqlite.commit()

    def rollback(self) -> None:
        self._sqlite.rollback()

    def close(self) -> None:
        self._sqlite.close()

    def terminate(self) -> None:
        self._sqlite.close()


def play_inline(engine: AsyncEngine) -> None:
    """Make `engine` (not yet connected) open its SQLite connections inline and without syncing to disk;
    any other database is left as it is."""
    sync_engine = engine.sync_engine
    if sync_engine.dialect.name != "sqlite":
        return

    @event.listens_for(sync_engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        return InlineConnection(dialect.dbapi, sqlite3.connect(*cargs, **cparams))

    # After the engine's own pragmas (common.db), which a served database keeps.
    @event.listens_for(sync_engine, "connect")
    def _no_sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()
