"""Settings of the matching service."""

from pydantic import Field

from common.settings import CommonSettings


class MatchingSettings(CommonSettings):
    matching_database_url: str | None = Field(default=None)

    @property
    def database_url(self) -> str:
        return self.matching_database_url or self.sqlite_url("matching")
