"""Bounds on what a caller may ask for: how far a list may be paged, and the window of dates a period
may name. Each is declared in the OpenAPI document exactly as it is enforced, so that a generated
client and the service agree on what is valid."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query
from pydantic import AfterValidator

# Far beyond any list the point holds, and far inside a 64-bit integer: an offset past it is a mistake
# or a probe, and answered 422 before it reaches the database.
MAX_OFFSET = 10_000_000

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="how many items to skip")]

EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
# The window as the document can declare it for a `format: date` string: the years 2000 to 2100.
DATE_WINDOW_PATTERN = r"^(20[0-9][0-9]|2100)-[0-9][0-9]-[0-9][0-9]$"
DATE_WINDOW_MESSAGE = f"must lie between {EARLIEST_DATE.isoformat()} and {LATEST_DATE.isoformat()}"


def within_window(value: date | None) -> date | None:
    """A date of a period inside the window; dates outside it overflow the arithmetic on periods."""
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(DATE_WINDOW_MESSAGE)
    return value


def period_date(name: str, description: str) -> object:
    """The Query of one end of a period, named `name` in the URL (`from`, `to`)."""
    return Query(alias=name, description=description, json_schema_extra={"pattern": DATE_WINDOW_PATTERN})


PeriodStart = Annotated[date | None, period_date("from", "first day of the period"), AfterValidator(within_window)]
PeriodEnd = Annotated[date | None, period_date("to", "last day of the period"), AfterValidator(within_window)]
