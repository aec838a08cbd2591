"""The region's identity provider as the pages' sign-in client (Authlib: the authorization code flow
with PKCE), and how a token names the person behind a page."""

from __future__ import annotations

import logging
import time
import warnings
from typing import Any

import jwt
from fastapi import FastAPI, Request

from common.auth import REFERRER_TYPES, ROLES, Principal, decode_token
from common.errors import Unauthorized
from intake.settings import IntakeSettings

with warnings.catch_warnings():
    # Authlib runs on httpx, as the services do, and warns on import that it would rather have httpx2
    # (its own filter says "always", set when authlib.deprecate is first imported: so that comes first).
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore", DeprecationWarning)
    from authlib.integrations.starlette_client import OAuth, StarletteOAuth2App

# Authlib logs the PKCE verifier and tokens at DEBUG; no log of the point carries them, at any level.
logging.getLogger("authlib").setLevel(logging.WARNING)

CLIENT_NAME = "regiepunt"
# What the provider may sign the point's access tokens with; HS256 stays the development tokens' own.
ASYMMETRIC_ALGORITHMS = ["RS256", "ES256"]


def sign_in_client(settings: IntakeSettings) -> StarletteOAuth2App | None:
    """The client of the code flow, or None without an issuer (development: a pasted token)."""
    if not settings.oidc_issuer:
        return None
    oauth = OAuth()
    client: StarletteOAuth2App = oauth.register(
        name=CLIENT_NAME,
        client_id=settings.oidc_client_id,
        client_secret=settings.oidc_client_secret,
        server_metadata_url=f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration",
        client_kwargs={
            "scope": settings.oidc_scope,
            "code_challenge_method": "S256",
            "timeout": settings.http_timeout_seconds,
        },
    )
    return client


def client_of(app: FastAPI) -> StarletteOAuth2App | None:
    client: StarletteOAuth2App | None = app.state.sign_in_client
    return client


async def principal_of_token(request: Request, token: str) -> Principal:
    """The person a token names, checked as the API checks a bearer token: the point's own HS256 tokens
    with the shared secret, the identity provider's with the keys it publishes. Raises Unauthorized.
    The one place the pages check a token: at sign-in, and in the Authorization header of a page."""
    settings: IntakeSettings = request.app.state.settings
    client = client_of(request.app)
    if client is None or _algorithm(token) == "HS256":
        return decode_token(token, settings.effective_jwt_secret)
    claims = await _provider_claims(client, token, settings.oidc_audience)
    return _principal(claims)


def token_expiry(token: str) -> float | None:
    """The `exp` of a token already verified, to end a session no later than its token."""
    exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None


def _algorithm(token: str) -> str | None:
    try:
        return str(jwt.get_unverified_header(token).get("alg"))
    except jwt.PyJWTError as exc:
        raise Unauthorized(f"The token is not valid: {exc}.") from exc


async def _provider_claims(client: StarletteOAuth2App, token: str, audience: str) -> dict[str, Any]:
    metadata = await client.load_server_metadata()
    kid = jwt.get_unverified_header(token).get("kid")
    keys = jwt.PyJWKSet.from_dict(await client.fetch_jwk_set())
    if kid not in {key.key_id for key in keys.keys}:
        # The provider rotated its keys since they were fetched: once more, then refuse.
        keys = jwt.PyJWKSet.from_dict(await client.fetch_jwk_set(force=True))
    try:
        key = keys[str(kid)]
        claims: dict[str, Any] = jwt.decode(
            token,
            key,
            algorithms=ASYMMETRIC_ALGORITHMS,
            audience=audience,
            issuer=metadata.get("issuer"),
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except (KeyError, jwt.PyJWTError) as exc:
        raise Unauthorized(f"The token is not valid: {exc}.") from exc
    if claims["exp"] <= time.time():
        raise Unauthorized("The token has expired.")
    return claims


def _principal(claims: dict[str, Any]) -> Principal:
    role = claims.get("role")
    if role not in ROLES or role == "service":
        raise Unauthorized("The token carries no role of a person.")
    org = claims.get("org")
    if not isinstance(org, str) or not org:
        raise Unauthorized("The token carries no organisation (org).")
    referrer_type = claims.get("referrer_type")
    if role == "referrer" and referrer_type not in REFERRER_TYPES:
        raise Unauthorized("A referrer token must carry a known referrer_type.")
    provider_id = claims.get("provider_id")
    if role == "provider" and not provider_id:
        raise Unauthorized("A provider token must carry provider_id.")
    return Principal(
        sub=str(claims["sub"]),
        role=str(role),
        org=org,
        referrer_type=referrer_type if role == "referrer" else None,
        provider_id=str(provider_id) if role == "provider" else None,
    )
