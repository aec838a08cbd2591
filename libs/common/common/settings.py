"""Settings every service shares, read from the REGIEPUNT_* environment variables of docs/api.md."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator
from pydantic.fields import FieldInfo
from pydantic_settings import BaseSettings, NoDecode, PydanticBaseSettingsSource, SettingsConfigDict

log = logging.getLogger(__name__)

ENV_PREFIX = "REGIEPUNT_"
# The development secret is public on purpose: it only works where REGIEPUNT_JWT_SECRET is unset,
# and every service says so loudly at start. Production accepts no HS256 token at all.
DEVELOPMENT_JWT_SECRET = "regiepunt-development-secret-do-not-use-in-production"  # noqa: S105
DEVELOPMENT_CLIENT_KEY_SECRET = "regiepunt-development-client-key-secret"  # noqa: S105
# Every development value of a secret starts with this, so that production can recognise one it
# was given by mistake (copied from a development environment file) without listing them all.
DEVELOPMENT_SECRET_PREFIX = "regiepunt-development"  # noqa: S105

HAAGLANDEN = (
    "GM0503",  # Delft
    "GM0518",  # Den Haag
    "GM1916",  # Leidschendam-Voorburg
    "GM1842",  # Midden-Delfland
    "GM1926",  # Pijnacker-Nootdorp
    "GM0603",  # Rijswijk
    "GM0629",  # Wassenaar
    "GM1783",  # Westland
    "GM0637",  # Zoetermeer
)


class SecretFileError(ValueError):
    """A REGIEPUNT_*_SECRET_FILE that cannot be used: unreadable, or given beside the secret itself."""


def is_development_secret(value: str | None) -> bool:
    return value is not None and value.startswith(DEVELOPMENT_SECRET_PREFIX)


class SecretFilesSource(PydanticBaseSettingsSource):
    """Any `REGIEPUNT_<NAME>_SECRET` may be given as a file named in `REGIEPUNT_<NAME>_SECRET_FILE`,
    the way Kubernetes and Docker mount secrets; every `*_secret` field of a settings class has it."""

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        return None, field_name, False  # __call__ reads every field at once

    def __call__(self) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name in self.settings_cls.model_fields:
            if not name.endswith("_secret"):
                continue
            variable = f"{ENV_PREFIX}{name.upper()}"
            path = os.environ.get(f"{variable}_FILE")
            if not path:
                continue
            if os.environ.get(variable):
                raise SecretFileError(f"{variable} and {variable}_FILE are both set: give one of them.")
            try:
                values[name] = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
            except OSError as exc:
                reason = exc.strerror or exc.__class__.__name__
                raise SecretFileError(f"{variable}_FILE names {path}, which cannot be read: {reason}.") from exc
            except UnicodeDecodeError as exc:
                raise SecretFileError(f"{variable}_FILE names {path}, which is not UTF-8 text.") from exc
            if not values[name]:
                raise SecretFileError(f"{variable}_FILE names {path}, which is empty.")
        return values


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, extra="ignore")

    # `development` runs on a bare machine with public development secrets and HS256 tokens;
    # `production` refuses to start without an identity provider and real secrets (production_problems).
    env: Literal["development", "production"] = "development"
    data_dir: Path = Path("./data")
    jwt_secret: str | None = None
    intake_url: str = "http://127.0.0.1:8001"
    capacity_url: str = "http://127.0.0.1:8002"
    matching_url: str = "http://127.0.0.1:8003"
    region_municipalities: Annotated[tuple[str, ...], NoDecode] = HAAGLANDEN
    log_level: str = "INFO"
    log_json: bool = True
    max_body_bytes: int = 1_048_576
    http_timeout_seconds: float = 5.0
    http_retries: int = 3
    run_workers: bool = True
    # The vocabulary of codes (needs, specialisms, flags, reasons) every service checks against; None
    # is the default shipped with libs/contracts (contracts/vocabulary.toml).
    vocabulary_file: Path | None = None
    # Addresses (or networks) of the ingress in front of the service: only from these are
    # X-Forwarded-Proto and X-Forwarded-For believed (comma separated; "*" trusts every address).
    trusted_proxies: str = "127.0.0.1"
    # The OpenID Connect provider whose access tokens people and systems bring (docs/api.md).
    oidc_issuer: str | None = None
    oidc_audience: str = "regiepunt"
    # The claims that carry ours, where an identity provider cannot use our names (Entra ID: `roles`).
    oidc_claim_role: str = "role"
    oidc_claim_org: str = "org"
    oidc_claim_referrer_type: str = "referrer_type"
    oidc_claim_provider_id: str = "provider_id"
    # A token signed with a key the point does not know makes it fetch the provider's keys again,
    # at most once in this many seconds: a flood of made-up key ids costs the provider nothing.
    oidc_jwks_refetch_seconds: float = Field(default=30.0, ge=0)
    # This service's own identity at the provider (client-credentials grant), and what it asks for:
    # a scope (Entra ID: `api://regiepunt/.default`) or a resource indicator (RFC 8707), where needed.
    service_client_id: str | None = None
    service_client_secret: str | None = None
    service_client_scope: str | None = None
    service_client_resource: str | None = None
    # By these client ids a receiving service knows which of the point's services calls.
    intake_client_id: str | None = None
    matching_client_id: str | None = None
    capacity_client_id: str | None = None

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, SecretFilesSource(settings_cls), dotenv_settings, file_secret_settings

    @field_validator("region_municipalities", mode="before")
    @classmethod
    def _split_codes(cls, value: Any) -> Any:
        # Accept "GM0503,GM0518" from the environment as well as a list in code.
        if isinstance(value, str):
            return tuple(code.strip() for code in value.split(",") if code.strip())
        return value

    @field_validator(
        "oidc_issuer",
        "service_client_id",
        *(f"{name}_client_id" for name in ("intake", "matching", "capacity")),
        mode="before",
    )
    @classmethod
    def _empty_is_unset(cls, value: Any) -> Any:
        # `REGIEPUNT_OIDC_ISSUER=` in an environment file means "none", as leaving it out does.
        return value or None

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def effective_jwt_secret(self) -> str:
        return self.jwt_secret or DEVELOPMENT_JWT_SECRET

    @property
    def service_client_ids(self) -> dict[str, str]:
        """Client id → service name, for the services whose client id is configured."""
        named = {name: getattr(self, f"{name}_client_id") for name in ("intake", "matching", "capacity")}
        return {client_id: name for name, client_id in named.items() if client_id}

    def sqlite_url(self, service: str) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir / (service + '.db')}"

    def production_problems(self) -> list[str]:
        """What keeps this service from running in production, each in a few words; empty in
        development. A service adds its own by overriding (and calling this one)."""
        if not self.production:
            return []
        problems = []
        if not self.oidc_issuer:
            problems.append("no identity provider (REGIEPUNT_OIDC_ISSUER)")
        if not self.service_client_id or not self.service_client_secret:
            problems.append("no service credentials (REGIEPUNT_SERVICE_CLIENT_ID and REGIEPUNT_SERVICE_CLIENT_SECRET)")
        if self.jwt_secret:
            problems.append("production does not accept the shared HS256 secret (unset REGIEPUNT_JWT_SECRET)")
        return problems

    def callers_missing(self, *services: str) -> list[str]:
        """A problem for each service that calls this one and whose client id is not configured: its
        calls would be refused."""
        missing = [f"REGIEPUNT_{name.upper()}_CLIENT_ID" for name in services if not getattr(self, f"{name}_client_id")]
        return [f"no client id of the services that call this one ({', '.join(missing)})"] if missing else []

    def warn_if_development_secret(self) -> None:
        if not self.production and not self.jwt_secret:
            log.warning(
                "REGIEPUNT_JWT_SECRET is not set: using the public development secret. "
                "Anyone can mint tokens for this instance. Never run it like this with real data."
            )


class ProductionRefused(RuntimeError):
    """Raised where an app is built in production with settings that are not safe to run with."""

    def __init__(self, service: str, problems: list[str]) -> None:
        super().__init__(refusal_line(service, problems))
        self.problems = problems


def refusal_line(service: str, problems: list[str]) -> str:
    return f"{service}: refusing to start in production: {'; '.join(problems)}."


def refuse_unsafe_production(service: str, settings: CommonSettings) -> None:
    problems = settings.production_problems()
    if problems:
        raise ProductionRefused(service, problems)
