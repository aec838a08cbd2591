"""FastAPI dependencies every service uses, as Annotated aliases so route signatures stay short."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request

from common.clock import Clock
from common.db import Database
from common.errors import InvalidInput, PreconditionRequired

# The dependencies are `async def` although they do not await: FastAPI runs a plain `def`
# dependency in its thread pool, a thread hop on every request for a dictionary lookup.


async def get_database(request: Request) -> Database:
    database: Database = request.app.state.database
    return database


async def get_clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


DatabaseDep = Annotated[Database, Depends(get_database)]
# The record id in a path, spelled `{id}` as in the public contract: `@router.get("/v1/units/{id}")` with
# a parameter `unit_id: IdPath` keeps the published paths those of the contract, word for word.
IdPath = Annotated[str, Path(alias="id")]
ClockDep = Annotated[Clock, Depends(get_clock)]


# A version is a count of changes; more digits than a 64-bit column holds is no version of ours.
MAX_VERSION_DIGITS = 18


def parse_if_match(value: str | None) -> int:
    """If-Match carries a version: bare `3`, quoted `"3"` or weak `W/"3"` are all accepted."""
    if value is None or not value.strip():
        raise PreconditionRequired("This change needs an If-Match header with the version you last read.")
    raw = value.strip()
    if raw.startswith("W/"):
        raw = raw[2:]
    raw = raw.strip('"')
    # ASCII digits only: str.isdigit() also takes "²" or "٣", which int() then refuses or reads.
    if not (raw.isascii() and raw.isdigit()) or len(raw) > MAX_VERSION_DIGITS:
        raise InvalidInput("If-Match", 'must be the unit\'s version, for example 3 or "3"')
    return int(raw)


def etag(version: int) -> str:
    return f'"{version}"'
