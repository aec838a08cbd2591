"""The coordinators' dashboard: server-rendered pages on intake, signed in with a coordinator token."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from common.auth import SESSION_COOKIE
from common.bounds import EARLIEST_DATE, LATEST_DATE
from common.errors import ProblemError, Unauthorized
from intake.access_log.store import ReferralNotVisible, record_refusal
from intake.context import Context
from intake.dashboard import SECURITY_HEADERS, auth, labels, service
from intake.dashboard.auth import Viewer

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).resolve().parent / "templates"))
TEMPLATES.env.filters["care"] = labels.care_type
TEMPLATES.env.filters["municipality"] = labels.municipality
TEMPLATES.env.filters["detail"] = labels.detail
TEMPLATES.env.filters["number"] = labels.number
TEMPLATES.env.filters["figure"] = labels.figure
TEMPLATES.env.filters["reason"] = labels.reason
TEMPLATES.env.filters["term"] = labels.term
FORM_LIMIT = 20_000

router = APIRouter(prefix="/dashboard", include_in_schema=False)


def _render(request: Request, name: str, status_code: int = 200, **values: Any) -> HTMLResponse:
    viewer: Viewer | None = values.get("viewer")
    if viewer is not None and "csrf" not in values:
        values["csrf"] = auth.csrf_token(request, viewer)
    response = TEMPLATES.TemplateResponse(request, name, values, status_code=status_code)
    response.headers["Cache-Control"] = "no-store"
    response.headers.update(SECURITY_HEADERS)
    return response


def _sign_in_page(request: Request, *, error: str | None = None, status_code: int = 200) -> HTMLResponse:
    nonce = auth.new_sign_in_nonce()
    response = _render(request, "sign_in.html", status_code, error=error, nonce=nonce)
    response.set_cookie(
        auth.SIGN_IN_CSRF_COOKIE,
        nonce,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=auth.COOKIE_PATH,
    )
    return response


def _gate(request: Request) -> Viewer | HTMLResponse:
    """The coordinator behind the request, or the page to show instead (sign-in or refusal)."""
    viewer = auth.viewer_of(request)
    if viewer is None:
        return _sign_in_page(request, status_code=401 if request.headers.get("authorization") else 200)
    if not viewer.principal.is_coordinator:
        return _render(
            request,
            "message.html",
            403,
            title="Not for this role",
            message=f"The dashboard is for regional coordinators; this token's role is {viewer.principal.role}.",
            sign_out=viewer.from_cookie,
            viewer=viewer,
        )
    return viewer


async def _form(request: Request) -> dict[str, str]:
    raw = await request.body()
    if len(raw) > FORM_LIMIT:
        return {}
    parsed = parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)
    return {key: values[0] for key, values in parsed.items() if values}


def _problem_page(request: Request, viewer: Viewer, exc: ProblemError) -> HTMLResponse:
    return _render(request, "message.html", exc.status, title=exc.title, message=exc.detail, viewer=viewer)


@router.get("", response_class=HTMLResponse)
async def overview(request: Request) -> Response:
    gate = _gate(request)
    if not isinstance(gate, Viewer):
        return gate
    ctx = Context.of(request.app)
    period = _period(request)
    if period is not None and not all(EARLIEST_DATE <= day <= LATEST_DATE for day in period):
        return _render(
            request,
            "message.html",
            422,
            title="Periode buiten bereik",
            message=(
                f"Kies een periode (van, tot) tussen {EARLIEST_DATE:%d-%m-%Y} en {LATEST_DATE:%d-%m-%Y}; "
                "zonder periode toont het dashboard de laatste 90 dagen."
            ),
            viewer=gate,
        )
    try:
        data = await service.overview(ctx, gate.principal, period, request.query_params.get("signal_type"))
    except ProblemError as exc:
        return _problem_page(request, gate, exc)
    return _render(
        request,
        "overview.html",
        viewer=gate,
        data=data,
        notice=request.query_params.get("notice"),
        refreshed_at=ctx.now(),
        refresh=True,
    )


def _period(request: Request) -> tuple[date, date] | None:
    """The indicators' period from the picker; the default period when absent or not a date."""
    try:
        chosen = date.fromisoformat(request.query_params["from"]), date.fromisoformat(request.query_params["to"])
    except (KeyError, ValueError):
        return None
    return chosen


@router.post("/signals/{signal_id}/acknowledge")
async def acknowledge_signal(request: Request, signal_id: str) -> Response:
    gate = _gate(request)
    if not isinstance(gate, Viewer):
        return gate
    form = await _form(request)
    if not auth.csrf_ok(request, gate, form.get("csrf")):
        return _render(
            request, "message.html", 403, title="Form expired", message="Reload the page and try again.", viewer=gate
        )
    ctx = Context.of(request.app)
    try:
        await service.acknowledge_signal(ctx, gate.principal, signal_id, form.get("analysis", ""))
    except ProblemError as exc:
        return _problem_page(request, gate, exc)
    notice = quote("Signal acknowledged; the analysis is recorded.")
    return RedirectResponse(f"/dashboard?notice={notice}#signals", status_code=303)


@router.post("/sign-in")
async def sign_in(request: Request) -> Response:
    form = await _form(request)
    if not auth.sign_in_nonce_ok(request, form.get("nonce")):
        return _sign_in_page(request, error="The sign-in form had expired; please try again.", status_code=400)
    token = form.get("token", "").strip()
    if not token:
        return _sign_in_page(request, error="Paste a coordinator token.", status_code=422)
    try:
        principal = auth.check_sign_in_token(request, token)
    except Unauthorized as exc:
        return _sign_in_page(request, error=exc.detail, status_code=401)
    if not principal.is_coordinator:
        return _sign_in_page(
            request, error=f"The dashboard is for coordinators; this token's role is {principal.role}.", status_code=403
        )
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        path=auth.COOKIE_PATH,
    )
    response.delete_cookie(auth.SIGN_IN_CSRF_COOKIE, path=auth.COOKIE_PATH)
    return response


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    viewer = auth.viewer_of(request)
    form = await _form(request)
    if viewer is not None and not auth.csrf_ok(request, viewer, form.get("csrf")):
        return _render(request, "message.html", 403, title="Form expired", message="Reload the page and try again.")
    response = RedirectResponse("/dashboard", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path=auth.COOKIE_PATH, httponly=True, samesite="strict")
    return response


@router.get("/referrals/{referral_id}", response_class=HTMLResponse)
async def referral(request: Request, referral_id: str) -> Response:
    gate = _gate(request)
    if not isinstance(gate, Viewer):
        return gate
    ctx = Context.of(request.app)
    try:
        page = await service.referral_page(ctx, gate.principal, referral_id)
    except ProblemError as exc:
        if isinstance(exc, ReferralNotVisible):
            await record_refusal(ctx, exc)
        return _problem_page(request, gate, exc)
    return _render(request, "referral.html", viewer=gate, page=page, today=ctx.today())
