"""The region's identity provider as the pages' sign-in client (Authlib: the authorization code flow
with PKCE), and how a token names the person behind a page."""

from __future__ import annotations

import logging
import warnings

import jwt
from fastapi import FastAPI, Request

from common.auth import Principal, verify_token
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
    """The person a token names, checked as the API checks a bearer token (common.auth: `verify_token`,
    the app's verifier): the identity provider's tokens with the keys it publishes, and in development
    the point's own HS256 tokens. Raises Unauthorized. The one place the pages check a token: at
    sign-in, and in the Authorization header of a page."""
    return await verify_token(request, token)


def token_expiry(token: str) -> float | None:
    """The `exp` of a token already verified, to end a session no later than its token."""
    exp = jwt.decode(token, options={"verify_signature": False}).get("exp")
    return float(exp) if isinstance(exp, int | float) and not isinstance(exp, bool) else None
