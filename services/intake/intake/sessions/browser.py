"""Who is behind a page: a bearer token in the Authorization header, as on every API call, or the
browser's session cookie. The dependencies here are the one check every page of the point makes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request

from common.auth import SESSION_COOKIE, Principal, bearer_token
from common.errors import Unauthorized
from intake.context import Context
from intake.i18n import _
from intake.sessions import rules, service
from intake.sessions.identity_provider import principal_of_token


@dataclass(frozen=True)
class Viewer:
    """The person behind a page and how they proved it."""

    principal: Principal
    # The session's key when the browser's cookie signed it in; None for a bearer token.
    session_key: str | None

    @property
    def from_cookie(self) -> bool:
        return self.session_key is not None


class SignInRequired(Exception):
    """The browser is not signed in: it is sent to /login, and back to `next` after."""

    def __init__(self, next_path: str | None) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class PageRefused(Exception):
    """A page that cannot be shown to this viewer; answered with a page that says why, in Dutch."""

    def __init__(self, status: int, title: str, message: str, viewer: Viewer | None = None) -> None:
        super().__init__(title)
        self.status = status
        self.title = title
        self.message = message
        self.viewer = viewer


async def viewer_of(request: Request) -> Viewer | None:
    """The viewer, or None when neither a token nor a live session names one. Raises Unauthorized
    for an Authorization header that does not hold a valid token."""
    token = bearer_token(request)
    if token is not None:
        return Viewer(await principal_of_token(request, token), None)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    found = await service.session_of(Context.of(request.app), cookie)
    return None if found is None else Viewer(found.principal, found.key)


async def signed_in(request: Request) -> Viewer:
    try:
        viewer = await viewer_of(request)
    except Unauthorized as exc:
        raise PageRefused(
            401, _("Not signed in"), _("The token in the Authorization header is not valid.") + f" {exc.detail}"
        ) from exc
    except httpx.HTTPError as exc:
        raise PageRefused(
            503, _("Signing in does not work now"), _("The identity provider cannot be reached.")
        ) from exc
    if viewer is None:
        # Back to the page asked for; a form sent is not sent again, so after it the landing page.
        path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        raise SignInRequired(path if request.method == "GET" else None)
    return viewer


SignedIn = Annotated[Viewer, Depends(signed_in)]


async def signed_in_coordinator(viewer: SignedIn) -> Viewer:
    if not viewer.principal.is_coordinator:
        raise PageRefused(
            403,
            _("Not for your role"),
            _("The dashboard is for the region's coordinators; you are signed in as %(role)s.")
            % {"role": viewer.principal.role},
            viewer,
        )
    return viewer


CoordinatorViewer = Annotated[Viewer, Depends(signed_in_coordinator)]


def session_secret(request: Request) -> str:
    secret: str = request.app.state.settings.session_secret
    return secret


def csrf_token(request: Request, viewer: Viewer) -> str | None:
    """The token every form of a signed-in browser carries; none is needed with a bearer token."""
    if viewer.session_key is None:
        return None
    return rules.csrf_token(session_secret(request), viewer.session_key)


def csrf_ok(request: Request, viewer: Viewer, submitted: str | None) -> bool:
    if viewer.session_key is None:
        return True  # a browser never adds an Authorization header on its own, so no forgery is possible
    return rules.csrf_ok(session_secret(request), viewer.session_key, submitted)
