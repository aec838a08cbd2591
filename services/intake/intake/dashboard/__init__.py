"""The coordinators' dashboard on intake: pages, their static files, and how they are mounted."""

from __future__ import annotations

import os
from os import stat_result
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.responses import RedirectResponse, Response
from starlette.types import Scope

STATIC_DIR = Path(__file__).resolve().parent / "static"

# The pages run only the point's own script and styles (nothing inline: no script or style in the
# templates, no style attributes, the charts' colours come from the stylesheet), talk only to the
# point, cannot be framed, and tell no other site which child's page a coordinator came from.
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'self'",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def page_headers(identity_provider: str | None) -> dict[str, str]:
    """The pages' headers. Signing out is a form whose answer sends the browser on to the identity
    provider's end-session page, and browsers hold that redirect to form-action too: with a provider,
    its origin is the one other place a form may lead."""
    if not identity_provider:
        return SECURITY_HEADERS
    parts = urlsplit(identity_provider)
    origin = f"{parts.scheme}://{parts.netloc}"
    policy = CONTENT_SECURITY_POLICY.replace("form-action 'self'", f"form-action 'self' {origin}")
    return {**SECURITY_HEADERS, "Content-Security-Policy": policy}


class DashboardStaticFiles(StaticFiles):
    """The pages' css and js, sent with the pages' security headers."""

    def file_response(
        self, full_path: str | os.PathLike[str], stat_result: stat_result, scope: Scope, status_code: int = 200
    ) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        response.headers.update(SECURITY_HEADERS)
        return response


# The pages' icon; browsers that ask for /favicon.ico without reading the page's <link rel="icon"> are
# sent there too.
FAVICON = "/dashboard/static/favicon.svg"


async def favicon() -> Response:
    return RedirectResponse(FAVICON, status_code=308, headers={"Cache-Control": "public, max-age=86400"})


def install(app: FastAPI) -> None:
    """Serve the dashboard pages under /dashboard, its css/js/icon under /dashboard/static, and
    /favicon.ico."""
    from intake.dashboard.views import router

    app.include_router(router)
    app.add_api_route("/favicon.ico", favicon, methods=["GET", "HEAD"], include_in_schema=False)
    app.mount("/dashboard/static", DashboardStaticFiles(directory=STATIC_DIR), name="dashboard-static")
