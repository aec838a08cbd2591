"""Settings of the capacity service."""

from pydantic import Field

from common.settings import CommonSettings


class CapacitySettings(CommonSettings):
    capacity_database_url: str | None = Field(default=None)
    # How often each replica looks for holds that have expired; a few seconds keeps places from
    # staying blocked for long after a proposal lapses.
    sweep_interval_seconds: float = Field(default=5.0, gt=0)
    # The furthest ahead a place may be held (intake holds 72 hours, 4 for crisis).
    max_hold_days: int = Field(default=7, ge=1)

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        return problems + self.callers_missing("intake", "matching") if self.production else problems

    @property
    def database_url(self) -> str:
        return self.capacity_database_url or self.sqlite_url("capacity")
