"""Where a service gets the token it calls the other services with: in production from the identity
provider (client-credentials grant), in development minted with the shared secret."""

from __future__ import annotations

import asyncio
import base64
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from urllib.parse import quote

import httpx

from common.auth import SERVICE_SUBJECT_PREFIX, SERVICE_TOKEN_MAX_LIFETIME, mint_token
from common.logging import get_logger
from common.oidc import SERVICE_ORG, discover
from common.settings import CommonSettings

log = get_logger("regiepunt.service_tokens")

# A token is renewed this long before it runs out, so that no call leaves with one about to expire;
# a short-lived token is renewed when a fifth of its life is left.
RENEW_BEFORE = timedelta(minutes=1)


class ServiceTokenUnavailable(Exception):
    """The identity provider could not be reached or refused this service's credentials."""


class ServiceTokens(Protocol):
    async def token(self) -> str: ...

    async def aclose(self) -> None: ...


class SharedSecretTokens:
    """Development: HS256 tokens for `service:<name>`, minted here, renewed five minutes early."""

    def __init__(self, secret: str, service_name: str) -> None:
        self._secret = secret
        self._subject = f"{SERVICE_SUBJECT_PREFIX}{service_name}"
        self._token: str | None = None
        self._expires = datetime.min.replace(tzinfo=UTC)

    async def token(self) -> str:
        now = datetime.now(UTC)
        if self._token is None or now >= self._expires - timedelta(minutes=5):
            ttl = SERVICE_TOKEN_MAX_LIFETIME
            self._token = mint_token(self._secret, sub=self._subject, role="service", org=SERVICE_ORG, ttl=ttl, now=now)
            self._expires = now + ttl
        return self._token

    async def aclose(self) -> None:
        return None


class ClientCredentialsTokens:
    """Production: an access token from the provider's token endpoint (OAuth 2.0 client credentials),
    kept until shortly before it expires; one request for a new token at a time."""

    def __init__(
        self,
        issuer: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        resource: str | None = None,
        timeout: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.issuer = issuer
        self._client_id = client_id
        self._client_secret = client_secret
        self._scope = scope
        self._resource = resource
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport)
        self._lock = asyncio.Lock()
        self._token_endpoint: str | None = None
        self._basic_auth = True
        self._token: str | None = None
        self._renew_at = float("-inf")
        self.fetches = 0

    async def token(self) -> str:
        if self._token is not None and time.monotonic() < self._renew_at:
            return self._token
        async with self._lock:
            if self._token is None or time.monotonic() >= self._renew_at:
                await self._fetch()
        assert self._token is not None
        return self._token

    async def _fetch(self) -> None:
        try:
            if self._token_endpoint is None:
                metadata = await discover(self._client, self.issuer)
                self._token_endpoint = str(metadata["token_endpoint"])
                methods = metadata.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
                self._basic_auth = "client_secret_basic" in methods
            response = await self._client.post(self._token_endpoint, data=self._form(), headers=self._headers())
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            raise ServiceTokenUnavailable(f"the identity provider cannot be reached: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            error = _error_code(response)
            log.warning("service_token_refused", status=response.status_code, error=error)
            raise ServiceTokenUnavailable(f"the identity provider refused the client credentials: {error}")
        body = response.json()
        lifetime = float(body.get("expires_in") or 300)
        self._token = str(body["access_token"])
        self._renew_at = time.monotonic() + lifetime - min(RENEW_BEFORE.total_seconds(), lifetime / 5)
        self.fetches += 1

    def _form(self) -> dict[str, str]:
        form = {"grant_type": "client_credentials"}
        if self._scope:
            form["scope"] = self._scope
        if self._resource:
            form["resource"] = self._resource
        if not self._basic_auth:
            form |= {"client_id": self._client_id, "client_secret": self._client_secret}
        return form

    def _headers(self) -> dict[str, str]:
        if not self._basic_auth:
            return {}
        # RFC 6749 2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
        credentials = f"{quote(self._client_id, safe='')}:{quote(self._client_secret, safe='')}"
        return {"Authorization": f"Basic {base64.b64encode(credentials.encode()).decode('ascii')}"}

    async def aclose(self) -> None:
        await self._client.aclose()


def _error_code(response: httpx.Response) -> str:
    """The OAuth error code of a refusal (`invalid_client`), never its description: it may echo input."""
    try:
        body = response.json()
    except ValueError:
        return str(response.status_code)
    error = body.get("error") if isinstance(body, dict) else None
    return str(error) if isinstance(error, str) and error.isascii() and len(error) < 64 else str(response.status_code)


def service_tokens(
    settings: CommonSettings, service_name: str, *, transport: httpx.AsyncBaseTransport | None = None
) -> ServiceTokens:
    """The token source a service calls the others with, by its settings: the identity provider's when
    its client credentials are configured (always in production), else the shared secret's."""
    if settings.oidc_issuer and settings.service_client_id and settings.service_client_secret:
        return ClientCredentialsTokens(
            settings.oidc_issuer,
            settings.service_client_id,
            settings.service_client_secret,
            scope=settings.service_client_scope,
            resource=settings.service_client_resource,
            timeout=settings.http_timeout_seconds,
            transport=transport,
        )
    return SharedSecretTokens(settings.effective_jwt_secret, service_name)
