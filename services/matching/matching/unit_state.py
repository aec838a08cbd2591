"""The units of capacity's register as matching's read model keeps them (matching.replica): a unit as
the change feed sends it, its stays, and what a listing derives from them as capacity does."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

ONE_DAY = timedelta(days=1)


@dataclass(slots=True)
class Stay:
    start: date
    end: date | None
    age: int | None
    age_on: date | None
    flags: tuple[str, ...]


@dataclass(slots=True)
class UnitState:
    """A unit as the feed sends it (capacity.candidates.feed), in the order of its array."""

    id: str
    seq: int
    provider_id: str
    role: str
    care_type: str
    serves_jo: bool
    serves_lvb: bool
    serves_ggz: bool
    age_min: int
    age_max: int
    municipality_code: str
    in_region: bool
    capacity: int
    occupied: int
    reserved: int
    blocked: int
    specialisms: list[str]
    part_time: bool
    latitude: float | None
    longitude: float | None
    confirmed_at: datetime
    closed: bool
    version: int
    held_requests: tuple[str, ...]
    stays: tuple[Stay, ...]
    # Worked out once from the fields above: a unit is listed for thousands of decisions between two
    # of its changes. The free places for any request but one that holds a place here, and the
    # target groups served.
    free_places: int = field(init=False)
    target_groups: frozenset[str] = field(init=False)
    # The group profile of the children staying, and the day it was worked out for (ages grow).
    _profile: tuple[date, dict[str, Any] | None] | None = field(init=False, default=None, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.free_places = max(0, self.capacity - self.occupied - self.reserved - self.blocked)
        served = (("jo", self.serves_jo), ("lvb", self.serves_lvb), ("ggz", self.serves_ggz))
        self.target_groups = frozenset(group for group, serves in served if serves)

    def free(self, held_unit_id: str | None) -> int:
        """Free places; a place the asking request holds here counts as free for it (capacity's
        db.places_free)."""
        if self.id != held_unit_id:
            return self.free_places
        return max(0, self.capacity - self.occupied - (self.reserved - 1) - self.blocked)

    def group_profile_on(self, today: date) -> dict[str, Any] | None:
        """The group profile of the children staying now (None when none stays): worked out once a
        day, and shared by every decision that lists the unit, which only reads it."""
        profile = self._profile
        if profile is None or profile[0] != today:
            running = [stay for stay in self.stays if stay.end is None]
            profile = self._profile = (today, group_profile(running, today) if running else None)
        return profile[1]

    def reason(self, target_group: str, age: int, held_unit_id: str | None) -> str | None:
        """The first reason the unit cannot take the child, in capacity's order (db.exclusion_reason)."""
        if (self.free_places if self.id != held_unit_id else self.free(held_unit_id)) <= 0:
            return "no_free_place"
        if self.age_min > age or self.age_max < age:
            return "age_out_of_range"
        if target_group not in self.target_groups:
            return "target_group_not_served"
        return None


def _date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


def unit_from(row: list[Any]) -> UnitState:
    """The array of capacity.candidates.feed: the unit's columns, its holds' requests, its stays."""
    row[20] = datetime.fromisoformat(row[20])
    row[23] = tuple(row[23])
    row[24] = tuple(
        Stay(date.fromisoformat(start), _date(end), age, _date(age_on), tuple(flags or ()))
        for start, end, age, age_on, flags in row[24]
    )
    return UnitState(*row)


def group_profile(stays: list[Stay], today: date) -> dict[str, Any]:
    """The shape of contracts.group.GroupProfile, as capacity's groups.rules builds it."""
    ages: list[int] = []
    flags: Counter[str] = Counter()
    for stay in stays:
        if stay.age is not None and stay.age_on is not None:
            years = today.year - stay.age_on.year - ((today.month, today.day) < (stay.age_on.month, stay.age_on.day))
            ages.append(stay.age + max(0, years))
        flags.update(set(stay.flags))
    return {"count": len(stays), "ages": sorted(ages), "flags": dict(sorted(flags.items()))}


def used_days(stays: list[Stay], today: date) -> int:
    """The care days these stays used this year up to and including today (capacity's
    production.rules.year_use): the first day counts, the day a child leaves does not."""
    first, last = date(today.year, 1, 1), date(today.year, 12, 31)
    used_until = min(today, last)
    days = 0
    for stay in stays:
        until = used_until if stay.end is None else min(used_until, stay.end - ONE_DAY)
        days += max(0, (until - max(stay.start, first)).days + 1)
    return days


@dataclass(frozen=True, slots=True)
class Mark:
    tick: int
    stale_before: datetime


def only_held_by(old: UnitState, new: UnitState, request_id: str | None) -> bool:
    """Whether a unit's new state differs from its old one only by a place the request holds now,
    which counts as free for that request: the unit ranks for it as before."""
    if request_id is None or request_id in old.held_requests or request_id not in new.held_requests:
        return False
    before = replace(
        new,
        seq=old.seq,
        version=old.version,
        reserved=new.reserved - 1,
        held_requests=old.held_requests,
    )
    return before == old and set(new.held_requests) == {*old.held_requests, request_id}
