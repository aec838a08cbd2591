"""Settings of the capacity service."""

from pydantic import Field

from common.settings import CommonSettings


class CapacitySettings(CommonSettings):
    capacity_database_url: str | None = Field(default=None)

    @property
    def database_url(self) -> str:
        return self.capacity_database_url or self.sqlite_url("capacity")
