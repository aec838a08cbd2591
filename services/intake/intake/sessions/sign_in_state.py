"""The short-lived, signed cookie that carries a sign-in from /login to /auth/callback: the state, the
nonce and the PKCE verifier Authlib keeps in `request.session`, and the page to come back to."""

from __future__ import annotations

from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

SIGN_IN_COOKIE = "regiepunt_sign_in"
# The only pages that read or write it; every other request passes by without a session.
SIGN_IN_PATHS = frozenset({"/login", "/auth/callback"})


class SignInStateMiddleware:
    """Starlette's SessionMiddleware on the sign-in's two pages only, its cookie Secure when the browser
    came over https (two instances: the flag is fixed per instance, the scheme is known per request).
    SameSite=Lax: the identity provider sends the browser back with a top-level GET."""

    def __init__(self, app: ASGIApp, *, secret_key: str, max_age: int) -> None:
        self.app = app
        options = {"secret_key": secret_key, "session_cookie": SIGN_IN_COOKIE, "max_age": max_age, "path": "/"}
        self.plain = SessionMiddleware(app, same_site="lax", https_only=False, **options)  # type: ignore[arg-type]
        self.secure = SessionMiddleware(app, same_site="lax", https_only=True, **options)  # type: ignore[arg-type]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in SIGN_IN_PATHS:
            await self.app(scope, receive, send)
            return
        middleware = self.secure if scope.get("scheme") == "https" else self.plain
        await middleware(scope, receive, send)
