"""Siblings kept together (docs/domain.md, "Siblings together"): the joint options of a group, pure.

Each child is weighed on its own first, under every rule of `domain` (its care type, age, needs,
region first, the units it was declined by). A joint option then places every child at once: in one
unit with free places for all of them, or in units of one provider in one municipality. Within a
provider and municipality the children are spread over its units so that the sum of their own scores
is highest while no unit gets more children than it has free places; keeping them in one unit weighs
extra. The options are ranked by the children's mean score plus that extra, so that the group goes
where the children fit best, not where a bed came free first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from matching.domain import Exclusion, Ranking, Weighed, municipality_name

# Living in one unit together weighs as much as a unit in the child's own municipality: the rule is
# siblings together, and one group is more together than two groups of one provider.
ONE_UNIT_WEIGHT = 25.0
# A provider with many small units can be spread in many ways; the search stops looking for a better
# spread after this many steps and keeps the best found (small groups never come near it).
SEARCH_STEPS = 20_000


@dataclass(frozen=True)
class Child:
    """One child of the group as weighed on its own."""

    referral_id: str
    ranking: Ranking


@dataclass(slots=True)
class JointOption:
    """Every child placed at once with one provider in one municipality (`one_unit`: all in one unit)."""

    provider_id: str
    municipality_code: str
    in_region: bool
    placed: dict[str, Weighed]
    score: float
    parts: dict[str, float]
    rank: int = 0
    chosen: bool = False
    excluded_reason: str | None = None

    @property
    def one_unit(self) -> bool:
        return len({weighed.unit_id for weighed in self.placed.values()}) == 1

    @property
    def units(self) -> dict[str, str]:
        return {referral_id: weighed.unit_id for referral_id, weighed in self.placed.items()}

    def lose_places(self) -> None:
        """Another child took a place this option needed before the group's places could be held."""
        self.excluded_reason = Exclusion.PLACE_TAKEN

    def reasons_for(self, referral_id: str) -> list[str]:
        """Why this child goes where the option puts it: its own fit, then the siblings."""
        own = self.placed[referral_id].reasons
        siblings = len(self.placed) - 1
        where = municipality_name(self.municipality_code)
        if self.one_unit:
            together = f"together with {siblings} sibling{'s' if siblings > 1 else ''} in one unit"
        else:
            together = f"with {siblings} sibling{'s' if siblings > 1 else ''} in units of one provider in {where}"
        return [*own, together]


def _free_places(children: Sequence[Child]) -> dict[str, int]:
    """The free places of each unit for the group: each child sees the place its own request holds
    already as free, so a unit has the places no child holds plus those the children hold there."""
    seen: dict[str, list[int]] = {}
    for child in children:
        for weighed in child.ranking.ranked:
            if weighed.unit is not None:
                seen.setdefault(weighed.unit_id, []).append(weighed.unit.available)
    free: dict[str, int] = {}
    for unit_id, views in seen.items():
        # A child whose view exceeds the others' holds a place there; a child that cannot take the
        # unit at all gives no view.
        base = min(views)
        free[unit_id] = base + sum(1 for view in views if view > base)
    return free


def _best_spread(
    pools: list[tuple[str, list[Weighed]]], free: dict[str, int]
) -> tuple[dict[str, Weighed], float] | None:
    """The spread of the children over the units of one provider and municipality with the highest
    total (their own scores, plus ONE_UNIT_WEIGHT per child when all share one unit), within the
    free places of each unit; None when the units have no room for every child."""
    best: tuple[dict[str, Weighed], float] | None = None
    left = dict(free)
    chosen: dict[str, Weighed] = {}
    steps = 0

    def search(position: int, total: float) -> None:
        nonlocal best, steps
        steps += 1
        if steps > SEARCH_STEPS:
            return
        if position == len(pools):
            if len({w.unit_id for w in chosen.values()}) == 1:
                total += ONE_UNIT_WEIGHT * len(chosen)
            if best is None or total > best[1]:
                best = (dict(chosen), total)
            return
        referral_id, options = pools[position]
        for weighed in options:
            if left.get(weighed.unit_id, 0) <= 0:
                continue
            left[weighed.unit_id] -= 1
            chosen[referral_id] = weighed
            search(position + 1, total + (weighed.score or 0.0))
            del chosen[referral_id]
            left[weighed.unit_id] += 1

    search(0, 0.0)
    return best


def joint_options(children: Sequence[Child]) -> list[JointOption]:
    """Every provider and municipality with room for all the children, each with its best spread,
    ranked best first; empty when the group cannot be placed together."""
    free = _free_places(children)
    by_place: dict[tuple[str, str], dict[str, list[Weighed]]] = {}
    for child in children:
        for weighed in child.ranking.ranked:
            if weighed.unit is None:
                continue
            key = (weighed.provider_id, weighed.unit.municipality_code)
            by_place.setdefault(key, {}).setdefault(child.referral_id, []).append(weighed)
    options: list[JointOption] = []
    for (provider_id, municipality_code), pools in by_place.items():
        if len(pools) < len(children):
            continue
        # The child with the fewest units to go to first: the search meets a dead end soonest.
        ordered = sorted(
            ((child.referral_id, pools[child.referral_id]) for child in children), key=lambda pool: len(pool[1])
        )
        spread = _best_spread(ordered, free)
        if spread is None:
            continue
        placed, total = spread
        mean = round(sum((w.score or 0.0) for w in placed.values()) / len(placed), 2)
        bonus = round(total / len(placed) - mean, 2)
        parts = {"children": mean, "one_unit": bonus if bonus > 0 else 0.0}
        options.append(
            JointOption(
                provider_id=provider_id,
                municipality_code=municipality_code,
                in_region=all(w.in_region for w in placed.values()),
                placed={child.referral_id: placed[child.referral_id] for child in children},
                score=round(mean + parts["one_unit"], 2),
                parts=parts,
            )
        )
    options.sort(key=lambda option: (-option.score, option.provider_id, option.municipality_code))
    for position, option in enumerate(options, start=1):
        option.rank = position
    return options


@dataclass
class GroupOutcome:
    """What the group decision says: the option held (None: the children wait together), and the
    reasons in words, for the group and for each child."""

    chosen: JointOption | None
    reasons: list[str]
    child_reasons: dict[str, list[str]] = field(default_factory=dict)


def unmatched_group_reasons(children: Sequence[Child], options: Sequence[JointOption]) -> list[str]:
    """Why the group waits, in words: which children have no place at all, and that there is no joint
    place for all of them."""
    alone = [child for child in children if not child.ranking.ranked]
    reasons = [
        f"siblings kept together: no unit, nor units of one provider in one municipality, "
        f"has free places for all {len(children)} children"
    ]
    if alone:
        reasons.append(f"{len(alone)} of the {len(children)} children would find no place even alone")
    taken = sum(1 for option in options if option.excluded_reason is not None)
    if taken:
        reasons.append(f"{taken} joint option{'s were' if taken > 1 else ' was'} taken by other children meanwhile")
    reasons.append("the children wait together: joint duty to place of the partners")
    return reasons
