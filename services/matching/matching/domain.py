"""The matching rules: which units a child may be proposed, and in what order (docs/domain.md, rules 2 and 3).

Pure functions over plain data. Capacity has already applied the hard rules it owns in its database
(free place, age, target group); this module adds the rules of the central point:

- declined units (`excluded_unit_ids`) are never proposed;
- a unit that offers part-time stays only ("deeltijd") cannot take a full-time request, so it is
  excluded; a part-time wish on the other hand only ranks, because a full-time place can still serve
  a child who would rather go part-time;
- region first ("geen kind de regio uit"): without a ground only units inside the region count; with
  `expertise` units outside count only when no eligible unit inside covers every need, and then only
  those that do; with `safety` units outside come first. The units outside that a region rule
  leaves out need not be read at all, and those outside that cannot take the child need not be
  listed one by one: a decision counts them per reason instead (`Ranking.outside_counted`);
- a unit further away than the child may travel is excluded (`too_far`, matching.nearness);
- the rest is ranked by suitability (needs, proximity, continuity, contract role, part-time wish, and
  school and the child's wishes: matching.nearness), never by which bed came free first.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from common.errors import InvalidInput
from contracts import geography
from contracts.capacity import CompactExcluded, CompactUnit
from contracts.suitability import WeighedWish
from contracts.vocabulary import ExclusionReason, OutOfRegionCriterion
from matching import freshness, nearness

# The ground to place outside the region and the reasons a unit is left are the shared vocabulary.
Ground = OutOfRegionCriterion
Exclusion = ExclusionReason

EXCLUSION_WORDS: dict[str, str] = {
    Exclusion.NO_FREE_PLACE: "no free place",
    Exclusion.AGE_OUT_OF_RANGE: "does not take a child of this age",
    Exclusion.TARGET_GROUP_NOT_SERVED: "does not serve this target group",
    Exclusion.DECLINED: "declined this child before",
    Exclusion.PART_TIME_ONLY: "offers part-time stays only, a full-time place is needed",
    Exclusion.OUTSIDE_REGION_WITHOUT_GROUND: "outside the region, and no ground to place outside was recorded",
    Exclusion.EXPERTISE_AVAILABLE_IN_REGION: "outside the region, while a unit inside covers every need",
    Exclusion.OUTSIDE_REGION_LACKS_EXPERTISE: "outside the region without the expertise that is missing inside",
    Exclusion.PLACE_TAKEN: "its last place was taken by another child meanwhile",
    # The group a child would join, and production agreements (matching.group_rules).
    Exclusion.GROUP_CONFLICT: "the group does not fit: a child in the group poses a risk, or is at risk",
    Exclusion.PRODUCTION_CAP_REACHED: "the production agreement for this care type is used up this year",
    Exclusion.TOO_FAR: "further away than the child may travel",
}

# The weights make the order explainable: the region ground outweighs all suitability together
# (it is a rule, not a preference); needs weigh most, then closeness to home, then continuity.
# The contract role is a small tie-breaker, so it decides only between otherwise equal fits.
REGION_GROUND_WEIGHT = 100.0
NEEDS_WEIGHT = 40.0
SAME_MUNICIPALITY_WEIGHT = 25.0
NEIGHBOUR_WEIGHT = 20.0
IN_REGION_UNKNOWN_DISTANCE_WEIGHT = 10.0
NEIGHBOUR_HORIZON_KM = 30.0
CONTINUITY_WEIGHT = 15.0
CONTRACT_ROLE_WEIGHT = {"strategic": 5.0, "tactical": 5.0, "operational": 0.0}
PART_TIME_WEIGHT = 10.0

ROLE_WORDS = {"strategic": "strategic partner", "tactical": "tactical core provider"}


def municipality_name(code: str) -> str:
    return geography.municipality_name(code)


@functools.cache
def distance_km(a: str, b: str) -> float | None:
    """Great-circle distance between the points of two municipalities, None when one is unknown."""
    return geography.distance_km(geography.point_of(None, None, a), geography.point_of(None, None, b))


# A unit that capacity found suitable on its hard rules (care type, target group, age, a free place),
# and one of the care type it left out with its first reason: the rows of capacity's compact
# candidates answer, taken as read by position (`Unit._make`), since a decision over a large region
# reads hundreds of them. What is only counted and kept in the record stays the array capacity sent.
Unit = CompactUnit
Rejected = CompactExcluded


@dataclass(frozen=True)
class Wish:
    """What the child needs, as far as matching is concerned."""

    care_type: str
    municipality_code: str
    needs: tuple[str, ...] = ()
    part_time: bool = False
    ground: Ground | None = None
    known_provider_ids: frozenset[str] = frozenset()
    excluded_unit_ids: frozenset[str] = frozenset()
    offered_unit_id: str | None = None
    # School, distance and wishes: see matching.nearness.
    school_municipality_code: str | None = None
    max_travel_km: float | None = None
    wishes: frozenset[str] = frozenset()

    @functools.cached_property
    def weighs_group_size(self) -> bool:
        return WeighedWish.SMALL_GROUP in self.wishes


@dataclass(slots=True)
class Weighed:
    """One unit as weighed for one decision: eligible with a score and rank, or excluded with a reason."""

    unit_id: str
    provider_id: str
    in_region: bool
    eligible: bool
    excluded_reason: str | None = None
    score: float | None = None
    parts: dict[str, float] = field(default_factory=dict)
    rank: int | None = None
    chosen: bool = False
    # The ids of the group and production rules that applied to it (matching.group_rules).
    rules: list[str] = field(default_factory=list)
    # An eligible unit keeps what it was weighed on, so that its reasons are put in words only
    # when asked for: a decision over hundreds of units needs the words of one.
    unit: Unit | None = field(default=None, repr=False, compare=False)
    wish: Wish | None = field(default=None, repr=False, compare=False)

    @property
    def reasons(self) -> list[str]:
        """Why this unit fits, in the words of a coordinator; empty for an excluded unit."""
        if self.unit is None or self.wish is None:
            return []
        return explain(self.unit, self.wish)

    def lose_place(self) -> None:
        """The reservation lost a race: the unit stays in the record, but was not taken."""
        self.eligible = False
        self.excluded_reason = Exclusion.PLACE_TAKEN


@dataclass
class Ranking:
    # The units weighed here: the eligible ones, ranked, and those a rule of the central point left out.
    candidates: list[Weighed]
    offered_unit_known: bool = True
    # The units capacity left out on its hard rules, each with its reason, as capacity listed them.
    rejected: list[Rejected] = field(default_factory=list)
    # Units outside the region not listed one by one, counted per reason: those a region rule left
    # unread, and those that cannot take the child anyway.
    outside_counted: dict[str, int] = field(default_factory=dict)
    # Units (inside the region) whose own ages or target groups do not admit the child, counted per
    # reason instead of listed.
    unfit_counted: dict[str, int] = field(default_factory=dict)

    @property
    def ranked(self) -> list[Weighed]:
        """The eligible units, best first (`rank_units` puts them first in `candidates`, in rank order)."""
        return [c for c in self.candidates if c.rank is not None]


def covers_all(unit: Unit, needs: Iterable[str]) -> bool:
    return all(need in unit.specialisms for need in needs)


def _wish_exclusion(unit: Unit, wish: Wish) -> Exclusion | None:
    """The exclusions of the central point that come before the region rule."""
    if unit.id in wish.excluded_unit_ids:
        return Exclusion.DECLINED
    if unit.part_time and not wish.part_time:
        return Exclusion.PART_TIME_ONLY
    if wish.max_travel_km is not None and nearness.too_far(unit, wish):
        return Exclusion.TOO_FAR
    return None


def inside_meets_need(wish: Wish, units: Iterable[Unit]) -> bool:
    """Whether a unit inside the region that the child may be proposed covers every need."""
    return any(
        unit.in_region and covers_all(unit, wish.needs) and _wish_exclusion(unit, wish) is None for unit in units
    )


def outside_exclusion(wish: Wish, inside_meets_need: bool, unit: Unit | None = None) -> Exclusion | None:
    """Region first ("geen kind de regio uit"): why units outside the region do not count for this
    child, or None when they do. The one home of the rule in matching; what is read from capacity and
    how the units are weighed both follow from it.

    With `safety` they count, whatever the units inside offer (and come first, see `score_parts`).
    Without a ground they never count: a child the region has no place for is not sent out.
    On `expertise` they count only when no eligible unit inside covers every need
    (`inside_meets_need`), and then, asked about one `unit`, only when that unit covers them."""
    if wish.ground is Ground.SAFETY:
        return None
    if wish.ground is not Ground.EXPERTISE:
        return Exclusion.OUTSIDE_REGION_WITHOUT_GROUND
    if inside_meets_need:
        return Exclusion.EXPERTISE_AVAILABLE_IN_REGION
    if unit is not None and not covers_all(unit, wish.needs):
        return Exclusion.OUTSIDE_REGION_LACKS_EXPERTISE
    return None


def outside_needed(wish: Wish, inside: Iterable[Unit]) -> bool:
    """After reading the units inside: do units outside count too? (`outside_exclusion`)"""
    return outside_exclusion(wish, inside_meets_need(wish, inside)) is None


def outside_left_out_reason(wish: Wish) -> Exclusion:
    """Why the units outside that could take the child were left unread when `outside_needed` said no."""
    reason = outside_exclusion(wish, inside_meets_need=True)
    assert reason is not None, "units outside count on safety whatever the units inside offer"
    return reason


def score_parts(unit: Unit, wish: Wish) -> dict[str, float]:
    """The score parts of one eligible unit. An eligible unit outside the region is there on a
    ground, so it comes first (`region_ground`)."""
    if wish.needs:
        covered = sum(1 for need in wish.needs if need in unit.specialisms)
        needs = round(NEEDS_WEIGHT * covered / len(wish.needs), 2)
    else:
        needs = NEEDS_WEIGHT
    parts = {
        "region_ground": 0.0 if unit.in_region else REGION_GROUND_WEIGHT,
        "needs": needs,
        "proximity": _proximity(unit, wish.municipality_code),
        "continuity": CONTINUITY_WEIGHT if unit.provider_id in wish.known_provider_ids else 0.0,
        "contract_role": CONTRACT_ROLE_WEIGHT.get(unit.provider_role, 0.0),
        "part_time": PART_TIME_WEIGHT if wish.part_time and unit.part_time else 0.0,
    }
    if wish.school_municipality_code is not None or wish.wishes:
        parts.update(nearness.parts(unit, wish))
    parts.update(freshness.parts(unit))
    return parts


def _score_key(unit: Unit, wish: Wish) -> tuple[object, ...]:
    """What `score_parts` looks at in a unit, for the given wish."""
    covered = sum(1 for need in wish.needs if need in unit.specialisms) if wish.needs else 0
    known = unit.provider_id in wish.known_provider_ids
    # A unit's own point and, for a child who wished a small group, its places (matching.nearness).
    key: tuple[object, ...] = (
        unit.in_region,
        unit.municipality_code,
        covered,
        known,
        unit.provider_role,
        unit.part_time,
        unit.availability_stale,
    )
    if unit.latitude is not None:
        key = (*key, unit.latitude, unit.longitude)
    return (*key, unit.capacity) if wish.weighs_group_size else key


def explain(unit: Unit, wish: Wish) -> list[str]:
    """The words that explain an eligible unit's score parts to a coordinator, in the same order."""
    reasons: list[str] = []
    if not unit.in_region:
        if wish.ground is Ground.SAFETY:
            reasons.append("outside the region, as safety requires")
        else:
            reasons.append("outside the region, for expertise not available inside")
    if wish.needs:
        covered = [need for need in wish.needs if need in unit.specialisms]
        missing = [need for need in wish.needs if need not in unit.specialisms]
        if covered:
            reasons.append("covers " + ", ".join(covered))
        if missing:
            reasons.append("does not cover " + ", ".join(missing))
    reasons.append(_proximity_words(unit, wish.municipality_code))
    if unit.provider_id in wish.known_provider_ids:
        reasons.append("known provider")
    if unit.provider_role in ROLE_WORDS:
        reasons.append(ROLE_WORDS[unit.provider_role])
    if wish.part_time:
        reasons.append("part-time, as wished" if unit.part_time else "full-time only, part-time was wished")
    return reasons + nearness.words(unit, wish) + freshness.words(unit)


def _proximity(unit: Unit, home: str) -> float:
    if not unit.in_region:
        return 0.0
    if unit.municipality_code == home:
        return SAME_MUNICIPALITY_WEIGHT
    km = distance_km(home, unit.municipality_code) if unit.latitude is None else nearness.km_from(home, unit)
    if km is None:
        return IN_REGION_UNKNOWN_DISTANCE_WEIGHT
    return round(NEIGHBOUR_WEIGHT * max(0.0, 1.0 - km / NEIGHBOUR_HORIZON_KM), 2)


def _proximity_words(unit: Unit, home: str) -> str:
    where = municipality_name(unit.municipality_code)
    if not unit.in_region:
        return f"outside the region ({where})"
    if unit.municipality_code == home:
        return f"in home municipality {municipality_name(home)}"
    km = nearness.km_from(home, unit)
    if km is None:
        return f"in the region, in {where}"
    return f"in {where}, {km:.0f} km from home ({municipality_name(home)})"


def rank_units(
    wish: Wish,
    units: Sequence[Unit],
    rejected: Sequence[Rejected],
    outside_counted: dict[str, int] | None = None,
    unfit_counted: dict[str, int] | None = None,
) -> Ranking:
    """Weigh every unit read: exclude by the hard rules, then rank the rest by suitability.

    `outside_counted` are the units outside the region counted per reason instead of listed, and
    `unfit_counted` the units whose own ages or target groups do not admit the child."""
    weighed: list[Weighed] = []
    pool: list[Unit] = []
    for unit in units:
        reason = _wish_exclusion(unit, wish)
        if reason is None:
            pool.append(unit)
        else:
            weighed.append(Weighed(unit.id, unit.provider_id, unit.in_region, eligible=False, excluded_reason=reason))

    # Decided over the whole pool, also on the offer path: an offer from outside the region is only
    # acceptable on expertise when no unit inside could meet the need.
    inside_covers = inside_meets_need(wish, pool)
    eligible: list[Unit] = []
    for unit in pool:
        outside_reason = None if unit.in_region else outside_exclusion(wish, inside_covers, unit)
        if outside_reason is not None:
            weighed.append(
                Weighed(unit.id, unit.provider_id, unit.in_region, eligible=False, excluded_reason=outside_reason)
            )
        else:
            eligible.append(unit)

    scored: list[Weighed] = []
    # Units alike in everything the score looks at share one score: a large region has hundreds of
    # units and only tens of different scores.
    scores: dict[tuple[object, ...], tuple[dict[str, float], float]] = {}
    for unit in eligible:
        key = _score_key(unit, wish)
        known = scores.get(key)
        if known is None:
            parts = score_parts(unit, wish)
            known = scores[key] = (parts, round(sum(parts.values()), 2))
        parts, score = known
        scored.append(
            Weighed(
                unit.id, unit.provider_id, unit.in_region, eligible=True, score=score, parts=parts, unit=unit, wish=wish
            )
        )
    # The unit id only makes the order reproducible between equal scores; it carries no preference.
    scored.sort(key=lambda w: (-(w.score or 0.0), w.unit_id))
    for position, candidate in enumerate(scored, start=1):
        candidate.rank = position
    candidates = scored + weighed

    counted = {reason: count for reason, count in (outside_counted or {}).items() if count > 0}
    if wish.offered_unit_id is None:
        return Ranking(
            candidates, rejected=list(rejected), outside_counted=counted, unfit_counted=dict(unfit_counted or {})
        )
    offered = [c for c in candidates if c.unit_id == wish.offered_unit_id]
    for candidate in offered:
        if candidate.rank is not None:
            candidate.rank = 1
    refused = [r for r in rejected if r[0] == wish.offered_unit_id]
    return Ranking(offered, offered_unit_known=bool(offered or refused), rejected=refused)


def unmatched_reasons(ranking: Ranking, wish: Wish) -> list[str]:
    """Why nothing fit, in words, counted per reason so that a coordinator sees where the region falls short."""
    if wish.offered_unit_id is not None and not ranking.offered_unit_known:
        return [f"the offered unit is not a {wish.care_type} unit known to capacity"]
    if not (ranking.candidates or ranking.rejected or ranking.outside_counted or ranking.unfit_counted):
        return [f"no unit offers {wish.care_type}"]
    counts = Counter(c.excluded_reason for c in ranking.candidates if c.excluded_reason is not None)
    counts.update(r[3] for r in ranking.rejected)
    counts.update(ranking.outside_counted)
    counts.update(ranking.unfit_counted)
    reasons = []
    for reason, count in sorted(counts.items(), key=lambda item: (-item[1], str(item[0]))):
        words = EXCLUSION_WORDS.get(str(reason), str(reason).replace("_", " "))
        subject = "the offered unit" if wish.offered_unit_id else ("1 unit" if count == 1 else f"{count} units")
        reasons.append(f"{subject}: {words}")
    if wish.ground is None and counts[Exclusion.OUTSIDE_REGION_WITHOUT_GROUND]:
        reasons.append("not sent out of the region without a ground: joint duty to place of the partners")
    return reasons


def check_hold_until(hold_until: datetime, now: datetime, max_ahead: timedelta) -> None:
    """The place is held until then: a moment past, or years ahead, is no hold to ask capacity for."""
    if hold_until <= now:
        raise InvalidInput("hold_until", "must lie in the future")
    if hold_until > now + max_ahead:
        raise InvalidInput("hold_until", f"may lie at most {max_ahead.days} days ahead")
