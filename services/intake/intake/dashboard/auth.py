"""Who is looking at the dashboard: a coordinator's token from the Authorization header or from the
httpOnly session cookie set at sign-in, and the CSRF token that ties every form to that session."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import Request

from common.auth import SESSION_COOKIE, Principal, bearer_token, verify_token
from common.errors import Unauthorized

# Before sign-in there is no session yet; a random value in this cookie, echoed by the form, keeps
# another site from signing a browser in with a token of its choosing.
SIGN_IN_CSRF_COOKIE = "regiepunt_sign_in_csrf"
COOKIE_PATH = "/dashboard"


@dataclass(frozen=True)
class Viewer:
    """The person behind a dashboard request and how they proved it."""

    principal: Principal
    token: str
    from_cookie: bool


def _secret(request: Request) -> str:
    secret: str = request.app.state.settings.effective_jwt_secret
    return secret


async def viewer_of(request: Request) -> Viewer | None:
    """The signed-in viewer, or None when there is no valid token (the sign-in page is shown then)."""
    try:
        header_token = bearer_token(request)
    except Unauthorized:
        return None
    token = header_token or request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = await verify_token(request, token)
    except Unauthorized:
        return None
    return Viewer(principal=principal, token=token, from_cookie=header_token is None)


async def check_sign_in_token(request: Request, token: str) -> Principal:
    """Raises Unauthorized for a token that is not valid; the caller checks the role."""
    return await verify_token(request, token.strip())


def csrf_token(request: Request, viewer: Viewer) -> str:
    """Derived from the session's token, so it needs no server-side state and dies with the session."""
    digest = hmac.new(_secret(request).encode(), f"dashboard-csrf:{viewer.token}".encode(), hashlib.sha256)
    return digest.hexdigest()


def csrf_ok(request: Request, viewer: Viewer, submitted: str | None) -> bool:
    if not viewer.from_cookie:
        return True  # a browser never adds an Authorization header on its own, so no forgery is possible
    return submitted is not None and hmac.compare_digest(submitted, csrf_token(request, viewer))


def new_sign_in_nonce() -> str:
    return secrets.token_urlsafe(24)


def sign_in_nonce_ok(request: Request, submitted: str | None) -> bool:
    expected = request.cookies.get(SIGN_IN_CSRF_COOKIE)
    return bool(expected and submitted and hmac.compare_digest(expected, submitted))
