"""How the demo seeding talks to SQLite: on the event loop's own thread, without waiting for the disk.

aiosqlite runs every call of a connection (a cursor, a statement, a fetch, a commit) on a thread of
its own and hands the answer back to the event loop: several thread switches per statement. The
seeding runs one request at a time with nothing else on the loop, so those switches are pure cost,
and on a busy machine each one waits for the scheduler. Here the same aiosqlite connection runs each
call at once on the calling thread instead; SQLAlchemy, the statements and the transactions are
unchanged. And since nothing is served while the history is played, and a seeding that dies half-way
is started again on fresh databases anyway, the seeding does not wait for the disk at each commit.

Only SQLite databases are changed, and only the engines handed to `play_inline`: the services the
runner starts afterwards open their own connections with their own settings.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable, Generator
from typing import Any

import aiosqlite
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class _RunAtOnce:
    """Stands in for aiosqlite's queue to its thread: runs each call when it is put, and settles its
    future before the caller awaits it."""

    def put_nowait(self, item: tuple[asyncio.Future[Any] | None, Callable[[], Any]]) -> None:
        future, function = item
        try:
            result = function()
        except BaseException as exc:
            if future is None:
                raise
            future.set_exception(exc)
        else:
            if future is not None:
                future.set_result(result)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection without its thread."""

    def __init__(self, connector: Callable[[], sqlite3.Connection]) -> None:
        super().__init__(connector, 64)
        self._tx = _RunAtOnce()  # type: ignore[assignment]

    def __await__(self) -> Generator[Any, None, aiosqlite.Connection]:
        return self._connect().__await__()


def play_inline(engine: AsyncEngine) -> None:
    """Make `engine` (not yet connected) open its SQLite connections inline and without syncing to disk;
    any other database is left as it is."""
    sync_engine = engine.sync_engine
    if sync_engine.dialect.name != "sqlite":
        return

    @event.listens_for(sync_engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        def connector() -> sqlite3.Connection:
            return sqlite3.connect(*cargs, **cparams)

        return dialect.dbapi.connect(async_creator_fn=lambda: InlineConnection(connector))

    # After the engine's own pragmas (common.db), which a served database keeps.
    @event.listens_for(sync_engine, "connect")
    def _no_sync(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()
