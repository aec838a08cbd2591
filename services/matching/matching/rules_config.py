"""The group rules as configuration: read from a TOML file (REGIEPUNT_GROUP_RULES_FILE, else the
defaults shipped beside this module, group_rules.toml) and checked once, at start."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from contracts.group import RISK_FLAGS, VULNERABILITIES, unknown_codes
from matching.group_rules import AgeGapRule, CapMode, FlagRule, PlacementRules, ProductionCap

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
    child: Annotated[list[str], Field(min_length=1)]
    group: Annotated[list[str], Field(min_length=1)]

    @field_validator("child", "group")
    @classmethod
    def _known_codes(cls, codes: list[str]) -> list[str]:
        unknown = unknown_codes(codes, (*RISK_FLAGS, *VULNERABILITIES))
        if unknown:
            raise ValueError(f"unknown risk flag or vulnerability: {', '.join(unknown)}")
        return codes


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
    path: Path | None = None, *, cap_mode: CapMode = "exclude", cap_penalty: float = 30.0
) -> PlacementRules:
    """The rules of the file at `path` (the shipped defaults when None), with the production cap as
    the settings say. A file that is not valid stops the service with the rule and field named."""
    source = path or DEFAULT_RULES_FILE
    with source.open("rb") as handle:
        parsed = _RulesFile.model_validate(tomllib.load(handle))
    ids = [rule.id for rule in (*parsed.exclusions, *parsed.penalties)] + (
        [parsed.age_gap.id] if parsed.age_gap else []
    )
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise ValueError(f"{source}: rule ids must be unique, repeated: {', '.join(duplicates)}")

    def flag_rule(rule: _FlagRule, penalty: float = 0.0) -> FlagRule:
        return FlagRule(rule.id, frozenset(rule.child), frozenset(rule.group), rule.nl, rule.en, penalty)

    gap = parsed.age_gap
    return PlacementRules(
        exclusions=tuple(flag_rule(rule) for rule in parsed.exclusions),
        penalties=tuple(flag_rule(rule, rule.penalty) for rule in parsed.penalties),
        age_gap=AgeGapRule(gap.id, gap.years, gap.penalty, gap.nl, gap.en) if gap else None,
        production_cap=ProductionCap(mode=cap_mode, penalty=cap_penalty),
    )
