"""Settings of the intake service."""

from pydantic import Field

from common.settings import DEVELOPMENT_CLIENT_KEY_SECRET, CommonSettings


class IntakeSettings(CommonSettings):
    intake_database_url: str | None = Field(default=None)
    # Key of the pseudonymous client_key other services see instead of the BSN.
    client_key_secret: str = DEVELOPMENT_CLIENT_KEY_SECRET
    # How long a proposed place is held for the provider to answer; shorter for crisis.
    proposal_hold_hours_crisis: int = 4
    proposal_hold_hours: int = 72
    crisis_cap_days: int = 28
    worker_interval_seconds: float = 2.0
    # How long one replica may hold an outbox row before another may take it over.
    outbox_lease_seconds: int = 60
    # Pause before a failed match request is tried again.
    outbox_retry_seconds: int = 5

    @property
    def database_url(self) -> str:
        return self.intake_database_url or self.sqlite_url("intake")
