"""The group and production rules applied to a decision's units: the units they leave out before
ranking, and the penalties they put on the ranked ones after. Pure, like the rules (group_rules)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from matching.domain import EXCLUSION_WORDS, Ranking, Unit, Weighed, Wish
from matching.group_rules import (
    GROUP_CONFLICT,
    PRODUCTION_CAP_REACHED,
    Child,
    PlacementRules,
    Verdict,
    judge,
    rule_words,
)


@dataclass
class Checked:
    """The units the rules let through, those they left out, the penalties of the rest by unit id, and
    the words of every rule that applied."""

    kept: list[Unit]
    left: list[Weighed] = field(default_factory=list)
    penalties: dict[str, Verdict] = field(default_factory=dict)
    applied: dict[str, dict[str, str]] = field(default_factory=dict)


def check_units(
    rules: PlacementRules,
    child: Child,
    units: Iterable[Unit],
    profiles: Mapping[str, Mapping[str, Any]],
    production: Mapping[str, Mapping[str, int]],
) -> Checked:
    """Judge every unit; the units with no child staying and no capping agreement pass untouched."""
    checked = Checked(kept=[])
    words: dict[str, dict[str, str]] | None = None
    for unit in units:
        profile = profiles.get(unit.id)
        use = production.get(unit.provider_id)
        verdict = judge(rules, child, profile, unit.provider_role, use) if profile or use else None
        if verdict is None:
            checked.kept.append(unit)
            continue
        words = words or rule_words(rules)
        checked.applied.update((rule_id, words[rule_id]) for rule_id in verdict.rules)
        if verdict.excluded_reason is not None:
            left = Weighed(unit.id, unit.provider_id, unit.in_region, eligible=False)
            left.excluded_reason = verdict.excluded_reason
            left.rules = verdict.rules
            checked.left.append(left)
        else:
            checked.kept.append(unit)
            checked.penalties[unit.id] = verdict
    return checked


def complete(ranking: Ranking, checked: Checked, wish: Wish) -> None:
    """Put the units the rules left out into the ranking, and the penalties onto the ranked units,
    which are then ordered again by their score."""
    if wish.offered_unit_id is None:
        ranking.candidates.extend(checked.left)
    else:
        offered = [w for w in checked.left if w.unit_id == wish.offered_unit_id]
        if offered:
            ranking.candidates[:0] = offered
            ranking.offered_unit_known = True
    if not checked.penalties:
        return
    ranked: list[Weighed] = []
    rest: list[Weighed] = []
    for candidate in ranking.candidates:
        (ranked if candidate.rank is not None else rest).append(candidate)
        verdict = checked.penalties.get(candidate.unit_id)
        if verdict is None or candidate.score is None:
            continue
        # A copy: units alike share one dict of parts (domain.rank_units).
        candidate.parts = {**candidate.parts, **verdict.parts}
        candidate.score = round(candidate.score + sum(verdict.parts.values()), 2)
        candidate.rules = list(verdict.rules)
    if wish.offered_unit_id is None:
        ranked.sort(key=lambda w: (-(w.score or 0.0), w.unit_id))
        for position, candidate in enumerate(ranked, start=1):
            candidate.rank = position
    ranking.candidates = ranked + rest


def rule_reasons(candidate: Weighed, applied: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The words of the rules that lowered a proposed unit's score, for the proposal's reasons."""
    return [f"ranked lower: {applied[rule_id]['en']}" for rule_id in candidate.rules if rule_id in applied]


def left_out_summary(ranking: Ranking) -> list[str]:
    """How many units the group and production rules left out, per reason, in words (for a proposal's
    decision: the proposed unit is the best of those that were left)."""
    counts: dict[str, int] = {}
    for candidate in ranking.candidates:
        if candidate.rules and candidate.excluded_reason in (GROUP_CONFLICT, PRODUCTION_CAP_REACHED):
            counts[candidate.excluded_reason] = counts.get(candidate.excluded_reason, 0) + 1
    return [
        f"{count} unit{'s' if count > 1 else ''} left out: {EXCLUSION_WORDS[reason]}"
        for reason, count in sorted(counts.items())
    ]


def child_of(age: int, risk_flags: Sequence[str], vulnerabilities: Sequence[str]) -> Child:
    return Child(age, frozenset((*risk_flags, *vulnerabilities)))
