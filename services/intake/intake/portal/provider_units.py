"""A provider's units as its pages change them: capacity's API over HTTP with intake's service token,
acting for the provider signed in (the header common.auth.ACTING_PROVIDER_HEADER), so that capacity
checks every change as it checks the provider's own calls. Capacity's database is never read here."""

from __future__ import annotations

from typing import Any

import httpx
from pydantic import ValidationError

from common.auth import ACTING_PROVIDER_HEADER, Principal
from common.errors import DependencyUnavailable, NotFound, ProblemError
from common.http import ServiceUnavailableError, raise_for_unexpected
from contracts.capacity import ProviderOut, UnitOut
from intake import clients
from intake.context import Context

# A provider runs tens of units at most; one page of capacity's list holds them all.
UNITS_PAGE = 1000


class UnitNotYours(NotFound):
    """A unit of another provider, or none: answered as a missing unit, so that ids cannot be probed."""

    def __init__(self, unit_id: str) -> None:
        super().__init__(f"No unit {unit_id} of your organisation.")


class UnitChanged(ProblemError):
    """The unit changed since the page was shown (capacity answered 412): here is how it is now."""

    status = 409
    title = "Changed meanwhile"

    def __init__(self, unit: UnitOut) -> None:
        super().__init__("The unit changed since the page was shown.")
        self.unit = unit


class UnitRefused(ProblemError):
    """Capacity refused the values (422): the fields it named, with its own words."""

    status = 422
    title = "Invalid input"

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in fields.items()))
        self.fields = fields


def _acting(principal: Principal) -> dict[str, str]:
    return {ACTING_PROVIDER_HEADER: str(principal.provider_id)}


async def _call(
    ctx: Context,
    method: str,
    path: str,
    *,
    json: Any = None,
    params: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    try:
        return await ctx.capacity.request(method, path, json=json, params=params, headers=headers)
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable("Capacity cannot be reached right now; try again shortly.") from exc


def _fields_refused(response: httpx.Response) -> dict[str, str]:
    try:
        body = response.json()
    except ValueError:
        body = {}
    errors = body.get("errors") if isinstance(body, dict) else None
    found: dict[str, str] = {}
    for error in errors if isinstance(errors, list) else []:
        if isinstance(error, dict):
            field = str(error.get("field", "")).removeprefix("body.")
            found.setdefault(field, str(error.get("message", "")))
    if not found:
        found[""] = str(body.get("detail", "")) if isinstance(body, dict) else ""
    return found


async def provider(ctx: Context, principal: Principal) -> ProviderOut | None:
    return await clients.get_provider(ctx.capacity, str(principal.provider_id))


async def units(ctx: Context, principal: Principal) -> list[UnitOut]:
    """The provider's units, open ones first, each by name."""
    response = await _call(ctx, "GET", "/v1/units", params={"provider_id": principal.provider_id, "limit": UNITS_PAGE})
    raise_for_unexpected(response, 200)
    found = [UnitOut.model_validate(item) for item in response.json()["items"]]
    return sorted(found, key=lambda unit: (unit.closed, unit.name.casefold(), unit.id))


async def own_unit(ctx: Context, principal: Principal, unit_id: str) -> UnitOut:
    """One of the provider's own units, as capacity holds it now."""
    try:
        unit = await clients.get_unit(ctx.capacity, unit_id)
    except ValidationError:
        unit = None
    if unit is None or unit.provider_id != principal.provider_id:
        raise UnitNotYours(unit_id)
    return unit


async def _changed(ctx: Context, principal: Principal, unit_id: str, response: httpx.Response) -> UnitOut:
    """The unit as capacity answered a change, or the refusal as one of this module's exceptions."""
    if response.status_code == 412:
        raise UnitChanged(await own_unit(ctx, principal, unit_id))
    if response.status_code == 422:
        raise UnitRefused(_fields_refused(response))
    if response.status_code in (403, 404):
        raise UnitNotYours(unit_id)
    raise_for_unexpected(response, 200, 201)
    return UnitOut.model_validate_json(response.content)


async def set_availability(
    ctx: Context, principal: Principal, unit_id: str, version: int, capacity: int, blocked: int
) -> UnitOut:
    """PUT /v1/units/{id}/availability with the version the page showed (If-Match)."""
    await own_unit(ctx, principal, unit_id)
    response = await _call(
        ctx,
        "PUT",
        f"/v1/units/{unit_id}/availability",
        json={"capacity": capacity, "blocked": blocked},
        headers={**_acting(principal), "If-Match": f'"{version}"'},
    )
    return await _changed(ctx, principal, unit_id, response)


async def confirm_availability(ctx: Context, principal: Principal, unit_id: str) -> UnitOut:
    await own_unit(ctx, principal, unit_id)
    response = await _call(ctx, "POST", f"/v1/units/{unit_id}/confirm-availability", headers=_acting(principal))
    return await _changed(ctx, principal, unit_id, response)


async def create_unit(ctx: Context, principal: Principal, body: dict[str, Any]) -> UnitOut:
    response = await _call(
        ctx, "POST", f"/v1/providers/{principal.provider_id}/units", json=body, headers=_acting(principal)
    )
    if response.status_code == 422:
        raise UnitRefused(_fields_refused(response))
    raise_for_unexpected(response, 201)
    return UnitOut.model_validate_json(response.content)


async def update_unit(ctx: Context, principal: Principal, unit_id: str, version: int, body: dict[str, Any]) -> UnitOut:
    """PATCH /v1/units/{id}: the details given, or `closed`; a stale version is UnitChanged."""
    await own_unit(ctx, principal, unit_id)
    response = await _call(
        ctx,
        "PATCH",
        f"/v1/units/{unit_id}",
        json=body,
        headers={**_acting(principal), "If-Match": f'"{version}"'},
    )
    return await _changed(ctx, principal, unit_id, response)
