"""Settings of the matching service."""

from pydantic import Field

from common.settings import CommonSettings


class MatchingSettings(CommonSettings):
    matching_database_url: str | None = Field(default=None)
    # The furthest ahead a decision may hold a place; capacity refuses holds beyond its own maximum.
    max_hold_days: int = Field(default=7, ge=1)

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        return problems + self.callers_missing("intake") if self.production else problems

    @property
    def database_url(self) -> str:
        return self.matching_database_url or self.sqlite_url("matching")
