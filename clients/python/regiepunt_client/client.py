"""`Regiepunt`: the point's calls that referrers' and providers' systems make, on the generated client.

Each method sends through the generated package (or, where the contract is wider than today's
document, through the same httpx client), raises the typed errors of `regiepunt_client.errors` for
every refusal, and returns the generated models. Units remember the version they were last read at,
so that a change is sent with `If-Match` without the caller keeping it, and a stale one (412) is
redone once on a fresh read."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any, TypeVar

import httpx

from regiepunt_client.errors import PreconditionFailed, Unavailable, raise_for_problem
from regiepunt_client.generated.capacity import AuthenticatedClient as CapacityClient
from regiepunt_client.generated.capacity.api.units import get_unit, update_availability
from regiepunt_client.generated.capacity.models import AvailabilityUpdate, UnitOut
from regiepunt_client.generated.intake import AuthenticatedClient as IntakeClient
from regiepunt_client.generated.intake.api.indicators import get_kpis
from regiepunt_client.generated.intake.api.referrals import accept_referral, get_referral, withdraw_referral
from regiepunt_client.generated.intake.api.webhooks import create_webhook
from regiepunt_client.generated.intake.models import (
    AcceptIn,
    EventType,
    KpiReport,
    ReferralIn,
    ReferralOut,
    WebhookCreated,
    WebhookIn,
)
from regiepunt_client.transport import PointTransport, RefreshingToken, StaticToken, TokenSource

T = TypeVar("T")

# A referral whose status is one of these has its answer: the point is done with it for now.
ANSWERED = frozenset({"proposed", "placed", "unmatched", "withdrawn", "ended"})
DECLINE_REASON_CODES = (
    "no_free_place",
    "needs_not_met",
    "group_composition",
    "staffing",
    "child_or_family_wishes",
    "safety",
    "other",
)
PAGE_SIZE = 100


def _tokens(token: str | Callable[[], str] | TokenSource) -> TokenSource:
    if isinstance(token, str):
        return StaticToken(token)
    if callable(token):
        return RefreshingToken(token)
    return token


def _parsed(response: Any, parse: Callable[[dict[str, Any]], T]) -> T:
    """The body of a generated call's answer as its model, or the typed error of a refusal."""
    raw = httpx.Response(response.status_code, headers=response.headers, content=response.content)
    raise_for_problem(raw)
    return parse(raw.json())


class Regiepunt:
    """The point as a referrer's or provider's system sees it.

    `api_url` is intake's address, `capacity_url` capacity's (the same behind one ingress);
    `token` a bearer token, a function that returns one (called again before it expires and after a
    401), or any `TokenSource` such as `ClientCredentials`."""

    def __init__(
        self,
        api_url: str,
        token: str | Callable[[], str] | TokenSource,
        *,
        capacity_url: str | None = None,
        timeout: float = 30.0,
        retries: int = 4,
        max_wait: float = 30.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.transport = PointTransport(_tokens(token), retries=retries, max_wait=max_wait, inner=transport)
        api_url = api_url.rstrip("/")
        capacity_url = (capacity_url or api_url).rstrip("/")
        self._intake_http = httpx.Client(base_url=api_url, transport=self.transport, timeout=timeout)
        self._capacity_http = httpx.Client(base_url=capacity_url, transport=self.transport, timeout=timeout)
        # The generated clients, sending through the transport above; usable directly for any other call.
        self.intake = IntakeClient(base_url=api_url, token="").set_httpx_client(self._intake_http)
        self.capacity = CapacityClient(base_url=capacity_url, token="").set_httpx_client(self._capacity_http)
        self._unit_versions: dict[str, int] = {}

    def close(self) -> None:
        self._intake_http.close()
        self._capacity_http.close()

    def __enter__(self) -> Regiepunt:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # --- plumbing -----------------------------------------------------------------------------------

    def _send(self, http: httpx.Client, method: str, path: str, **kwargs: Any) -> Any:
        try:
            response = http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise Unavailable(f"the point cannot be reached at {http.base_url}: {exc}") from exc
        raise_for_problem(response)
        return response.json() if response.content else None

    def _call(self, call: Callable[[], Any], parse: Callable[[dict[str, Any]], T], where: httpx.Client) -> T:
        try:
            response = call()
        except httpx.TransportError as exc:
            raise Unavailable(f"the point cannot be reached at {where.base_url}: {exc}") from exc
        return _parsed(response, parse)

    def _pages(self, http: httpx.Client, path: str, params: Mapping[str, Any]) -> Iterator[dict[str, Any]]:
        """Every item of a list, page by page: `{items, ..., next_offset}` (a bare list is one page)."""
        query = {key: value for key, value in params.items() if value is not None}
        query.setdefault("limit", PAGE_SIZE)
        offset = int(query.pop("offset", 0))
        while True:
            body = self._send(http, "GET", path, params={**query, "offset": offset})
            if isinstance(body, list):
                yield from body
                return
            yield from body.get("items", [])
            next_offset = body.get("next_offset")
            if next_offset is None or not body.get("items"):
                return
            offset = int(next_offset)

    # --- referrals ----------------------------------------------------------------------------------

    def submit_referral(
        self, referral: ReferralIn | Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> ReferralOut:
        """Submit a referral; the answer is usually already `proposed` or `unmatched`. Without
        `idempotency_key` a new key is made, and kept across the transport's retries."""
        body = referral.to_dict() if isinstance(referral, ReferralIn) else dict(referral)
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else {}
        return ReferralOut.from_dict(self._send(self._intake_http, "POST", "/v1/referrals", json=body, headers=headers))

    def referral(self, referral_id: str) -> ReferralOut:
        return self._call(
            lambda: get_referral.sync_detailed(referral_id, client=self.intake),
            ReferralOut.from_dict,
            self._intake_http,
        )

    def referrals(self, *, status: str | None = None, limit: int | None = None) -> list[ReferralOut]:
        """The referrals the caller may see (a referrer its own, a provider those proposed to or placed
        with it), newest first; at most `limit` of them."""
        found: list[ReferralOut] = []
        for item in self._pages(self._intake_http, "/v1/referrals", {"status": status}):
            found.append(ReferralOut.from_dict(item))
            if limit is not None and len(found) >= limit:
                break
        return found

    def wait_for_answer(
        self,
        referral_id: str,
        *,
        until: frozenset[str] = ANSWERED,
        timeout: float = 300.0,
        interval: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> ReferralOut:
        """Read the referral until its status is one of `until` (by default: answered), or `timeout`
        seconds have passed; returns the last read either way."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.referral(referral_id)
            if str(current.status) in until or time.monotonic() >= deadline:
                return current
            sleep(interval)

    def withdraw(self, referral_id: str) -> ReferralOut:
        return self._call(
            lambda: withdraw_referral.sync_detailed(referral_id, client=self.intake),
            ReferralOut.from_dict,
            self._intake_http,
        )

    # --- proposals (providers) ----------------------------------------------------------------------

    def proposals(self) -> list[ReferralOut]:
        """The referrals proposed to the caller's provider and waiting for its answer."""
        return self.referrals(status="proposed")

    def accept(self, referral_id: str, start_date: date) -> ReferralOut:
        return self._call(
            lambda: accept_referral.sync_detailed(
                referral_id, client=self.intake, body=AcceptIn(start_date=start_date)
            ),
            ReferralOut.from_dict,
            self._intake_http,
        )

    def decline(self, referral_id: str, *, reason_code: str = "other", reason: str | None = None) -> ReferralOut:
        """Decline a proposal with a reason code (`DECLINE_REASON_CODES`) and, optionally, words."""
        body: dict[str, Any] = {"reason_code": reason_code}
        if reason:
            body["reason"] = reason
        answer = self._send(self._intake_http, "POST", f"/v1/referrals/{referral_id}/decline", json=body)
        # The decline's answer is the referral, as it stands once the point matched it again.
        return ReferralOut.from_dict(answer.get("referral", answer))

    # --- units (providers) --------------------------------------------------------------------------

    def _remember(self, unit: UnitOut) -> UnitOut:
        self._unit_versions[unit.id] = unit.version
        return unit

    def unit(self, unit_id: str) -> UnitOut:
        return self._remember(
            self._call(
                lambda: get_unit.sync_detailed(unit_id, client=self.capacity), UnitOut.from_dict, self._capacity_http
            )
        )

    def units(self, **filters: Any) -> list[UnitOut]:
        """Units, filtered as capacity's GET /v1/units (`care_type`, `target_group`, `age`, `in_region`,
        `available_only`, `provider_id`)."""
        params = {key: str(value).lower() if isinstance(value, bool) else value for key, value in filters.items()}
        return [
            self._remember(UnitOut.from_dict(item)) for item in self._pages(self._capacity_http, "/v1/units", params)
        ]

    def set_availability(
        self, unit_id: str, *, free: int | None = None, capacity: int | None = None, blocked: int | None = None
    ) -> UnitOut:
        """Change a unit's places, sent with If-Match at the version last read (read first if never).
        `free` is the number of places to show as free: capacity becomes occupied + reserved + blocked
        + free, worked out again on a fresh read when the unit changed meanwhile (412)."""
        if unit_id not in self._unit_versions:
            self.unit(unit_id)
        try:
            return self._put_availability(unit_id, free=free, capacity=capacity, blocked=blocked, unit=None)
        except PreconditionFailed:
            return self._put_availability(
                unit_id, free=free, capacity=capacity, blocked=blocked, unit=self.unit(unit_id)
            )

    def _put_availability(
        self, unit_id: str, *, free: int | None, capacity: int | None, blocked: int | None, unit: UnitOut | None
    ) -> UnitOut:
        if free is not None or capacity is None or blocked is None:
            unit = unit or self.unit(unit_id)
        new_blocked = blocked if blocked is not None else (unit.blocked if unit else 0)
        if free is not None:
            assert unit is not None
            new_capacity = unit.occupied + unit.reserved + new_blocked + free
        elif capacity is not None:
            new_capacity = capacity
        else:
            assert unit is not None
            new_capacity = unit.capacity
        version = str(self._unit_versions[unit_id])
        body = AvailabilityUpdate(capacity=new_capacity, blocked=new_blocked)
        return self._remember(
            self._call(
                lambda: update_availability.sync_detailed(unit_id, client=self.capacity, body=body, if_match=version),
                UnitOut.from_dict,
                self._capacity_http,
            )
        )

    # --- notifications ------------------------------------------------------------------------------

    def subscribe(self, url: str, events: list[str]) -> WebhookCreated:
        """Subscribe a webhook receiver to events (`referral.proposed`, ...); the answer carries the
        `whsec_` secret that `regiepunt_client.webhooks.verify` checks deliveries with."""
        body = WebhookIn(url=url, events=[EventType(event) for event in events])
        return self._call(
            lambda: create_webhook.sync_detailed(client=self.intake, body=body),
            WebhookCreated.from_dict,
            self._intake_http,
        )

    # --- indicators (coordinators) ------------------------------------------------------------------

    def kpis(self, *, date_from: date | None = None, date_to: date | None = None) -> KpiReport:
        from regiepunt_client.generated.intake.types import UNSET

        return self._call(
            lambda: get_kpis.sync_detailed(
                client=self.intake, from_=date_from if date_from else UNSET, to=date_to if date_to else UNSET
            ),
            KpiReport.from_dict,
            self._intake_http,
        )
