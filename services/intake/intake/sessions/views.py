"""Signing a browser in and out: GET /login, GET /auth/callback and POST /logout (docs/api.md). With an
identity provider the sign-in is its authorization code flow with PKCE; without one (development) the
sign-in page takes a pasted token."""

from __future__ import annotations

import hmac
import secrets
import time
from datetime import timedelta
from urllib.parse import quote

import httpx
from authlib.integrations.base_client import OAuthError
from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.auth import SESSION_COOKIE
from common.errors import Unauthorized
from common.logging import get_logger
from intake.context import Context
from intake.dashboard.pages import message_page, read_form, render
from intake.i18n import _
from intake.sessions import rules, service
from intake.sessions.identity_provider import client_of, principal_of_token, token_expiry

log = get_logger("regiepunt.intake.sessions")

# Before sign-in there is no session yet; a random value in this cookie, echoed by the form, keeps
# another site from signing a browser in with a token of its choosing.
SIGN_IN_NONCE_COOKIE = "regiepunt_sign_in_nonce"
# Where the sign-in remembers the page to come back to, in the short-lived sign-in cookie.
NEXT_KEY = "next"
SIGNED_OUT = "/login?signed_out=1"

router = APIRouter(include_in_schema=False)


def _secure(request: Request) -> bool:
    """Cookies are Secure when the browser came over https, as a trusted proxy may tell."""
    return request.url.scheme == "https"


def _with_session_cookie(request: Request, response: Response, cookie_value: str, lifetime: timedelta) -> Response:
    response.set_cookie(
        SESSION_COOKIE,
        cookie_value,
        max_age=int(lifetime.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )
    return response


def _without_session_cookie(request: Request, response: Response) -> Response:
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=_secure(request))
    return response


def _paste_page(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    nonce = secrets.token_urlsafe(24)
    next_path = rules.local_path(request.query_params.get("next"))
    response = render(
        request,
        "login.html",
        status_code,
        paste_token=True,
        error=error,
        nonce=nonce,
        next=next_path,
        signed_out="signed_out" in request.query_params,
    )
    response.set_cookie(
        SIGN_IN_NONCE_COOKIE, nonce, httponly=True, samesite="strict", secure=_secure(request), path="/login"
    )
    return response


@router.get("/login", response_class=HTMLResponse)
async def login_page(request: Request) -> Response:
    client = client_of(request.app)
    if client is None:
        return _paste_page(request)
    if "signed_out" in request.query_params:
        return render(request, "login.html", signed_out=True)
    request.session[NEXT_KEY] = rules.local_path(request.query_params.get("next"))
    try:
        redirect: Response = await client.authorize_redirect(request, str(request.url_for("auth_callback")))
    except httpx.HTTPError as exc:
        log.warning("identity_provider_unreachable", step="authorize", error=type(exc).__name__)
        return message_page(
            request, 503, _("Signing in does not work now"), _("The identity provider cannot be reached.")
        )
    return redirect


@router.post("/login")
async def sign_in_with_token(request: Request) -> Response:
    if client_of(request.app) is not None:
        return message_page(request, 404, _("Not found"), _("Sign in with the region's identity provider."))
    form = await read_form(request)
    expected, submitted = request.cookies.get(SIGN_IN_NONCE_COOKIE), form.get("nonce")
    if not (expected and submitted and hmac.compare_digest(expected, submitted)):
        return _paste_page(request, error=_("The form had expired; please try again."), status_code=400)
    token = form.get("token", "").strip()
    if not token:
        return _paste_page(request, error=_("Paste a token."), status_code=422)
    try:
        principal = await principal_of_token(request, token)
    except Unauthorized as exc:
        return _paste_page(request, error=_("This token is not valid.") + f" {exc.detail}", status_code=401)
    if principal.role == "service":
        return _paste_page(request, error=_("This is the token of a service, not of a person."), status_code=403)
    ctx = Context.of(request.app)
    expires = token_expiry(token)
    lifetime = timedelta(seconds=max(0.0, expires - time.time())) if expires else timedelta(hours=1)
    cookie_value = await service.open_session(ctx, principal, lifetime, replaces=request.cookies.get(SESSION_COOKIE))
    target = rules.local_path(form.get("next")) or rules.landing_page(principal.role)
    response = _with_session_cookie(request, RedirectResponse(target, status_code=303), cookie_value, lifetime)
    response.delete_cookie(SIGN_IN_NONCE_COOKIE, path="/login")
    return response


@router.get("/auth/callback")
async def auth_callback(request: Request) -> Response:
    client = client_of(request.app)
    if client is None:
        return message_page(request, 404, _("Not found"), _("This environment signs in without an identity provider."))
    try:
        token = await client.authorize_access_token(request)
        principal = await principal_of_token(request, str(token.get("access_token", "")))
    except OAuthError as exc:
        log.info("sign_in_refused", error=exc.error)
        return _sign_in_again(request, 400, _("The sign-in expired or was broken off."))
    except Unauthorized as exc:
        log.info("sign_in_refused", error="access_token_refused")
        return _sign_in_again(request, 403, _("Your account gives no access to Regiepunt.") + f" {exc.detail}")
    except httpx.HTTPError as exc:
        log.warning("identity_provider_unreachable", step="callback", error=type(exc).__name__)
        return message_page(
            request, 503, _("Signing in does not work now"), _("The identity provider cannot be reached.")
        )
    if principal.role == "service":
        return _sign_in_again(request, 403, _("This account is a service, not a person."))
    ctx = Context.of(request.app)
    lifetime = rules.session_lifetime(token, timedelta(hours=ctx.settings.session_max_hours))
    cookie_value = await service.open_session(
        ctx, principal, lifetime, id_token=token.get("id_token"), replaces=request.cookies.get(SESSION_COOKIE)
    )
    target = rules.local_path(request.session.pop(NEXT_KEY, None)) or rules.landing_page(principal.role)
    return _with_session_cookie(request, RedirectResponse(target, status_code=303), cookie_value, lifetime)


def _sign_in_again(request: Request, status_code: int, message: str) -> HTMLResponse:
    return render(request, "login.html", status_code, error=message)


@router.post("/logout")
async def logout(request: Request) -> Response:
    """Ends the session here and, where the identity provider offers it, the provider's session too."""
    ctx = Context.of(request.app)
    cookie_value = request.cookies.get(SESSION_COOKIE)
    current = await service.session_of(ctx, cookie_value) if cookie_value else None
    if current is not None:
        form = await read_form(request)
        if not rules.csrf_ok(ctx.settings.session_secret, current.key, form.get("csrf")):
            return message_page(request, 403, _("Form expired"), _("Reload the page and then sign out."))
    ended = await service.end_session(ctx, cookie_value) if cookie_value else None
    location = request.url_for("login_page").path + "?signed_out=1"
    client = client_of(request.app)
    if client is not None:
        location = await _provider_logout(request, location, ended.id_token if ended else None) or location
    return _without_session_cookie(request, RedirectResponse(location, status_code=303))


async def _provider_logout(request: Request, signed_out: str, id_token: str | None) -> str | None:
    """The provider's end-session address (RP-initiated logout), or None where it has none."""
    client = client_of(request.app)
    assert client is not None
    try:
        metadata = await client.load_server_metadata()
        if not metadata.get("end_session_endpoint"):
            return None
        back = str(request.base_url).rstrip("/") + signed_out
        logout = await client.create_logout_url(
            post_logout_redirect_uri=back, id_token_hint=id_token, client_id=client.client_id
        )
    except httpx.HTTPError as exc:
        log.warning("identity_provider_unreachable", step="logout", error=type(exc).__name__)
        return None
    return str(logout["url"])


def sign_in_location(next_path: str | None) -> str:
    """Where a browser that is not signed in is sent, remembering the page it asked for."""
    return "/login" + (f"?next={quote(next_path, safe='/')}" if next_path else "")
