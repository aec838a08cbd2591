"""The rules of one-on-one supervision ("1-op-1 begeleiding"): what an ISO week is written as, which
weeks of a stay hours may be recorded for, and when a week counts above the region's limit. Pure."""

from __future__ import annotations

import re
from datetime import date, timedelta

from common.errors import InvalidInput

# An ISO 8601 week as people and systems write it: `2026-W49`.
WEEK_PATTERN = r"^[0-9]{4}-W[0-9]{2}$"
_WEEK = re.compile(WEEK_PATTERN)
MAX_HOURS = 168.0  # every hour of the week


def week_start(week: str) -> date:
    """The Monday of an ISO week `YYYY-Www`; refused naming `week` when there is no such week (a
    year has 52 or 53)."""
    if not _WEEK.fullmatch(week):
        raise InvalidInput("week", "must be an ISO week written as YYYY-Www, for example 2026-W49")
    year, number = int(week[:4]), int(week[6:])
    try:
        return date.fromisocalendar(year, number, 1)
    except ValueError:
        raise InvalidInput("week", f"{year} has no ISO week {number}") from None


def iso_week(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def check_week_of_stay(monday: date, start_date: date, end_date: date | None, today: date) -> None:
    """Hours are recorded for a week the child spent (part of) in the stay, up to the current week."""
    sunday = monday + timedelta(days=6)
    if monday > today:
        raise InvalidInput("week", "lies in the future")
    if sunday < start_date:
        raise InvalidInput("week", f"ends before the stay began on {start_date.isoformat()}")
    if end_date is not None and monday > end_date:
        raise InvalidInput("week", f"begins after the stay ended on {end_date.isoformat()}")


def above_limit(hours: float, limit: float) -> bool:
    """A week counts in the indicator when its hours are more than the limit (not equal to it)."""
    return hours > limit
