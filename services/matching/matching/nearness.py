"""School and distance, and the child's wishes, as matching weighs them (docs/domain.md, rule 3).

Pure functions over a unit and what the child asked for. A unit is measured from its own point when it
records one, else from its municipality's (contracts.geography); the child from its home and school
municipality. Then:

- a unit further than `max_travel_km` from the school (from home when no school is given) is left
  out: `too_far`;
- the distance to school is weighed like the distance to home (`school`), a child keeps its school;
- the wishes `near_school`, `near_family` and `small_group` add their own parts, each with its words;
  the other wishes are passed on to the provider with the proposal, not weighed.
"""

from __future__ import annotations

import functools
from typing import Protocol

from contracts.capacity import CompactUnit
from contracts.geography import distance_km, municipality_name, point_of
from contracts.suitability import WeighedWish
from contracts.vocabulary import Section

# The distance to school counts as much as the distance to home (domain.SAME_MUNICIPALITY_WEIGHT,
# NEIGHBOUR_WEIGHT and NEIGHBOUR_HORIZON_KM): the school's own municipality, else closeness within
# the horizon.
SCHOOL_SAME_MUNICIPALITY_WEIGHT = 25.0
SCHOOL_NEAR_WEIGHT = 20.0
HORIZON_KM = 30.0
# A wish the unit meets fully; it decides between otherwise close fits, never over a need.
WISH_WEIGHT = 10.0
# A group of this many places or fewer is small; from SMALL_GROUP_PLACES to LARGE_GROUP_PLACES the
# wish counts less and less.
SMALL_GROUP_PLACES = 4
LARGE_GROUP_PLACES = 12


_WEIGHED = frozenset(wish.value for wish in WeighedWish)


class Reach(Protocol):
    """What matching knows of where the child lives and learns, how far it may go, and what it wished."""

    @property
    def municipality_code(self) -> str: ...

    @property
    def school_municipality_code(self) -> str | None: ...

    @property
    def max_travel_km(self) -> float | None: ...

    @property
    def wishes(self) -> frozenset[str]: ...


@functools.lru_cache(maxsize=65_536)
def _km(from_code: str, latitude: float | None, longitude: float | None, unit_code: str) -> float | None:
    """From a municipality's point to a unit's point; cached, since units without a point of their own
    share their municipality's."""
    return distance_km(point_of(None, None, from_code), point_of(latitude, longitude, unit_code))


def km_from(code: str | None, unit: CompactUnit) -> float | None:
    """From the point of the municipality `code` to the unit; None when either is unknown."""
    if code is None:
        return None
    return _km(code, unit.latitude, unit.longitude, unit.municipality_code)


def too_far(unit: CompactUnit, reach: Reach) -> bool:
    """Beyond the distance the child may travel, from school when one is given, else from home. A unit
    whose distance is unknown is not left out for it."""
    if reach.max_travel_km is None:
        return False
    km = km_from(reach.school_municipality_code or reach.municipality_code, unit)
    return km is not None and km > reach.max_travel_km


def closeness(unit: CompactUnit, code: str | None) -> float:
    """1 in the municipality `code` itself, falling to 0 at the horizon; 0 when unknown."""
    if code is None:
        return 0.0
    if unit.municipality_code == code:
        return 1.0
    km = km_from(code, unit)
    return 0.0 if km is None else max(0.0, 1.0 - km / HORIZON_KM)


def small_group(places: int) -> float:
    """1 for a small group, falling to 0 for a large one."""
    span = LARGE_GROUP_PLACES - SMALL_GROUP_PLACES
    return min(1.0, max(0.0, (LARGE_GROUP_PLACES - places) / span))


def parts(unit: CompactUnit, reach: Reach) -> dict[str, float]:
    """The score parts of school and wishes: present only when a school or the wish was given, so that
    a decision without them keeps the parts it always had."""
    found: dict[str, float] = {}
    school = reach.school_municipality_code
    if school is not None:
        if unit.municipality_code == school:
            found["school"] = SCHOOL_SAME_MUNICIPALITY_WEIGHT
        else:
            found["school"] = round(SCHOOL_NEAR_WEIGHT * closeness(unit, school), 2)
    if WeighedWish.NEAR_SCHOOL in reach.wishes and school is not None:
        found["wish_near_school"] = round(WISH_WEIGHT * closeness(unit, school), 2)
    if WeighedWish.NEAR_FAMILY in reach.wishes:
        found["wish_near_family"] = round(WISH_WEIGHT * closeness(unit, reach.municipality_code), 2)
    if WeighedWish.SMALL_GROUP in reach.wishes:
        found["wish_small_group"] = round(WISH_WEIGHT * small_group(unit.capacity), 2)
    return found


def _km_words(km: float | None) -> str:
    return "an unknown distance" if km is None else f"{km:.1f} km"


def words(unit: CompactUnit, reach: Reach) -> list[str]:
    """The words of `parts`, in the same order, and the wishes passed on without weight."""
    found: list[str] = []
    school = reach.school_municipality_code
    if school is not None:
        if unit.municipality_code == school:
            found.append(f"in the school's municipality {municipality_name(school)}")
        else:
            found.append(f"{_km_words(km_from(school, unit))} from school ({municipality_name(school)})")
    if WeighedWish.NEAR_SCHOOL in reach.wishes:
        if school is None:
            found.append("the child wished to be near school; no school was given")
        else:
            found.append(f"the child wished to be near school: {_km_words(km_from(school, unit))} away")
    if WeighedWish.NEAR_FAMILY in reach.wishes:
        home = _km_words(km_from(reach.municipality_code, unit))
        found.append(f"the child wished to be near family: {home} from home")
    if WeighedWish.SMALL_GROUP in reach.wishes:
        found.append(f"the child wished a small group: {unit.capacity} places")
    passed_on = sorted(wish for wish in reach.wishes if wish not in _WEIGHED)
    if passed_on:
        found.append("wishes passed on to the provider: " + ", ".join(wish.replace("_", " ") for wish in passed_on))
    return found


def codes(reach: Reach) -> list[tuple[Section, str]]:
    """The codes of exclusions, parts and wishes a decision for this child can use, each with the
    section of the vocabulary that puts it into words."""
    used: list[tuple[Section, str]] = []
    if reach.max_travel_km is not None:
        used.append(("exclusion_reasons", "too_far"))
    if reach.school_municipality_code is not None:
        used.append(("score_parts", "school"))
    for wish in WeighedWish:
        if wish in reach.wishes and (wish != WeighedWish.NEAR_SCHOOL or reach.school_municipality_code is not None):
            used.append(("score_parts", f"wish_{wish.value}"))
    return used + [("wishes", wish) for wish in sorted(reach.wishes)]
