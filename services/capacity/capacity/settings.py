"""Settings of the capacity service."""

from datetime import datetime, timedelta

from pydantic import Field

from common.settings import CommonSettings


class CapacitySettings(CommonSettings):
    capacity_database_url: str | None = Field(default=None)
    # How often each replica looks for holds that have expired; a few seconds keeps places from
    # staying blocked for long after a proposal lapses.
    sweep_interval_seconds: float = Field(default=5.0, gt=0)
    # The furthest ahead a place may be held (intake holds 72 hours, 4 for crisis).
    max_hold_days: int = Field(default=7, ge=1)
    # A unit whose free places were last set or confirmed longer ago than this is stale: still
    # proposed, but said so, and its provider is reminded. Fractions allowed (0.01 in a test).
    availability_stale_hours: float = Field(default=24.0, gt=0)

    def stale_before(self, now: datetime) -> datetime:
        """The moment before which a unit's last confirmation is stale."""
        return now - timedelta(hours=self.availability_stale_hours)

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        return problems + self.callers_missing("intake", "matching") if self.production else problems

    @property
    def database_url(self) -> str:
        return self.capacity_database_url or self.sqlite_url("capacity")
