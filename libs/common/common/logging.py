"""Structured logs (structlog) carrying the request id that travels from service to service."""

from __future__ import annotations

import logging
import sys
import traceback
import uuid
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import structlog

REQUEST_ID_HEADER = "X-Request-ID"
request_id_var: ContextVar[str | None] = ContextVar("request_id", default=None)


@contextmanager
def request_context(request_id: str | None = None) -> Iterator[str]:
    """Everything logged inside carries the request id, and every call to another service sends it
    (common.http): for one request, or one run of a background step, which gets an id of its own."""
    request_id = request_id or uuid.uuid4().hex
    token = request_id_var.set(request_id)
    # Bound and reset by their tokens: what bound_contextvars does, without reading every bound
    # variable first.
    bound = structlog.contextvars.bind_contextvars(request_id=request_id)
    try:
        yield request_id
    finally:
        structlog.contextvars.reset_contextvars(**bound)
        request_id_var.reset(token)


def describe_exception(exc: BaseException) -> str:
    """An exception as a log may carry it: the classes and the frames, never a message.

    A message can hold whatever the failing code was given: a database error prints the row it
    refused ("Failing row contains …") or the key it found taken, int() quotes the text it could not
    read. Any of those may be a citizen number or a note someone typed, so no message is logged;
    the class, PostgreSQL's SQLSTATE and where it happened are enough to find the cause.
    """
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        name = f"{type(current).__module__}.{type(current).__qualname__}"
        sqlstate = getattr(current, "sqlstate", None) or getattr(getattr(current, "orig", None), "sqlstate", None)
        label = name + (f" (sqlstate {sqlstate})" if isinstance(sqlstate, str) else "")
        parts.append(" | ".join([label, *_frames(current)]))
        current = current.__cause__ or current.__context__
    return " <- ".join(parts)


def _frames(exc: BaseException) -> list[str]:
    """Where the exception passed through our own code, and where it was raised."""
    frames = traceback.extract_tb(exc.__traceback__)
    kept = [frame for i, frame in enumerate(frames) if "site-packages" not in frame.filename or i == len(frames) - 1]
    return [f"{'/'.join(Path(frame.filename).parts[-2:])}:{frame.lineno} in {frame.name}" for frame in kept]


def _exception_without_message(
    _logger: Any, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """Replaces any exc_info, ours or another library's (uvicorn logs what escapes an app), by
    describe_exception's account of it."""
    exc_info = event_dict.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    if isinstance(exc_info, BaseException):
        event_dict["exception"] = describe_exception(exc_info)
    elif isinstance(exc_info, tuple) and len(exc_info) == 3 and isinstance(exc_info[1], BaseException):
        event_dict["exception"] = describe_exception(exc_info[1])
    return event_dict


class _AlembicChatter(logging.Filter):
    """Alembic says which dialect it found every time it looks at a database (each migration run and
    each readiness probe): not news. Its `Running upgrade …` lines, which are, pass."""

    CHATTER = ("Context impl ", "Will assume ")

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(self.CHATTER)


def configure_logging(level: str = "INFO", *, json: bool = True) -> None:
    renderer: structlog.types.Processor = (
        structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(colors=False)
    )
    shared: list[structlog.types.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        # A line below the level of its logger is dropped first, before the context is merged and the
        # time stamped for it: the standard library would drop it anyway, after all that work (a
        # request's debug line, every request of the demo history played at WARNING). The level is
        # asked each time, so that a later configure_logging or setLevel counts for every logger.
        processors=[structlog.stdlib.filter_by_level, *shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                _exception_without_message,
                renderer,
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("uvicorn.access", "httpx", "httpcore", "aiosqlite", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    alembic = logging.getLogger("alembic.runtime.migration")
    if not any(isinstance(existing, _AlembicChatter) for existing in alembic.filters):
        alembic.addFilter(_AlembicChatter())


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    return structlog.stdlib.get_logger(name)  # type: ignore[no-any-return]
