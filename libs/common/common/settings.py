"""Settings every service shares, read from the REGIEPUNT_* environment variables of docs/api.md."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated, Any

from pydantic import field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

log = logging.getLogger(__name__)

# The development secret is public on purpose: it only works where REGIEPUNT_JWT_SECRET is unset,
# and every service says so loudly at start.
DEVELOPMENT_JWT_SECRET = "regiepunt-development-secret-do-not-use-in-production"  # noqa: S105
DEVELOPMENT_CLIENT_KEY_SECRET = "regiepunt-development-client-key-secret"  # noqa: S105

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


class CommonSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGIEPUNT_", extra="ignore")

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

    @field_validator("region_municipalities", mode="before")
    @classmethod
    def _split_codes(cls, value: Any) -> Any:
        # Accept "GM0503,GM0518" from the environment as well as a list in code.
        if isinstance(value, str):
            return tuple(code.strip() for code in value.split(",") if code.strip())
        return value

    @property
    def effective_jwt_secret(self) -> str:
        return self.jwt_secret or DEVELOPMENT_JWT_SECRET

    def sqlite_url(self, service: str) -> str:
        return f"sqlite+aiosqlite:///{self.data_dir / (service + '.db')}"

    def warn_if_development_secret(self) -> None:
        if not self.jwt_secret:
            log.warning(
                "REGIEPUNT_JWT_SECRET is not set: using the public development secret. "
                "Anyone can mint tokens for this instance. Never run it like this with real data."
            )
