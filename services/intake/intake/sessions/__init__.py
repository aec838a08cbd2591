"""Browser sign-in on intake: sessions kept in intake's database, the identity provider's code flow,
and the check every page makes (docs/architecture.md, "Signing in")."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.middleware import Middleware


def install(app: FastAPI) -> None:
    """Serve /login, /auth/callback and /logout; send a browser that is not signed in to /login."""
    from intake.dashboard.pages import message_page
    from intake.sessions.browser import PageRefused, SignInRequired
    from intake.sessions.identity_provider import sign_in_client
    from intake.sessions.sign_in_state import SignInStateMiddleware
    from intake.sessions.views import router, sign_in_location

    settings = app.state.settings
    app.state.sign_in_client = sign_in_client(settings)
    app.include_router(router)
    if app.state.sign_in_client is not None:
        # Innermost of the app's middleware, so that it sees the scheme the trusted proxy reported.
        app.user_middleware.append(
            Middleware(
                SignInStateMiddleware, secret_key=settings.session_secret, max_age=settings.sign_in_timeout_seconds
            )
        )

    @app.exception_handler(SignInRequired)
    async def _sign_in(_request: Request, exc: SignInRequired) -> Response:
        return RedirectResponse(sign_in_location(exc.next_path), status_code=303)

    @app.exception_handler(PageRefused)
    async def _refused(request: Request, exc: PageRefused) -> Response:
        return message_page(request, exc.status, exc.title, exc.message, exc.viewer)
