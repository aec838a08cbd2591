"""Settings of the intake service."""

from pydantic import Field

from common.settings import CommonSettings


class IntakeSettings(CommonSettings):
    intake_database_url: str | None = Field(default=None)

    @property
    def database_url(self) -> str:
        return self.intake_database_url or self.sqlite_url("intake")
