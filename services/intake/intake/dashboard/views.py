"""The coordinators' dashboard: server-rendered pages on intake, for a coordinator signed in at /login or
calling with a bearer token."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from common.bounds import EARLIEST_DATE, LATEST_DATE
from common.errors import ProblemError
from intake import i18n
from intake.access_log.store import ReferralNotVisible, record_refusal
from intake.context import Context
from intake.dashboard import referral_page, service
from intake.dashboard.pages import message_page, read_form, render
from intake.i18n import _
from intake.indicators.period import DEFAULT_PERIOD_DAYS
from intake.sessions.browser import CoordinatorViewer, Viewer, csrf_ok

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def _problem_page(request: Request, viewer: Viewer, exc: ProblemError) -> HTMLResponse:
    return render(request, "message.html", exc.status, title=exc.title, message=exc.detail, viewer=viewer)


@router.get("", response_class=HTMLResponse)
async def overview(request: Request, gate: CoordinatorViewer) -> Response:
    ctx = Context.of(request.app)
    period = _period(request)
    if period is not None and not all(EARLIEST_DATE <= day <= LATEST_DATE for day in period):
        return message_page(
            request,
            422,
            _("Period out of range"),
            _(
                "Choose a period (from, to) between %(first)s and %(last)s; "
                "without one the dashboard shows the last %(days)s days."
            )
            % {
                "first": i18n.day(EARLIEST_DATE, "short"),
                "last": i18n.day(LATEST_DATE, "short"),
                "days": DEFAULT_PERIOD_DAYS,
            },
            gate,
        )
    try:
        data = await service.overview(
            ctx, gate.principal, period, request.query_params.get("signal_type"), _page(request)
        )
    except ProblemError as exc:
        return _problem_page(request, gate, exc)
    return render(
        request,
        "overview.html",
        viewer=gate,
        data=data,
        notice=request.query_params.get("notice"),
        refreshed_at=ctx.now(),
        refresh=True,
    )


def _page(request: Request) -> int:
    """The page of the open signals (`?page=`, from 1); the first when absent or not a number."""
    raw = request.query_params.get("page", "1")
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < len(raw) <= 6 else 1


def _period(request: Request) -> tuple[date, date] | None:
    """The indicators' period from the picker; the default period when absent or not a date."""
    try:
        chosen = date.fromisoformat(request.query_params["from"]), date.fromisoformat(request.query_params["to"])
    except (KeyError, ValueError):
        return None
    return chosen


@router.post("/signals/{signal_id}/acknowledge")
async def acknowledge_signal(request: Request, signal_id: str, gate: CoordinatorViewer) -> Response:
    form = await read_form(request)
    if not csrf_ok(request, gate, form.get("csrf")):
        return message_page(request, 403, _("Form expired"), _("Reload the page and try again."), gate)
    ctx = Context.of(request.app)
    try:
        await service.acknowledge_signal(ctx, gate.principal, signal_id, form.get("analysis", ""))
    except ProblemError as exc:
        return _problem_page(request, gate, exc)
    notice = quote(_("Signal acknowledged; the analysis is recorded."))
    return RedirectResponse(f"/dashboard?notice={notice}#signals", status_code=303)


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
async def referral(request: Request, referral_id: str, gate: CoordinatorViewer) -> Response:
    ctx = Context.of(request.app)
    try:
        page = await referral_page.referral_page(ctx, gate.principal, referral_id)
    except ProblemError as exc:
        if isinstance(exc, ReferralNotVisible):
            await record_refusal(ctx, exc)
        return _problem_page(request, gate, exc)
    return render(request, "referral.html", viewer=gate, page=page, today=ctx.today())
