"""A unit's group profile from the stays that run there: pure, no database, no clock.

Each stay keeps the child's age in years on the day it was held (`age_on`) and its risk flags and
vulnerabilities; the profile counts the children, gives their ages today (youngest first) and counts
each code. No client key and no id leaves this module: the profile describes the group, not a child.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True)
class GroupStay:
    """A stay as the group sees it; age and flags are unknown (None, empty) for stays begun before
    they were kept."""

    age: int | None
    age_on: date | None
    flags: tuple[str, ...] = ()


def age_today(age: int, age_on: date, today: date) -> int:
    """The age in years a child had on `age_on`, grown by the whole years since: never more than one
    year off, and no finer than the age it was told."""
    years = today.year - age_on.year - ((today.month, today.day) < (age_on.month, age_on.day))
    return age + max(0, years)


def group_profile(stays: Iterable[GroupStay], today: date) -> dict[str, Any]:
    """The shape of contracts.group.GroupProfile."""
    count = 0
    ages: list[int] = []
    flags: Counter[str] = Counter()
    for stay in stays:
        count += 1
        if stay.age is not None and stay.age_on is not None:
            ages.append(age_today(stay.age, stay.age_on, today))
        flags.update(set(stay.flags))
    return {"count": count, "ages": sorted(ages), "flags": dict(sorted(flags.items()))}


def sees_group_profile(role: str) -> bool:
    """Coordinators and the point's services see a unit's group profile; providers and referrers do
    not: what the other children in a group carry (their flags, their ages) is about those children,
    and neither another provider nor a referrer has a reason to know it."""
    return role in ("coordinator", "service")
