"""The group rules as configuration: read from a TOML file (REGIEPUNT_GROUP_RULES_FILE, else the
defaults shipped beside this module, group_rules.toml) and checked once, at start, against the
configured vocabulary (its `risk_flags` and `vulnerabilities`)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contracts.group import FlagCode
from contracts.vocabulary import Section, Vocabulary, load_vocabulary
from matching.group_rules import PRODUCTION_CAP_REACHED, AgeGapRule, CapMode, FlagRule, PlacementRules, ProductionCap

DEFAULT_RULES_FILE = Path(__file__).resolve().parent / "group_rules.toml"

RuleId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{1,79}$")]
Words = Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=300)]
Penalty = Annotated[float, Field(gt=0, le=1000)]


class _Rule(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: RuleId
    nl: Words
    en: Words


class _FlagRule(_Rule):
    child: Annotated[list[FlagCode], Field(min_length=1)]
    group: Annotated[list[FlagCode], Field(min_length=1)]


class _Exclusion(_FlagRule):
    pass


class _Penalty(_FlagRule):
    penalty: Penalty


class _AgeGap(_Rule):
    years: Annotated[int, Field(ge=1, le=23)]
    penalty: Penalty


class _RulesFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    exclusions: list[_Exclusion] = []
    penalties: list[_Penalty] = []
    age_gap: _AgeGap | None = None


def load_placement_rules(
    path: Path | None = None,
    *,
    vocabulary: Vocabulary | None = None,
    cap_mode: CapMode = "exclude",
    cap_penalty: float = 30.0,
) -> PlacementRules:
    """The rules of the file at `path` (the shipped defaults when None), with the production cap as
    the settings say. A file that is not valid, or names a code the vocabulary (the shipped one when
    None) does not have, stops the service with the rule and field named."""
    vocabulary = vocabulary or load_vocabulary()
    source = path or DEFAULT_RULES_FILE
    with source.open("rb") as handle:
        parsed = _RulesFile.model_validate(tomllib.load(handle))
    ids = [rule.id for rule in (*parsed.exclusions, *parsed.penalties)] + (
        [parsed.age_gap.id] if parsed.age_gap else []
    )
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise ValueError(f"{source}: rule ids must be unique, repeated: {', '.join(duplicates)}")
    _check_codes(source, parsed, vocabulary)

    def flag_rule(rule: _FlagRule, penalty: float = 0.0) -> FlagRule:
        return FlagRule(rule.id, frozenset(rule.child), frozenset(rule.group), rule.nl, rule.en, penalty)

    gap = parsed.age_gap
    return PlacementRules(
        exclusions=tuple(flag_rule(rule) for rule in parsed.exclusions),
        penalties=tuple(flag_rule(rule, rule.penalty) for rule in parsed.penalties),
        age_gap=AgeGapRule(gap.id, gap.years, gap.penalty, gap.nl, gap.en) if gap else None,
        production_cap=ProductionCap(mode=cap_mode, penalty=cap_penalty, **_cap_words(vocabulary, cap_mode)),
    )


def _check_codes(source: Path, parsed: _RulesFile, vocabulary: Vocabulary) -> None:
    """Every code of a rule is a risk flag or a vulnerability of the vocabulary. A unit's group profile
    counts both in one map, so the two sections may not share a code."""
    shared = sorted(vocabulary.codes("risk_flags") & vocabulary.codes("vulnerabilities"))
    if shared:
        raise ValueError(f"vocabulary: risk_flags and vulnerabilities share the codes {', '.join(shared)}")
    known = vocabulary.codes("risk_flags") | vocabulary.codes("vulnerabilities")
    for kind, rules in (("exclusions", parsed.exclusions), ("penalties", parsed.penalties)):
        for index, rule in enumerate(rules):
            for side in ("child", "group"):
                unknown = [code for code in getattr(rule, side) if code not in known]
                if unknown:
                    raise ValueError(
                        f"{source}: {kind}[{index}].{side} (rule {rule.id}): not a risk flag or vulnerability"
                        f" of the vocabulary: {', '.join(unknown)}"
                    )


def _cap_words(vocabulary: Vocabulary, mode: CapMode) -> dict[str, str]:
    """The words a decision keeps for the production cap: the vocabulary's label of the reason, or of
    the score part when the cap ranks lower instead of leaving out."""
    section: Section = "exclusion_reasons" if mode == "exclude" else "score_parts"
    return vocabulary.labels(section, PRODUCTION_CAP_REACHED)
