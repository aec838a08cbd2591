"""The verifier of bearer tokens: access tokens of the region's OpenID Connect provider (RS256, ES256;
keys from its `jwks_uri`), and in development the shared-secret HS256 tokens of common.auth.

PyJWT does the JOSE work (PyJWK from the published key set, jwt.decode); this module fetches the keys
with httpx inside the event loop, maps the provider's claims to ours (docs/api.md), and knows the
point's own services by the client id of their client-credentials tokens.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import httpx
import jwt
from jwt import PyJWK, PyJWKSet

from common.auth import (
    MAX_AUTHORIZATION_BYTES,
    PERSON_TOKEN_MAX_LIFETIME,
    ROLES,
    Principal,
    principal_from_claims,
    refuse_nul_claims,
    verified_shared_secret_token,
)
from common.errors import DependencyUnavailable, Unauthorized
from common.settings import CommonSettings

SERVICE_ORG = "regiepunt"
# What an identity provider may sign with; never HS256 (a shared secret) nor `none`.
ASYMMETRIC_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"})
# A service's token from the identity provider lives as long as the provider says, within reason:
# Entra ID issues app tokens for 60 to 90 minutes, longer than the hour of a token a service mints.
PROVIDER_SERVICE_TOKEN_MAX_LIFETIME = timedelta(hours=2)
# The Dutch AGB code of a care provider: eight digits. Our provider ids are UUIDs, so the two never mix.
AGB_CODE = re.compile(r"[0-9]{8}")
VERIFIED_TOKENS_KEPT = 1024
AGB_CODES_KEPT = 4096

ProviderLookup = Callable[[str], Awaitable[str | None]]


def discovery_url(issuer: str) -> str:
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration"


async def discover(client: httpx.AsyncClient, issuer: str) -> dict[str, Any]:
    """The provider's metadata; its `issuer` must be the one configured (OpenID Connect Discovery 4.3)."""
    response = await client.get(discovery_url(issuer))
    response.raise_for_status()
    metadata = response.json()
    if not isinstance(metadata, dict) or metadata.get("issuer") != issuer:
        raise ValueError(f"the discovery document at {discovery_url(issuer)} names another issuer")
    return metadata


class ProviderKeys:
    """The identity provider's signing keys. Discovery once, the key set kept; a token with a key id
    not in it fetches the set again (the provider rotated its keys) - one fetch shared by every request
    waiting for it, and at most one per `refetch_seconds`, so made-up key ids cannot flood the provider."""

    def __init__(
        self,
        issuer: str,
        *,
        refetch_seconds: float,
        timeout: float,
        on_fetch: Callable[[], None] | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.issuer = issuer
        self.refetch_seconds = refetch_seconds
        self._timeout = timeout
        self._transport = transport
        self._client: httpx.AsyncClient | None = None
        self._on_fetch = on_fetch
        self._jwks_uri: str | None = None
        self._keys: dict[str, PyJWK] = {}
        self._lock = asyncio.Lock()
        self._attempts = 0
        self._last_attempt = float("-inf")
        self._last_failed = False

    async def key(self, kid: str) -> PyJWK:
        known = self._keys.get(kid)
        if known is not None:
            return known
        attempts_seen = self._attempts
        async with self._lock:
            # Whoever waited while another request fetched uses that fetch instead of its own.
            if self._attempts == attempts_seen and self._may_fetch():
                await self._fetch()
        key = self._keys.get(kid)
        if key is not None:
            return key
        if self._last_failed:
            raise DependencyUnavailable("The identity provider's keys cannot be fetched right now; try again shortly.")
        raise Unauthorized("The token is signed with a key the identity provider does not publish (unknown kid).")

    def _may_fetch(self) -> bool:
        return not self._keys or time.monotonic() - self._last_attempt >= self.refetch_seconds

    async def _fetch(self) -> None:
        self._last_attempt = time.monotonic()
        if self._on_fetch is not None:
            self._on_fetch()
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self._timeout, transport=self._transport)
        try:
            if self._jwks_uri is None:
                self._jwks_uri = str((await discover(self._client, self.issuer))["jwks_uri"])
            response = await self._client.get(self._jwks_uri)
            response.raise_for_status()
            key_set = PyJWKSet.from_dict(response.json())
        except (httpx.HTTPError, ValueError, KeyError, jwt.PyJWTError):
            # Known keys stay usable while the provider is out of reach.
            self._last_failed = True
            return
        finally:
            # Counted when done: whoever waited for this fetch sees that it happened.
            self._attempts += 1
        self._last_failed = False
        self._keys = {
            key.key_id: key
            for key in key_set.keys
            if key.key_id and key.public_key_use in (None, "sig") and key.algorithm_name in ASYMMETRIC_ALGORITHMS
        }

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()


class TokenVerifier:
    """Checks a bearer token and names its principal. One per app (app.state.verifier)."""

    def __init__(
        self,
        settings: CommonSettings,
        *,
        keys: ProviderKeys | None = None,
        provider_lookup: ProviderLookup | None = None,
    ) -> None:
        self.settings = settings
        self.keys = keys
        # Maps a provider's AGB code to its id in capacity: capacity's own database, or a call to capacity.
        self.provider_lookup = provider_lookup
        self._verified: OrderedDict[str, tuple[Principal, float]] = OrderedDict()
        self._providers_by_agb: OrderedDict[str, str] = OrderedDict()

    @classmethod
    def for_settings(cls, settings: CommonSettings, *, on_fetch: Callable[[], None] | None = None) -> TokenVerifier:
        keys = None
        if settings.oidc_issuer:
            keys = ProviderKeys(
                settings.oidc_issuer,
                refetch_seconds=settings.oidc_jwks_refetch_seconds,
                timeout=settings.http_timeout_seconds,
                on_fetch=on_fetch,
            )
        return cls(settings, keys=keys)

    async def verify(self, token: str) -> Principal:
        """The principal of a valid token, or Unauthorized naming why not. A verified token is kept
        until it expires: services call with the same token many times a second."""
        if len(token) > MAX_AUTHORIZATION_BYTES:
            raise Unauthorized(f"The token is longer than {MAX_AUTHORIZATION_BYTES} bytes.")
        kept = self._verified.get(token)
        if kept is not None and kept[1] > time.time():
            self._verified.move_to_end(token)
            return kept[0]
        principal, expires = await self._check(token)
        principal = await self._with_provider_id(principal)
        self._verified[token] = (principal, expires)
        if len(self._verified) > VERIFIED_TOKENS_KEPT:
            self._verified.popitem(last=False)
        return principal

    async def _check(self, token: str) -> tuple[Principal, float]:
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"The token is not valid: {exc}.") from exc
        algorithm = header.get("alg")
        if algorithm == "HS256":
            if self.settings.production:
                raise Unauthorized("Production does not accept HS256 tokens: use a token of the identity provider.")
            return verified_shared_secret_token(token, self.settings.effective_jwt_secret)
        if algorithm not in ASYMMETRIC_ALGORITHMS:
            raise Unauthorized(f"The token is not valid: algorithm {algorithm!r} is not accepted.")
        if self.keys is None:
            raise Unauthorized("No identity provider is configured (REGIEPUNT_OIDC_ISSUER) to check this token.")
        kid = header.get("kid")
        if not isinstance(kid, str) or not kid:
            raise Unauthorized("The token names no signing key (kid).")
        key = await self.keys.key(kid)
        claims = self._decode(token, key)
        return self._principal(claims), float(claims["exp"])

    def _decode(self, token: str, key: PyJWK) -> dict[str, Any]:
        # The algorithm comes from the published key, never from the token's own header.
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.settings.oidc_audience,
                issuer=self.settings.oidc_issuer,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise Unauthorized("The token has expired.") from exc
        except jwt.InvalidAudienceError as exc:
            audience = self.settings.oidc_audience
            raise Unauthorized(f"The token is not meant for this point (aud must name {audience}).") from exc
        except jwt.InvalidIssuerError as exc:
            raise Unauthorized("The token comes from another issuer than the configured identity provider.") from exc
        except jwt.PyJWTError as exc:
            raise Unauthorized(f"The token is not valid: {exc}.") from exc
        return claims

    def _principal(self, claims: dict[str, Any]) -> Principal:
        settings = self.settings
        refuse_nul_claims(claims)
        role = self._role(claims)
        service = self._service(claims)
        if service is not None:
            if role not in (None, "service"):
                raise Unauthorized(f"The token is {service}'s (its client id) and names the role {role} too.")
            return principal_from_claims(
                claims,
                sub=f"service:{service}",
                role="service",
                org=SERVICE_ORG,
                referrer_type=None,
                provider_id=None,
                longest=PROVIDER_SERVICE_TOKEN_MAX_LIFETIME,
            )
        if role is None:
            raise Unauthorized(
                f"The token carries no role (claim {settings.oidc_claim_role}) and its client id is none of the "
                "point's services."
            )
        if role == "service":
            raise Unauthorized("A service is known by the client id of its token, not by a role claim.")
        return principal_from_claims(
            claims,
            sub=claims.get("sub"),
            role=role,
            org=claims.get(settings.oidc_claim_org),
            referrer_type=claims.get(settings.oidc_claim_referrer_type),
            provider_id=claims.get(settings.oidc_claim_provider_id),
            longest=PERSON_TOKEN_MAX_LIFETIME,
        )

    def _role(self, claims: dict[str, Any]) -> str | None:
        """Our role from the role claim: a string, or a list holding exactly one of ours (Entra ID's
        app roles in `roles`, beside roles of other applications)."""
        name = self.settings.oidc_claim_role
        value = claims.get(name)
        if value is None:
            return None
        values = value if isinstance(value, list) else [value]
        ours = sorted({role for role in values if isinstance(role, str) and role in ROLES})
        if not ours:
            raise Unauthorized(f"The token's {name} claim names no Regiepunt role.")
        if len(ours) > 1:
            several = ", ".join(ours)
            raise Unauthorized(
                f"The token's {name} claim names several Regiepunt roles ({several}); a token acts in one."
            )
        return ours[0]

    def _service(self, claims: dict[str, Any]) -> str | None:
        """Which of the point's services a client-credentials token belongs to: its client id is
        `client_id` (RFC 9068), else `azp` (Keycloak), else `appid` (Entra ID v1 tokens)."""
        for name in ("client_id", "azp", "appid"):
            client_id = claims.get(name)
            if isinstance(client_id, str) and client_id:
                return self.settings.service_client_ids.get(client_id)
        return None

    async def _with_provider_id(self, principal: Principal) -> Principal:
        """A provider's token may name the provider by its AGB code; the point acts with capacity's id."""
        code = principal.provider_id
        if principal.role != "provider" or code is None or not AGB_CODE.fullmatch(code):
            return principal
        provider_id = self._providers_by_agb.get(code)
        if provider_id is None:
            if self.provider_lookup is None:
                raise Unauthorized("This service cannot map a provider's AGB code to the point's provider.")
            provider_id = await self.provider_lookup(code)
            if provider_id is None:
                raise Unauthorized(f"The token names AGB code {code}, and no provider with that code is registered.")
            self._providers_by_agb[code] = provider_id
            if len(self._providers_by_agb) > AGB_CODES_KEPT:
                self._providers_by_agb.popitem(last=False)
        return Principal(
            sub=principal.sub,
            role=principal.role,
            org=principal.org,
            referrer_type=principal.referrer_type,
            provider_id=provider_id,
        )

    async def aclose(self) -> None:
        if self.keys is not None:
            await self.keys.aclose()
