"""The referrers' pages on /portal, for GPs and local teams without a case system of their own: a referral
form with the API's own validation, their organisation's referrals with proposal, placement and the time a
proposal has left, withdrawing one, and e-mail notice of their referrals. Every page acts through the use
cases the API calls (intake.referrals, intake.notifications), so the rules, the access log and the
notifications are the same as through the API."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from common.errors import InvalidFields, NotFound, ProblemError
from common.logging import get_logger
from contracts import geography, suitability
from intake import clients
from intake.access_log.store import ReferralNotVisible, record_refusal
from intake.context import Context
from intake.dashboard.pages import message_page, render
from intake.domain import StateConflict, Status
from intake.i18n import N_, _
from intake.notifications import service as notifications
from intake.notifications.schemas import WebhookIn
from intake.portal import referrer_form as words
from intake.portal.referrer_form import Submitted
from intake.referrals import lifecycle, reading, submit
from intake.schemas import ReferralOut
from intake.sessions.browser import PageRefused, SignedIn, Viewer, csrf_ok

log = get_logger("regiepunt.intake.portal")

router = APIRouter(prefix="/portal/referrer", include_in_schema=False)

# Referrals on one page of the list; the API's own paging goes further.
LIMIT = 25
# The referral form holds long free texts (notes, the child's words, a justification); a body larger
# than any form the fields allow is refused rather than read as an empty form, which would lose them.
FORM_LIMIT = 200_000
# The other forms hold a few short fields.
SMALL_FORM_LIMIT = 20_000
HOME = "/portal"
NOTICES = {
    "subscribed": N_("The e-mail address will hear of your organisation's referrals."),
    "removed": N_("The e-mail address will hear no more."),
}


async def signed_in_referrer(viewer: SignedIn) -> Viewer:
    if viewer.principal.role != "referrer":
        raise PageRefused(403, _("Not for your role"), _("These pages are for referrers."), viewer)
    return viewer


ReferrerViewer = Annotated[Viewer, Depends(signed_in_referrer)]


def _page(request: Request, name: str, viewer: Viewer, status_code: int = 200, **values: Any) -> HTMLResponse:
    return render(request, name, status_code, viewer=viewer, home=HOME, **values)


def _problem(request: Request, viewer: Viewer, exc: ProblemError) -> HTMLResponse:
    if isinstance(exc, ReferralNotVisible | NotFound):
        return message_page(
            request, 404, _("Not found"), _("There is no such referral of your organisation."), viewer, home=HOME
        )
    if isinstance(exc, StateConflict):
        return message_page(
            request,
            409,
            _("Not possible now"),
            _("The referral's status does not allow this any more."),
            viewer,
            home=HOME,
        )
    return message_page(
        request,
        exc.status,
        _("Not possible now"),
        _("Regiepunt cannot do this right now; try again shortly."),
        viewer,
        home=HOME,
    )


def _expired_form(request: Request, viewer: Viewer) -> HTMLResponse:
    return message_page(request, 403, _("Form expired"), _("Reload the page and try again."), viewer, home=HOME)


async def read_fields(request: Request, limit: int) -> dict[str, list[str]] | None:
    """The form as sent, every field with all its values (checkboxes repeat a name); None when too large."""
    raw = await request.body()
    if len(raw) > limit:
        return None
    return parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)


def _first(fields: dict[str, list[str]], name: str) -> str | None:
    values = fields.get(name)
    return values[0] if values else None


# --- names of places ------------------------------------------------------------------------------


async def place_names(ctx: Context, referrals: list[ReferralOut]) -> dict[str, str]:
    """The names of the units and providers the referrals were proposed to or placed with, by id; an id
    capacity cannot name now is left out (the page then shows that the name is unknown)."""
    unit_ids, provider_ids = set(), set()
    for referral in referrals:
        for place in (referral.proposal, referral.placement):
            if place is not None:
                unit_ids.add(place.unit_id)
                provider_ids.add(place.provider_id)

    async def name_of(kind: str, ident: str) -> tuple[str, str | None]:
        try:
            found = await (clients.get_unit if kind == "unit" else clients.get_provider)(ctx.capacity, ident)
        except ProblemError as exc:
            log.warning("portal_names_unavailable", error=exc.detail)
            return ident, None
        return ident, None if found is None else found.name

    found = await asyncio.gather(
        *[name_of("unit", ident) for ident in sorted(unit_ids)],
        *[name_of("provider", ident) for ident in sorted(provider_ids)],
    )
    return {ident: name for ident, name in found if name is not None}


def _shown(request: Request, ctx: Context) -> dict[str, Any]:
    """What every referrer's page that shows referrals needs besides them."""
    return {"now": ctx.now(), "words": words, "vocabulary": request.app.state.vocabulary, "court": suitability.label}


# --- the list -------------------------------------------------------------------------------------


async def home(request: Request, viewer: Viewer) -> Response:
    """GET /portal for a referrer: the organisation's referrals, newest first, filtered by status."""
    ctx = Context.of(request.app)
    asked = request.query_params.get("status") or ""
    status = Status(asked) if asked in Status.__members__ else None
    try:
        offset = max(0, int(request.query_params.get("offset") or 0))
    except ValueError:
        offset = 0
    try:
        page = await reading.list_referrals(ctx, viewer.principal, status, LIMIT, offset)
    except ProblemError as exc:
        return _problem(request, viewer, exc)
    names = await place_names(ctx, page.items)
    return _page(
        request,
        "portal_referrer.html",
        viewer,
        referrals=page.items,
        names=names,
        status=status.value if status else "",
        offset=offset,
        previous_offset=max(0, offset - LIMIT) if offset else None,
        next_offset=page.next_offset,
        **_shown(request, ctx),
    )


# --- the referral form ----------------------------------------------------------------------------


def _options(request: Request) -> dict[str, Any]:
    """The choices the form offers: the region's municipalities, every Dutch one for the school, and the
    vocabulary's codes with their labels in the page's language."""
    ctx = Context.of(request.app)
    region = sorted(ctx.settings.region_municipalities, key=geography.municipality_name)
    dutch = sorted(geography.municipalities().values(), key=lambda found: found.name)
    return {
        "region": [(code, geography.municipality_name(code)) for code in region],
        "municipalities": [(found.code, found.name) for found in dutch],
        "vocabulary": ctx.vocabulary,
        "authorisation_kinds": ("machtiging", "spoedmachtiging"),
        "court": suitability.label,
        "words": words,
    }


def _form_page(request: Request, viewer: Viewer, form: Submitted, key: str, status_code: int = 200) -> HTMLResponse:
    return _page(request, "portal_referrer_form.html", viewer, status_code, form=form, key=key, **_options(request))


@router.get("/new", response_class=HTMLResponse)
async def new_referral(request: Request, viewer: ReferrerViewer) -> Response:
    return _form_page(request, viewer, Submitted(), str(uuid.uuid4()))


@router.post("/new", response_class=HTMLResponse)
async def submit_referral(request: Request, viewer: ReferrerViewer) -> Response:
    """The form's referral through the API's own model and use case; each error at its field."""
    fields = await read_fields(request, FORM_LIMIT)
    if fields is None:
        return message_page(request, 413, _("Too long"), _("The form holds more text than a referral takes."), viewer)
    if not csrf_ok(request, viewer, _first(fields, "csrf")):
        return _expired_form(request, viewer)
    form = words.submitted(fields)
    key = (_first(fields, "idempotency_key") or "").strip()[:200] or str(uuid.uuid4())
    body, errors = words.parse(words.referral_body(form))
    if body is not None:
        ctx = Context.of(request.app)
        try:
            # The form's key makes a form sent twice (a double click, a reload) one referral.
            _status, answer = await submit.submit_referral(ctx, viewer.principal, body, key)
        except InvalidFields as exc:
            errors = words.field_errors(exc.errors)
        except ProblemError as exc:
            log.info("portal_referral_refused", status=exc.status)
            form.add_error("form", _("Regiepunt could not take the referral right now; please send it again."))
            return _form_page(request, viewer, form, str(uuid.uuid4()) if exc.status == 409 else key, exc.status)
        else:
            return RedirectResponse(f"/portal/referrer/referrals/{answer['id']}?created=1", status_code=303)
    return _form_page(request, viewer, words.with_errors(form, errors), key, 422)


# --- one referral ---------------------------------------------------------------------------------


async def _visible_referral(request: Request, viewer: Viewer, referral_id: str) -> ReferralOut | HTMLResponse:
    ctx = Context.of(request.app)
    try:
        return await reading.get_referral(ctx, viewer.principal, referral_id)
    except ProblemError as exc:
        if isinstance(exc, ReferralNotVisible):
            await record_refusal(ctx, exc)
        return _problem(request, viewer, exc)


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
async def referral(request: Request, referral_id: str, viewer: ReferrerViewer) -> Response:
    found = await _visible_referral(request, viewer, referral_id)
    if isinstance(found, HTMLResponse):
        return found
    ctx = Context.of(request.app)
    return _page(
        request,
        "portal_referrer_referral.html",
        viewer,
        r=found,
        names=await place_names(ctx, [found]),
        created="created" in request.query_params,
        withdrawn="withdrawn" in request.query_params,
        **_shown(request, ctx),
    )


WITHDRAWABLE = (Status.pending, Status.proposed, Status.unmatched)


@router.get("/referrals/{referral_id}/withdraw", response_class=HTMLResponse)
async def confirm_withdrawal(request: Request, referral_id: str, viewer: ReferrerViewer) -> Response:
    found = await _visible_referral(request, viewer, referral_id)
    if isinstance(found, HTMLResponse):
        return found
    ctx = Context.of(request.app)
    return _page(
        request,
        "portal_referrer_withdraw.html",
        viewer,
        r=found,
        may_withdraw=found.status in WITHDRAWABLE,
        names=await place_names(ctx, [found]),
        **_shown(request, ctx),
    )


@router.post("/referrals/{referral_id}/withdraw")
async def withdraw(request: Request, referral_id: str, viewer: ReferrerViewer) -> Response:
    fields = await read_fields(request, SMALL_FORM_LIMIT)
    if fields is None or not csrf_ok(request, viewer, _first(fields, "csrf")):
        return _expired_form(request, viewer)
    ctx = Context.of(request.app)
    try:
        await lifecycle.withdraw(ctx, viewer.principal, referral_id)
    except ProblemError as exc:
        if isinstance(exc, ReferralNotVisible):
            await record_refusal(ctx, exc)
        return _problem(request, viewer, exc)
    return RedirectResponse(f"/portal/referrer/referrals/{referral_id}?withdrawn=1", status_code=303)


# --- e-mail notice --------------------------------------------------------------------------------


async def _notices_page(
    request: Request,
    viewer: Viewer,
    *,
    email: str = "",
    events: list[str] | None = None,
    errors: dict[str, str] | None = None,
) -> HTMLResponse:
    ctx = Context.of(request.app)
    page = await notifications.list_subscriptions(ctx, viewer.principal, limit=200, offset=0)
    notice = NOTICES.get(request.query_params.get("done", ""))
    return _page(
        request,
        "portal_referrer_notices.html",
        viewer,
        422 if errors else 200,
        subscriptions=[item for item in page.items if item.email],
        email=email,
        events=events if events is not None else [event.value for event in words.DEFAULT_EVENTS],
        errors=errors or {},
        notice=_(notice) if notice else None,
        words=words,
    )


@router.get("/notices", response_class=HTMLResponse)
async def notices(request: Request, viewer: ReferrerViewer) -> Response:
    return await _notices_page(request, viewer)


@router.post("/notices", response_class=HTMLResponse)
async def subscribe(request: Request, viewer: ReferrerViewer) -> Response:
    """An e-mail subscription to the organisation's referral events (POST /v1/webhooks with `email`)."""
    fields = await read_fields(request, SMALL_FORM_LIMIT)
    if fields is None or not csrf_ok(request, viewer, _first(fields, "csrf")):
        return _expired_form(request, viewer)
    email = (_first(fields, "email") or "").strip()
    events = [event for event in fields.get("events", []) if event]
    errors: dict[str, str] = {}
    try:
        body = WebhookIn(email=email or None, events=events)  # type: ignore[arg-type]
    except ValidationError as exc:
        for error in exc.errors():
            name = str(error["loc"][0]) if error.get("loc") else "email"
            if name == "events":
                errors["events"] = _("Choose at least one of the messages listed.")
            else:
                errors["email"] = _("Give an e-mail address, such as naam@voorbeeld.nl.")
        return await _notices_page(request, viewer, email=email, events=events, errors=errors)
    if body.email is None:
        return await _notices_page(
            request,
            viewer,
            email=email,
            events=events,
            errors={"email": _("Give an e-mail address, such as naam@voorbeeld.nl.")},
        )
    try:
        await notifications.subscribe(Context.of(request.app), viewer.principal, body)
    except ProblemError as exc:
        return _problem(request, viewer, exc)
    return RedirectResponse("/portal/referrer/notices?done=subscribed", status_code=303)


@router.post("/notices/{subscription_id}/remove")
async def unsubscribe(request: Request, subscription_id: str, viewer: ReferrerViewer) -> Response:
    fields = await read_fields(request, SMALL_FORM_LIMIT)
    if fields is None or not csrf_ok(request, viewer, _first(fields, "csrf")):
        return _expired_form(request, viewer)
    try:
        await notifications.delete_subscription(Context.of(request.app), viewer.principal, subscription_id)
    except NotFound:
        return message_page(
            request,
            404,
            _("Not found"),
            _("There is no such e-mail subscription of your organisation."),
            viewer,
            home=HOME,
        )
    return RedirectResponse("/portal/referrer/notices?done=removed", status_code=303)
