"""GET /portal: where providers and referrers land after signing in. Their own pages are not there yet;
until then the page says who is signed in and that the pages for their role follow."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from intake.dashboard.pages import render
from intake.i18n import N_, _
from intake.sessions.browser import SignedIn

router = APIRouter(include_in_schema=False)

ROLE_NAMES = {
    "referrer": N_("referrer"),
    "provider": N_("provider"),
    "coordinator": N_("coordinator"),
    "auditor": N_("data protection officer"),
}


@router.get("/portal", response_class=HTMLResponse)
async def portal(request: Request, viewer: SignedIn) -> Response:
    role = _(ROLE_NAMES.get(viewer.principal.role, viewer.principal.role))
    return render(request, "portal.html", viewer=viewer, role_name=role, home="/portal")
