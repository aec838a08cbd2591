"""The rules of the group a child joins, and of production agreements: pure, no I/O (docs/domain.md).

A unit's group profile (capacity: the children staying there now, their ages and the count of each
risk flag and vulnerability) is weighed against the child:

- an exclusion rule leaves the unit out with the reason `group_conflict` when the child carries one of
  the rule's `child` codes and a child in the group one of its `group` codes (a child vulnerable to
  sexual exploitation is not placed with a child with sexually transgressive behaviour);
- a penalty rule of the same shape, and the age-gap rule (the child is more than `years` younger or
  older than every child in the group), lower the unit's score, each with its own part;
- an operational provider whose production agreement for the care type is used up this year is left
  out with `production_cap_reached`, or, configured so, ranked lower instead. Strategic and tactical
  partners have no cap.

Which rules there are is configuration (matching.rules_config); every rule that applied is named by
its id in the decision, with its words.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

GROUP_CONFLICT = "group_conflict"
GROUP_AGE_GAP = "group_age_gap"
GROUP_PENALTY = "group_penalty"
PRODUCTION_CAP_REACHED = "production_cap_reached"
PRODUCTION_CAP_RULE = "production_cap"

CapMode = Literal["exclude", "penalty"]


@dataclass(frozen=True)
class FlagRule:
    """A child with one of `child` and a group with a child with one of `group`: an exclusion, or a
    penalty of `penalty` points."""

    id: str
    child: frozenset[str]
    group: frozenset[str]
    nl: str
    en: str
    penalty: float = 0.0

    def applies(self, child_codes: frozenset[str], group_flags: Mapping[str, int]) -> bool:
        return bool(self.child & child_codes) and any(group_flags.get(code, 0) > 0 for code in self.group)


@dataclass(frozen=True)
class AgeGapRule:
    id: str
    years: int
    penalty: float
    nl: str
    en: str

    def applies(self, age: int, group_ages: list[int]) -> bool:
        """More than `years` younger or older than every child in the group whose age is known."""
        return bool(group_ages) and min(abs(age - other) for other in group_ages) > self.years


@dataclass(frozen=True)
class ProductionCap:
    """What an operational provider with a used-up agreement gets: left out, or `penalty` points less."""

    mode: CapMode = "exclude"
    penalty: float = 30.0
    id: str = PRODUCTION_CAP_RULE
    # Its words in a decision: the vocabulary's label of the reason (rules_config fills them in).
    nl: str = PRODUCTION_CAP_REACHED
    en: str = PRODUCTION_CAP_REACHED


@dataclass(frozen=True)
class PlacementRules:
    exclusions: tuple[FlagRule, ...] = ()
    penalties: tuple[FlagRule, ...] = ()
    age_gap: AgeGapRule | None = None
    production_cap: ProductionCap = field(default_factory=ProductionCap)


@dataclass(frozen=True)
class Child:
    """The child as the group rules see it: its age and its risk flags and vulnerabilities together."""

    age: int
    codes: frozenset[str]


@dataclass
class Verdict:
    """What the rules say of one unit: the exclusion reason and the rule behind it, or the penalties
    (score parts, negative) with the rules behind them."""

    excluded_reason: str | None = None
    parts: dict[str, float] = field(default_factory=dict)
    rules: list[str] = field(default_factory=list)


def production_cap_reached(role: str, use: Mapping[str, int] | None) -> bool:
    """Only an operational provider is capped, and only by an agreement it has for the care type."""
    return role == "operational" and use is not None and use["used_days"] >= use["agreed_days"]


def judge(
    rules: PlacementRules,
    child: Child,
    profile: Mapping[str, Any] | None,
    role: str,
    use: Mapping[str, int] | None,
) -> Verdict | None:
    """The verdict on one unit, or None when no rule applies (nearly always)."""
    verdict = Verdict()
    if profile is not None and profile.get("count"):
        flags: Mapping[str, int] = profile.get("flags") or {}
        conflict = next((rule for rule in rules.exclusions if rule.applies(child.codes, flags)), None)
        if conflict is not None:
            return Verdict(GROUP_CONFLICT, rules=[conflict.id])
        for rule in rules.penalties:
            if rule.applies(child.codes, flags):
                verdict.parts[GROUP_PENALTY] = verdict.parts.get(GROUP_PENALTY, 0.0) - rule.penalty
                verdict.rules.append(rule.id)
        gap = rules.age_gap
        if gap is not None and gap.applies(child.age, list(profile.get("ages") or [])):
            verdict.parts[GROUP_AGE_GAP] = -gap.penalty
            verdict.rules.append(gap.id)
    if production_cap_reached(role, use):
        cap = rules.production_cap
        if cap.mode == "exclude":
            return Verdict(PRODUCTION_CAP_REACHED, rules=[cap.id])
        verdict.parts[PRODUCTION_CAP_REACHED] = -cap.penalty
        verdict.rules.append(cap.id)
    return verdict if verdict.rules else None


def rule_words(rules: PlacementRules) -> dict[str, dict[str, str]]:
    """Every rule by id: the reason it gives and its words, as a decision stores them."""
    words: dict[str, dict[str, str]] = {}
    for rule in rules.exclusions:
        words[rule.id] = {"reason": GROUP_CONFLICT, "nl": rule.nl, "en": rule.en}
    for rule in rules.penalties:
        words[rule.id] = {"reason": GROUP_PENALTY, "nl": rule.nl, "en": rule.en}
    if rules.age_gap is not None:
        gap = rules.age_gap
        words[gap.id] = {"reason": GROUP_AGE_GAP, "nl": gap.nl, "en": gap.en}
    cap = rules.production_cap
    words[cap.id] = {"reason": PRODUCTION_CAP_REACHED, "nl": cap.nl, "en": cap.en}
    return words
