"""Settings of the matching service."""

from pathlib import Path
from typing import Literal

from pydantic import Field

from common.settings import CommonSettings
from contracts.matching import MatchingFactors


class MatchingSettings(CommonSettings):
    matching_database_url: str | None = Field(default=None)
    # The furthest ahead a decision may hold a place; capacity refuses holds beyond its own maximum.
    max_hold_days: int = Field(default=7, ge=1)
    # The rules of the group a child joins (a TOML file; None: the defaults shipped with matching,
    # matching/group_rules.toml). See docs/domain.md.
    group_rules_file: Path | None = None
    # An operational provider whose production agreement for the care type is used up this year is
    # left out (`exclude`), or ranked lower by `production_cap_penalty` points (`penalty`).
    production_cap_mode: Literal["exclude", "penalty"] = "exclude"
    production_cap_penalty: float = Field(default=30.0, gt=0, le=1000)
    # Everything matching weighs (`all`), or the ranking without siblings kept together, school and
    # distance, the group rules, the child's wishes and production caps (`baseline`): docs/matching.md.
    matching_factors: MatchingFactors = MatchingFactors.ALL
    # Rank from matching's own read model of the units, followed by capacity's change feed (true), or
    # ask capacity for the candidate list at every decision (false): docs/matching.md.
    matching_read_model: bool = True

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        return problems + self.callers_missing("intake") if self.production else problems

    @property
    def database_url(self) -> str:
        return self.matching_database_url or self.sqlite_url("matching")
