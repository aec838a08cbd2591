"""GET /portal: where providers and referrers land after signing in, each sent on to the pages of their
role (providers: portal.provider, referrers: portal.referrer); a role without pages of its own is told who
is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from intake.dashboard.pages import render
from intake.i18n import N_, _
from intake.portal import provider, provider_unit_pages, referrer
from intake.sessions.browser import SignedIn

router = APIRouter(include_in_schema=False)
router.include_router(referrer.router)
router.include_router(provider.router)
router.include_router(provider_unit_pages.router)

ROLE_NAMES = {
    "referrer": N_("referrer"),
    "provider": N_("provider"),
    "coordinator": N_("coordinator"),
    "auditor": N_("data protection officer"),
}


@router.get("/portal", response_class=HTMLResponse)
async def portal(request: Request, viewer: SignedIn) -> Response:
    if viewer.principal.role == "referrer":
        return await referrer.home(request, viewer)
    if viewer.principal.role == "provider":
        return await provider.portal_page(request, viewer)
    role = _(ROLE_NAMES.get(viewer.principal.role, viewer.principal.role))
    return render(request, "portal.html", viewer=viewer, role_name=role, home="/portal")
