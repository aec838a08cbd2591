"""Settings of the intake service."""

from pydantic import Field, field_validator

from common.settings import DEVELOPMENT_CLIENT_KEY_SECRET, CommonSettings, is_development_secret

# Signs the sign-in cookies and the forms' CSRF tokens where REGIEPUNT_SESSION_SECRET is unset: public,
# so good for development only.
DEVELOPMENT_SESSION_SECRET = "regiepunt-development-session-secret"  # noqa: S105


class IntakeSettings(CommonSettings):
    intake_database_url: str | None = Field(default=None)
    # Key of the pseudonymous client_key other services see instead of the BSN.
    client_key_secret: str = DEVELOPMENT_CLIENT_KEY_SECRET
    # How long a proposed place is held for the provider to answer; shorter for crisis.
    proposal_hold_hours_crisis: int = 4
    proposal_hold_hours: int = 72
    # The crisis cap: a crisis stay ends this many days after it began, unless a coordinator extends it.
    crisis_cap_days: int = 28
    # Signal thresholds: the crisis-cap warning (signals and the dashboard's urgent crisis stays),
    # repeated placements, and earlier crisis days.
    crisis_warning_days: int = 7
    repeated_placements_min_stays: int = 2
    repeated_placements_window_days: int = 365
    crisis_history_days: int = 365
    # A placement whose court authorisation (closed youth care) lapses within this many days is signalled.
    authorisation_warning_days: int = 14
    # Indicators: a residential stay starting this soon after foster care counts as its follow-on;
    # young adults (this age and older at the start) who leave within this many days.
    follow_on_days: int = 90
    young_adult_age: int = 18
    young_adult_leave_days: int = 183
    # One-on-one supervision ("1-op-1 begeleiding") above this many hours in a week counts in the
    # region's indicator of children with one-on-one supervision to limit.
    one_on_one_hours: float = Field(default=8.0, ge=0, le=168)
    # How often the workers ask capacity which units turned stale, to remind their providers.
    availability_stale_poll_seconds: float = Field(default=60.0, gt=0)
    worker_interval_seconds: float = 2.0
    # How long one replica may hold an outbox row before another may take it over.
    outbox_lease_seconds: int = 60
    # Pause before a failed match request is tried again.
    outbox_retry_seconds: int = 5
    # How long an Idempotency-Key answers with its first answer; the answers hold BSNs, so they are
    # deleted after it (fractions allowed).
    idempotency_key_hours: float = 24
    # How long an accept may take before the workers complete it themselves: capacity may have
    # confirmed the place while its answer, or intake's own record of it, was lost.
    accept_completion_seconds: int = 30
    # Browser sign-in (GET /login): with an issuer, the authorization code flow with PKCE at the
    # region's identity provider, as the client below; without one (development), a pasted token.
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
    # What the sign-in asks for; an identity provider that issues the access token for the point only
    # on request (Entra ID: api://<app>/.default) gets that scope added here.
    oidc_scope: str = "openid profile"
    # Key of the browser sessions of the pages: signs the sign-in state and the forms' CSRF tokens.
    session_secret: str = DEVELOPMENT_SESSION_SECRET
    # A browser session ends with the identity provider's session, and never lasts longer than this.
    session_max_hours: float = 12
    # How long a started sign-in may take at the identity provider before it must start again.
    sign_in_timeout_seconds: int = 600
    # The most siblings one referral group may hold.
    referral_group_max_size: int = 6
    # Notifications (intake.notifications): the notice given this long before an unanswered proposal
    # lapses; the pauses between delivery attempts of one event, the last repeated, for at most
    # webhook_retry_total_hours after the event; how long one attempt may take.
    proposal_expiring_notice_minutes: float = 60
    webhook_retry_seconds: str = "5,30,300,1800,7200"
    webhook_retry_total_hours: float = 24
    webhook_timeout_seconds: float = 10
    # E-mail notifications: smtp://host:port (smtps:// for TLS from the start; user:password@ to log
    # in), the sender, and the public address of the pages the mails link to (intake_url when unset).
    smtp_url: str | None = None
    smtp_from: str = "Regiepunt <noreply@regiepunt.example>"
    pages_base_url: str | None = None

    @field_validator("webhook_retry_seconds")
    @classmethod
    def _retry_pauses(cls, value: str) -> str:
        try:
            pauses = [float(part) for part in value.split(",")]
        except ValueError:
            raise ValueError("must be seconds separated by commas, e.g. 5,30,300") from None
        if not pauses or any(pause <= 0 for pause in pauses):
            raise ValueError("must be positive seconds separated by commas")
        return value

    @property
    def webhook_retry_pauses(self) -> tuple[float, ...]:
        return tuple(float(part) for part in self.webhook_retry_seconds.split(","))

    def production_problems(self) -> list[str]:
        problems = super().production_problems()
        if not self.production:
            return problems
        if is_development_secret(self.client_key_secret):
            problems.append("REGIEPUNT_CLIENT_KEY_SECRET is unset or a development value")
        if not self.session_secret or is_development_secret(self.session_secret):
            problems.append("REGIEPUNT_SESSION_SECRET is unset or a development value")
        if not self.oidc_client_id or not self.oidc_client_secret:
            problems.append("REGIEPUNT_OIDC_CLIENT_ID and REGIEPUNT_OIDC_CLIENT_SECRET (the pages' sign-in) are unset")
        return problems

    @property
    def database_url(self) -> str:
        return self.intake_database_url or self.sqlite_url("intake")
