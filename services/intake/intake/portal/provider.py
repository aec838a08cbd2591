"""The providers' pages on /portal: their units and free places, the proposals waiting for their answer,
their placed children and, for strategic and tactical partners, the waiting children. Every form acts
through the use case the API runs (intake's own; capacity over HTTP, acting for the provider); a bad
field is shown beside itself with what was typed, a page gone stale shows the unit as it is now. The
forms of a unit's details are in provider_unit_pages."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.errors import InvalidInput, ProblemError
from common.logging import get_logger
from intake.access_log.store import ReferralNotVisible, record_refusal
from intake.context import Context
from intake.dashboard.pages import message_page, read_form, render
from intake.domain import ACCEPT_MAX_DAYS_BACK
from intake.i18n import N_, _
from intake.one_on_one import service as one_on_one
from intake.one_on_one.rules import iso_week
from intake.one_on_one.schemas import OneOnOneIn
from intake.portal import provider_forms as forms
from intake.portal import provider_page, provider_units
from intake.portal.provider_forms import CARE_TYPES, TARGET_GROUPS, Checked
from intake.referrals import lifecycle, placement
from intake.sessions.browser import PageRefused, SignedIn, Viewer, csrf_ok
from intake.signals import service as signals

router = APIRouter(prefix="/portal", include_in_schema=False)
log = get_logger("regiepunt.intake.portal")

# Ids go into paths of capacity's API and into the page: only the characters ids are made of.
ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")

DONE = {
    "availability": N_("The places are saved."),
    "confirmed": N_("Availability confirmed: your places count as up to date."),
    "accepted": N_("Proposal accepted: the child is placed with you."),
    "declined": N_("Proposal declined; the point looks for another place for the child."),
    "at_risk": N_("Reported: the coordinators see that this stay is at risk."),
    "hours": N_("The one-on-one hours are recorded."),
    "offered": N_("Place offered: the child is proposed to your unit."),
    "unit_added": N_("The unit is added."),
    "unit_saved": N_("The unit's details are saved."),
    "unit_closed": N_("The unit is closed: it gets no new proposals; its stays run on."),
    "unit_opened": N_("The unit is open again."),
}


# Where the page opens after an answer: the child's new place on it.
AFTER = {"accepted": "placed", "declined": "proposals", "offered": "proposals"}


async def signed_in_provider(viewer: SignedIn) -> Viewer:
    if viewer.principal.role != "provider":
        raise PageRefused(
            403,
            _("Not for your role"),
            _("These pages are for providers; you are signed in as %(role)s.") % {"role": viewer.principal.role},
            viewer,
        )
    return viewer


ProviderViewer = Annotated[Viewer, Depends(signed_in_provider)]


def form_expired(request: Request, viewer: Viewer) -> HTMLResponse:
    return message_page(request, 403, _("Form expired"), _("Reload the page and try again."), viewer, home="/portal")


def not_found(request: Request, viewer: Viewer) -> HTMLResponse:
    return message_page(
        request,
        404,
        _("Not found"),
        _("There is nothing of your organisation here. Go back to your page."),
        viewer,
        home="/portal",
    )


def problem(request: Request, viewer: Viewer, exc: ProblemError) -> HTMLResponse:
    if exc.status == 404:
        return not_found(request, viewer)
    if exc.status == 503:
        title, message = _("Not available right now"), _("A part of the point cannot be reached; try again shortly.")
    elif exc.status == 403:
        title, message = _("Not allowed"), _("Your organisation may not do this.")
    else:
        title, message = _("This did not work"), exc.detail
    return message_page(request, exc.status, title, message, viewer, home="/portal")


async def portal_page(
    request: Request,
    viewer: Viewer,
    status_code: int = 200,
    *,
    checked: dict[str, Checked] | None = None,
    changed: dict[str, str] | None = None,
    failed: dict[str, str] | None = None,
) -> Response:
    """The provider's page; after a refused form, with that form's errors and typed values
    (`checked`), the units that changed meanwhile (`changed`) and the actions the point refused
    (`failed`: the form's key and why)."""
    ctx = Context.of(request.app)
    try:
        page = await provider_page.gather(ctx, viewer.principal)
    except ProblemError as exc:
        return problem(request, viewer, exc)
    done = request.query_params.get("done", "")
    return render(
        request,
        "portal_provider.html",
        status_code,
        viewer=viewer,
        home="/portal",
        page=page,
        forms=checked or {},
        changed=changed or {},
        failed=failed or {},
        notice=_(DONE[done]) if done in DONE else None,
        care_types=CARE_TYPES,
        target_groups=TARGET_GROUPS,
        vocabulary=ctx.vocabulary,
        this_week=iso_week(ctx.today()),
        countdown=_countdown_words(),
        earliest_start=date.fromordinal(ctx.today().toordinal() - ACCEPT_MAX_DAYS_BACK),
    )


def _countdown_words() -> dict[str, str]:
    """The words of the time left, for portal.js to count down in the page's language."""
    return {
        "hours_minutes": _("%(hours)d h %(minutes)d min").replace("%(hours)d", "{h}").replace("%(minutes)d", "{m}"),
        "minutes": _("%(minutes)d min").replace("%(minutes)d", "{m}"),
        "over": _("expired"),
    }


def done_page(what: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(f"/portal?done={what}{'#' + anchor if anchor else ''}", status_code=303)


async def _acting(request: Request, viewer: Viewer, item_id: str) -> dict[str, str] | Response:
    """The form, once the id and its CSRF token are right; else the page that says why not."""
    if not ID.fullmatch(item_id):
        return not_found(request, viewer)
    form = await read_form(request)
    if not csrf_ok(request, viewer, form.get("csrf")):
        return form_expired(request, viewer)
    return form


# --- units -------------------------------------------------------------------------------------------


@router.post("/units/{unit_id}/availability")
async def change_availability(request: Request, unit_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, unit_id)
    if isinstance(form, Response):
        return form
    key = f"availability-{unit_id}"
    checked, version = forms.availability(form), forms.version_of(form)
    if not checked.ok or version is None:
        return await portal_page(request, viewer, 422, checked={key: checked})
    ctx = Context.of(request.app)
    try:
        await provider_units.set_availability(
            ctx, viewer.principal, unit_id, version, checked.values["capacity"], checked.values["blocked"]
        )
    except provider_units.UnitChanged:
        return await portal_page(request, viewer, 409, changed={unit_id: "availability"})
    except provider_units.UnitRefused:
        # Fewer places than those in use: say how many are needed, with the unit as it is now.
        try:
            now = await provider_units.own_unit(ctx, viewer.principal, unit_id)
        except ProblemError as exc:
            return problem(request, viewer, exc)
        checked.errors["capacity"] = forms.too_few_places(now.occupied, now.reserved, checked.values["blocked"])
        return await portal_page(request, viewer, 422, checked={key: checked})
    except ProblemError as exc:
        return problem(request, viewer, exc)
    return done_page("availability", f"unit-{unit_id}")


@router.post("/units/{unit_id}/confirm")
async def confirm_availability(request: Request, unit_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, unit_id)
    if isinstance(form, Response):
        return form
    try:
        await provider_units.confirm_availability(Context.of(request.app), viewer.principal, unit_id)
    except ProblemError as exc:
        return problem(request, viewer, exc)
    return done_page("confirmed", f"unit-{unit_id}")


# --- proposals, placed children, waiting children ----------------------------------------------------


async def _referral_action(
    request: Request, viewer: Viewer, referral_id: str, key: str, checked: Checked, act: Any, done: str
) -> Response:
    """Run a use case on a referral with a form's checked values; its refusals shown on the page."""
    if not checked.ok:
        return await portal_page(request, viewer, 422, checked={key: checked})
    ctx = Context.of(request.app)
    try:
        await act(ctx)
    except InvalidInput as exc:
        for error in exc.errors:
            where = error.field if error.field in checked.typed else ""
            checked.errors.setdefault(where, forms.use_case_said(error.field))
        return await portal_page(request, viewer, 422, checked={key: checked})
    except ReferralNotVisible as exc:
        await record_refusal(ctx, exc)
        return not_found(request, viewer)
    except ProblemError as exc:
        if exc.status in (403, 404):
            return not_found(request, viewer)
        if exc.status == 409:
            log.info("portal_action_refused", action=key.split("-", 1)[0], referral_id=referral_id, detail=exc.detail)
            return await portal_page(request, viewer, 409, failed={key: _refused(exc)})
        return problem(request, viewer, exc)
    return done_page(done, AFTER.get(done, f"child-{referral_id}"))


def _refused(exc: ProblemError) -> str:
    """A step the referral's state forbids now (409): most often the time to answer ran out, or the
    child is placed or waiting elsewhere meanwhile. The page shows how things are now."""
    return _(
        "This cannot be done now: the proposal or the stay changed meanwhile (for example, the time to answer"
        " ran out). The page shows how things are now."
    )


@router.post("/referrals/{referral_id}/accept")
async def accept(request: Request, referral_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, referral_id)
    if isinstance(form, Response):
        return form
    ctx = Context.of(request.app)
    checked = forms.start_date(form, ctx.today(), ACCEPT_MAX_DAYS_BACK)
    return await _referral_action(
        request,
        viewer,
        referral_id,
        f"accept-{referral_id}",
        checked,
        lambda ctx: placement.accept(ctx, viewer.principal, referral_id, checked.values["start_date"]),
        "accepted",
    )


@router.post("/referrals/{referral_id}/decline")
async def decline(request: Request, referral_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, referral_id)
    if isinstance(form, Response):
        return form
    checked = forms.decline(form, Context.of(request.app).vocabulary)
    return await _referral_action(
        request,
        viewer,
        referral_id,
        f"decline-{referral_id}",
        checked,
        lambda ctx: lifecycle.decline(
            ctx, viewer.principal, referral_id, checked.values["reason_code"], checked.values["reason"]
        ),
        "declined",
    )


@router.post("/referrals/{referral_id}/at-risk")
async def report_at_risk(request: Request, referral_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, referral_id)
    if isinstance(form, Response):
        return form
    checked = forms.at_risk(form)
    return await _referral_action(
        request,
        viewer,
        referral_id,
        f"risk-{referral_id}",
        checked,
        lambda ctx: signals.raise_placement_at_risk(ctx, viewer.principal, referral_id, checked.values["note"]),
        "at_risk",
    )


@router.post("/referrals/{referral_id}/one-on-one")
async def record_hours(request: Request, referral_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, referral_id)
    if isinstance(form, Response):
        return form
    checked = forms.one_on_one(form)
    return await _referral_action(
        request,
        viewer,
        referral_id,
        f"hours-{referral_id}",
        checked,
        lambda ctx: one_on_one.record_hours(ctx, viewer.principal, referral_id, OneOnOneIn(**checked.values)),
        "hours",
    )


@router.post("/referrals/{referral_id}/offer")
async def offer(request: Request, referral_id: str, viewer: ProviderViewer) -> Response:
    form = await _acting(request, viewer, referral_id)
    if isinstance(form, Response):
        return form
    ctx = Context.of(request.app)
    try:
        own = {unit.id for unit in await provider_units.units(ctx, viewer.principal) if not unit.closed}
    except ProblemError as exc:
        return problem(request, viewer, exc)
    checked = forms.offer(form, own)
    return await _referral_action(
        request,
        viewer,
        referral_id,
        f"offer-{referral_id}",
        checked,
        lambda ctx: lifecycle.offer(ctx, viewer.principal, referral_id, checked.values["unit_id"]),
        "offered",
    )
