"""Intake's calls to matching and capacity (docs/internal-api.md), in domain words; the answers are the
contract's models (libs/contracts)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

import httpx
from pydantic import BaseModel

from common.errors import Conflict, DependencyUnavailable, NotFound
from common.http import ServiceClient, ServiceUnavailableError, raise_for_unexpected
from contracts.capacity import (
    AvailabilityRow,
    AvailabilitySummary,
    Confirmation,
    ConfirmationOut,
    Epoch,
    FreePlaceKind,
    FreePlaces,
    HoldsRelease,
    OccupancyEnd,
    ProductionOverview,
    ProviderOut,
    StaleUnits,
    UnitFreshness,
    UnitOut,
)
from contracts.client_keys import ClientKeyPair, ClientKeyRekey, ClientKeysRekeyed
from contracts.matching import Decision, DecisionList, GroupDecision, GroupDecisionList


class MatchingUnreachable(Exception):
    """Matching (or capacity behind it) could not be reached; the request stays in the outbox."""


class MatchingRefused(Exception):
    """Matching refused the request itself: asking again with the same request cannot succeed."""

    def __init__(self, status: int, fields: list[str]) -> None:
        super().__init__(f"matching refused the request with {status}" + (f" ({', '.join(fields)})" if fields else ""))
        self.status = status
        self.fields = fields


# The statuses by which a service refuses what it was sent, as opposed to being out of reach or
# misconfigured (401, 403: the point's own credentials; 404: a route missing during a deployment;
# 408, 429: not now): sending the same again would be refused again.
REFUSED = frozenset({400, 413, 415, 422})


def _refused_fields(response: httpx.Response) -> list[str]:
    """The names of the fields a problem+json answer blames; never their messages or values."""
    try:
        body = response.json()
    except ValueError:
        return []
    errors = body.get("errors") if isinstance(body, dict) else None
    if not isinstance(errors, list):
        return []
    return [str(error.get("field")) for error in errors if isinstance(error, dict)][:10]


def _problem_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return response.text[:300]
    if isinstance(body, dict):
        return str(body.get("detail") or body.get("title") or body)
    return str(body)


async def request_decision(matching: ServiceClient, request: dict[str, Any]) -> Decision:
    """`request` in the shape of contracts.matching.DecisionRequest, sent as built: matching judges it,
    and a request it refuses is closed (MatchingRefused) rather than failing here."""
    try:
        response = await matching.post("/v1/decisions", json=request)
    except ServiceUnavailableError as exc:
        raise MatchingUnreachable(str(exc)) from exc
    if response.status_code in REFUSED:
        raise MatchingRefused(response.status_code, _refused_fields(response))
    if response.status_code != 200:
        # Anything else but a decision is retried later: the referral is safe in intake's database.
        raise MatchingUnreachable(f"matching answered {response.status_code}: {_problem_detail(response)}")
    return Decision.model_validate_json(response.content)


async def request_group_decision(matching: ServiceClient, request: dict[str, Any]) -> GroupDecision:
    """`request` in the shape of contracts.matching.GroupDecisionRequest; refused and unreachable as
    request_decision."""
    try:
        response = await matching.post("/v1/group-decisions", json=request)
    except ServiceUnavailableError as exc:
        raise MatchingUnreachable(str(exc)) from exc
    if response.status_code in REFUSED:
        raise MatchingRefused(response.status_code, _refused_fields(response))
    if response.status_code != 200:
        raise MatchingUnreachable(f"matching answered {response.status_code}: {_problem_detail(response)}")
    return GroupDecision.model_validate_json(response.content)


async def group_decisions_for(matching: ServiceClient, group_id: str) -> GroupDecisionList:
    try:
        response = await matching.get("/v1/group-decisions", params={"group_id": group_id})
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable("Matching cannot be reached right now; try again shortly.") from exc
    raise_for_unexpected(response, 200)
    return GroupDecisionList.model_validate_json(response.content)


async def decisions_for(matching: ServiceClient, referral_id: str) -> DecisionList:
    try:
        response = await matching.get("/v1/decisions", params={"referral_id": referral_id})
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable("Matching cannot be reached right now; try again shortly.") from exc
    raise_for_unexpected(response, 200)
    return DecisionList.model_validate_json(response.content)


async def _capacity_call(
    capacity: ServiceClient, method: str, path: str, json: Any = None, *, idempotent: bool = True
) -> httpx.Response:
    try:
        return await capacity.request(method, path, json=json, idempotent=idempotent)
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable("Capacity cannot be reached right now; try again shortly.") from exc


def _raise_if_refused(response: httpx.Response, what: str) -> None:
    """Capacity refusing the call itself is final: sending it again would be refused again."""
    if response.status_code in REFUSED:
        raise Conflict(f"Capacity refused to {what}: {_problem_detail(response)}")


async def release_reservation(capacity: ServiceClient, reservation_id: str) -> None:
    """Idempotent in capacity; a 409 means the place was already confirmed as a placement."""
    response = await _capacity_call(capacity, "POST", f"/v1/reservations/{reservation_id}/release")
    if response.status_code == 409:
        raise Conflict(f"The held place can no longer be released: {_problem_detail(response)}")
    if response.status_code == 404:
        return  # nothing is held any more, which is what releasing wants
    raise_for_unexpected(response, 200)


async def release_holds(
    capacity: ServiceClient, referral_id: str, keep_reservation_id: str | None, request_ids: list[str] | None
) -> None:
    """Release the places held for a referral except the one kept: those of the named match requests,
    or all. Idempotent in capacity."""
    # Not validated here: capacity judges the body, and a refusal is final (see _raise_if_refused).
    body = HoldsRelease.model_construct(
        referral_id=referral_id, keep_reservation_id=keep_reservation_id, request_ids=request_ids
    )
    response = await _capacity_call(capacity, "POST", "/v1/reservations/release", body.model_dump(mode="json"))
    _raise_if_refused(response, "release the places held")
    raise_for_unexpected(response, 200)


async def confirm_reservation(capacity: ServiceClient, reservation_id: str, start_date: date) -> ConfirmationOut:
    body = Confirmation(start_date=start_date).model_dump(mode="json")
    response = await _capacity_call(capacity, "POST", f"/v1/reservations/{reservation_id}/confirm", body)
    if response.status_code in (404, 409):
        raise Conflict(f"The held place can no longer be confirmed: {_problem_detail(response)}")
    _raise_if_refused(response, "confirm the held place")
    raise_for_unexpected(response, 200)
    return ConfirmationOut.model_validate_json(response.content)


async def end_occupancy(capacity: ServiceClient, occupancy_id: str, end_date: date) -> None:
    body = OccupancyEnd(end_date=end_date).model_dump(mode="json")
    response = await _capacity_call(capacity, "POST", f"/v1/occupancies/{occupancy_id}/end", body)
    if response.status_code in (404, 409):
        raise Conflict(f"The stay cannot be ended: {_problem_detail(response)}")
    _raise_if_refused(response, "end the stay")
    raise_for_unexpected(response, 200)


async def _get(capacity: ServiceClient, path: str) -> bytes | None:
    """The answer's body, or None for a 404."""
    response = await _capacity_call(capacity, "GET", path)
    if response.status_code == 404:
        return None
    raise_for_unexpected(response, 200)
    return response.content


async def get_provider(capacity: ServiceClient, provider_id: str) -> ProviderOut | None:
    body = await _get(capacity, f"/v1/providers/{provider_id}")
    return None if body is None else ProviderOut.model_validate_json(body)


async def get_unit(capacity: ServiceClient, unit_id: str) -> UnitOut | None:
    body = await _get(capacity, f"/v1/units/{unit_id}")
    return None if body is None else UnitOut.model_validate_json(body)


# The most units capacity names in one list by id (capacity, units.views: MAX_IDS).
UNITS_PER_CALL = 200


async def unit_names(capacity: ServiceClient, unit_ids: Iterable[str]) -> dict[str, str]:
    """The names of these units, by id, in as few calls as capacity allows; units it does not know
    are left out."""
    wanted = sorted(set(unit_ids))
    names: dict[str, str] = {}
    for start in range(0, len(wanted), UNITS_PER_CALL):
        chunk = wanted[start : start + UNITS_PER_CALL]
        try:
            response = await capacity.request(
                "GET", "/v1/units", params={"id": chunk, "limit": len(chunk)}, idempotent=True
            )
        except ServiceUnavailableError as exc:
            raise DependencyUnavailable("Capacity cannot be reached right now; try again shortly.") from exc
        raise_for_unexpected(response, 200)
        names.update({str(unit["id"]): str(unit["name"]) for unit in response.json()["items"]})
    return names


async def stale_units(capacity: ServiceClient, since: StaleUnits | None = None) -> StaleUnits:
    """The open units whose free places were last confirmed longer ago than capacity's
    REGIEPUNT_AVAILABILITY_STALE_HOURS: all of them, or (`since` an earlier answer) only those that can
    have turned stale after it; any other stale unit was stale then already."""
    query = ""
    if since is not None and since.generation is not None:
        query = "?" + urlencode(
            {"generation": since.generation, "after": since.upto, "turned_after": since.stale_before.isoformat()}
        )
    return StaleUnits.model_validate_json(await _required(capacity, f"/internal/stale-units{query}"))


async def unit_freshness(capacity: ServiceClient, since: datetime) -> UnitFreshness:
    """Per provider its open units and those confirmed at or after `since`, and the stale units."""
    query = urlencode({"since": since.isoformat()})
    return UnitFreshness.model_validate_json(await _required(capacity, f"/internal/unit-freshness?{query}"))


# Capacity's largest page.
UNIT_PAGE = 1000


async def provider_names(capacity: ServiceClient) -> dict[str, str]:
    """Every provider's name by id, page by page."""
    names: dict[str, str] = {}
    while True:
        query = urlencode({"limit": UNIT_PAGE, "offset": len(names)})
        page = _ProviderPage.model_validate_json(await _required(capacity, f"/v1/providers?{query}"))
        names.update({provider.id: provider.name for provider in page.items})
        if not page.items or len(names) >= page.total:
            return names


class _ProviderPage(BaseModel):
    items: list[ProviderOut]
    total: int


async def _required(capacity: ServiceClient, path: str) -> bytes:
    body = await _get(capacity, path)
    if body is None:
        raise NotFound(f"capacity does not answer {path}")
    return body


async def free_places_epoch(capacity: ServiceClient) -> int:
    body = await _get(capacity, "/v1/free-places-epoch")
    if body is None:
        raise NotFound("capacity has no free-places epoch")
    return Epoch.model_validate_json(body).epoch


async def free_places(capacity: ServiceClient) -> list[FreePlaceKind]:
    """The units with a free place, grouped by what their hard rules admit (capacity's /v1/free-places)."""
    return FreePlaces.model_validate_json(await _required(capacity, "/v1/free-places")).items


async def production_overview(capacity: ServiceClient) -> ProductionOverview:
    """Every provider's production agreements of this year and their use, as capacity counts them."""
    return ProductionOverview.model_validate_json(await _required(capacity, "/v1/production"))


async def availability_summary(capacity: ServiceClient) -> list[AvailabilityRow]:
    """Places per care type inside and outside the region, as capacity sums them."""
    return AvailabilitySummary.model_validate_json(await _required(capacity, "/v1/availability-summary")).items


async def rekey_client_keys(client: ServiceClient, service: str, pairs: list[tuple[str, str]]) -> int:
    """Send capacity or matching the child's old and new pseudonyms; how many of its rows changed.
    Idempotent there: a pair whose old key is gone changes nothing."""
    body = ClientKeyRekey(pairs=[ClientKeyPair(old=old, new=new) for old, new in pairs])
    try:
        response = await client.request("POST", "/v1/client-keys/rekey", json=body.model_dump(), idempotent=True)
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable(f"{service.capitalize()} cannot be reached right now; try again shortly.") from exc
    raise_for_unexpected(response, 200)
    return ClientKeysRekeyed.model_validate_json(response.content).updated
