"""Care days: what a stay uses of a year, what it will use by the year's end, and when an agreement is
used up. Pure, no database, no clock (docs/domain.md, production agreements).

A care day is a day the child stays, counted as a night: the first day counts, the day it leaves does
not. `used` counts up to and including today (a running stay uses today); `projected` is `used` plus
every running stay continued to the last day of the year, as if none ended before then.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Stay:
    care_type: str
    start_date: date
    end_date: date | None  # the day the child left; None while the stay runs


@dataclass(frozen=True)
class Use:
    used_days: int
    projected_days: int


def days_within(start: date, end: date | None, first: date, last: date) -> int:
    """The care days of a stay from `start` until `end` (not counted; None: open) that fall between
    `first` and `last`, both counted."""
    until = last if end is None else min(last, end - ONE_DAY)
    begin = max(start, first)
    return max(0, (until - begin).days + 1)


def year_use(stays: Iterable[Stay], year: int, today: date) -> dict[str, Use]:
    """The care days used and projected in `year`, per care type, as of `today`."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    used_until = min(today, last)
    rest_from = max(today + ONE_DAY, first)
    used: dict[str, int] = {}
    projected: dict[str, int] = {}
    for stay in stays:
        days = days_within(stay.start_date, stay.end_date, first, used_until)
        later = days_within(stay.start_date, None, rest_from, last) if stay.end_date is None else 0
        used[stay.care_type] = used.get(stay.care_type, 0) + days
        projected[stay.care_type] = projected.get(stay.care_type, 0) + days + later
    return {care_type: Use(used[care_type], projected[care_type]) for care_type in used}


def used_up(agreed_days: int, used_days: int) -> bool:
    """An agreement is used up once its care days are all used."""
    return used_days >= agreed_days
