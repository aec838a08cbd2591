"""The NUL character is refused in every input, named by its field, before any of it is used.

PostgreSQL cannot store NUL in text at all ("invalid byte sequence for encoding UTF8: 0x00"), so an
id, a filter, a header or a JSON string holding one failed at the database with a 500. No field of
ours has a use for it, on either database.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request

from common.errors import InvalidInput

NUL = "\x00"
_MESSAGE = "must not contain a NUL character (\\u0000)"
# How a JSON text writes NUL inside a string: a raw NUL byte is not valid JSON at all.
_JSON_NUL = b"\\u0000"
_FORM = "application/x-www-form-urlencoded"
_WITH_BODY = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def _printable(name: str) -> str:
    return name.replace(NUL, "\\u0000")


def _header_name(raw: bytes) -> str:
    return "-".join(part.capitalize() for part in raw.decode("latin-1").split("-"))


def nul_field(value: Any, path: str = "") -> str | None:
    """The dotted path (`client.bsn`, `needs.2`) of the first string in a JSON value holding NUL."""
    if isinstance(value, str):
        return (path or "body") if NUL in value else None
    if isinstance(value, dict):
        for key, item in value.items():
            child = f"{path}.{key}" if path else str(key)
            if NUL in str(key):
                return _printable(child)
            found = nul_field(item, child)
            if found is not None:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = nul_field(item, f"{path}.{index}" if path else str(index))
            if found is not None:
                return found
    return None


async def refuse_nul_characters(request: Request) -> None:
    """Every route's first dependency: 422 naming the path parameter, query parameter, header or body
    field that holds NUL. The body is the one FastAPI read already; it is parsed again only in the
    rare case that it writes a NUL at all."""
    for name, value in request.path_params.items():
        if NUL in str(value):
            raise InvalidInput(name, _MESSAGE)
    for name, value in request.query_params.multi_items():
        if NUL in name or NUL in value:
            raise InvalidInput(_printable(name), _MESSAGE)
    for raw_name, raw_value in request.scope["headers"]:
        if b"\x00" in raw_value:
            raise InvalidInput(_header_name(raw_name), _MESSAGE)
    if request.method not in _WITH_BODY:
        return
    body = await request.body()
    if request.headers.get("content-type", "").startswith(_FORM):
        for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
            if NUL in name or NUL in value:
                raise InvalidInput(_printable(name), _MESSAGE)
    elif _JSON_NUL in body:
        try:
            parsed = json.loads(body)
        except ValueError:
            return  # not JSON: the route's own parsing says so
        field = nul_field(parsed)
        if field is not None:
            raise InvalidInput(field, _MESSAGE)
