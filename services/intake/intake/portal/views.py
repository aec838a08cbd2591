"""GET /portal: where providers and referrers land after signing in. Their own pages are not there yet;
until then the page says who is signed in and that the pages for their role follow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from intake.dashboard.pages import render
from intake.sessions.browser import SignedIn

router = APIRouter(include_in_schema=False)

ROLE_NAMES = {
    "referrer": "verwijzer",
    "provider": "aanbieder",
    "coordinator": "coördinator",
    "auditor": "functionaris gegevensbescherming",
}


@router.get("/portal", response_class=HTMLResponse)
async def portal(request: Request, viewer: SignedIn) -> Response:
    role = ROLE_NAMES.get(viewer.principal.role, viewer.principal.role)
    return render(request, "portal.html", lang="nl", viewer=viewer, role_name=role, home="/portal")
