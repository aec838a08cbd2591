"""The provider pages' forms of a unit's details: a unit added, its details changed, a unit that stops
closed (or opened again); capacity's API acting for the provider, as on the provider's page."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from common.errors import ProblemError
from contracts import geography
from intake.context import Context
from intake.dashboard.pages import FORM_LIMIT, render
from intake.portal import provider_forms as forms
from intake.portal import provider_units
from intake.portal.provider import ID, ProviderViewer, done_page, form_expired, not_found, problem
from intake.portal.provider_forms import CARE_TYPES, TARGET_GROUPS, Checked
from intake.sessions.browser import Viewer, csrf_ok

router = APIRouter(prefix="/portal", include_in_schema=False)


async def _unit_form(request: Request) -> dict[str, list[str]]:
    raw = await request.body()
    if len(raw) > FORM_LIMIT:
        return {}
    return parse_qs(raw.decode("utf-8", errors="replace"), keep_blank_values=True)


def _unit_page(
    request: Request, viewer: Viewer, status_code: int, unit: Any, checked: Checked | None, *, changed: bool = False
) -> HTMLResponse:
    ctx = Context.of(request.app)
    return render(
        request,
        "portal_provider_unit.html",
        status_code,
        viewer=viewer,
        home="/portal",
        unit=unit,
        form=checked or Checked(),
        changed=changed,
        care_types=CARE_TYPES,
        target_groups=TARGET_GROUPS,
        needs=ctx.vocabulary.needs,
        region=ctx.settings.region_municipalities,
        municipalities=municipalities_by_region(ctx.settings.region_municipalities),
    )


def municipalities_by_region(region: tuple[str, ...]) -> list[tuple[str, str, bool]]:
    """(code, name, inside the region) of every municipality, the region's first, each by name."""
    every = geography.municipalities().values()
    return sorted(
        ((m.code, m.name, m.code in region) for m in every), key=lambda item: (not item[2], item[1].casefold())
    )


@router.get("/units/new", response_class=HTMLResponse)
async def new_unit(request: Request, viewer: ProviderViewer) -> Response:
    return _unit_page(request, viewer, 200, None, None)


@router.post("/units")
async def add_unit(request: Request, viewer: ProviderViewer) -> Response:
    form = await _unit_form(request)
    if not csrf_ok(request, viewer, (form.get("csrf") or [""])[0]):
        return form_expired(request, viewer)
    ctx = Context.of(request.app)
    checked = forms.unit_details(form, ctx.vocabulary, new=True)
    if not checked.ok:
        return _unit_page(request, viewer, 422, None, checked)
    try:
        unit = await provider_units.create_unit(ctx, viewer.principal, checked.values)
    except provider_units.UnitRefused as exc:
        checked.errors.update(forms.capacity_said(exc.fields, set(checked.typed)))
        return _unit_page(request, viewer, 422, None, checked)
    except ProblemError as exc:
        return problem(request, viewer, exc)
    return done_page("unit_added", f"unit-{unit.id}")


@router.get("/units/{unit_id}", response_class=HTMLResponse)
async def edit_unit(request: Request, unit_id: str, viewer: ProviderViewer) -> Response:
    if not ID.fullmatch(unit_id):
        return not_found(request, viewer)
    try:
        unit = await provider_units.own_unit(Context.of(request.app), viewer.principal, unit_id)
    except ProblemError as exc:
        return problem(request, viewer, exc)
    return _unit_page(request, viewer, 200, unit, None)


@router.post("/units/{unit_id}")
async def save_unit(request: Request, unit_id: str, viewer: ProviderViewer) -> Response:
    if not ID.fullmatch(unit_id):
        return not_found(request, viewer)
    form = await _unit_form(request)
    if not csrf_ok(request, viewer, (form.get("csrf") or [""])[0]):
        return form_expired(request, viewer)
    ctx = Context.of(request.app)
    version = forms.version_of({"version": (form.get("version") or [""])[0]})
    closing = (form.get("closed") or [""])[0]
    try:
        unit = await provider_units.own_unit(ctx, viewer.principal, unit_id)
        if closing in ("true", "false"):
            # Closing (or opening again) is its own button: the details stay as they are.
            await provider_units.update_unit(
                ctx,
                viewer.principal,
                unit_id,
                version if version is not None else unit.version,
                {"closed": closing == "true"},
            )
            return done_page("unit_closed" if closing == "true" else "unit_opened", f"unit-{unit_id}")
        checked = forms.unit_details(form, ctx.vocabulary, new=False)
        if not checked.ok or version is None:
            return _unit_page(request, viewer, 422, unit, checked)
        await provider_units.update_unit(ctx, viewer.principal, unit_id, version, checked.values)
    except provider_units.UnitChanged as exc:
        return _unit_page(request, viewer, 409, exc.unit, None, changed=True)
    except provider_units.UnitRefused as exc:
        checked = forms.unit_details(form, ctx.vocabulary, new=False)
        checked.errors.update(forms.capacity_said(exc.fields, set(checked.typed)))
        return _unit_page(request, viewer, 422, unit, checked)
    except ProblemError as exc:
        return problem(request, viewer, exc)
    return done_page("unit_saved", f"unit-{unit_id}")
