"""Shared helpers of the intake tests: tokens, bodies, and capacity data made through its public API."""

from __future__ import annotations

import itertools
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI

from common.http import ServiceClient
from common.testing import bearer, service_bearer, token

REFERRER_ORG = "Wijkteam Delft"
REFERRER = bearer("referrer", org=REFERRER_ORG, sub="anna", referrer_type="local_team")
OTHER_REFERRER = bearer("referrer", org="Huisartsenpraktijk Rijswijk", sub="bart", referrer_type="gp")
COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
# The token intake calls capacity and matching with.
SERVICE = service_bearer("intake")

VALID_BSN = "111222333"
OTHER_VALID_BSN = "123456782"

# Decided before the tests' clock (2026-11-02) and valid for half a year.
COURT_AUTHORISATION = {"kind": "machtiging", "decided_on": "2026-10-01", "valid_until": "2027-04-01"}

_agb_numbers = itertools.count(20_000_001)
_citizen_numbers = itertools.count(10_000_000)


def fresh_bsn() -> str:
    """A citizen number no other helper hands out, passing the eleven-test."""
    while True:
        digits = f"{next(_citizen_numbers):08d}"
        last = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if last < 10:
            return digits + str(last)


def provider_headers(provider_id: str) -> dict[str, str]:
    return bearer("provider", org=f"org-{provider_id[:8]}", sub="piet", provider_id=provider_id)


def referral_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "client": {"bsn": VALID_BSN, "birth_date": "2012-05-01", "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "part_time": False,
        "requested_start": "2026-12-01",
        "out_of_region": None,
        "notes": "Thuissituatie onhoudbaar.",
    }
    body.update(overrides)
    if body["care_type"] == "secure" and "court_authorisation" not in overrides:
        # Closed youth care needs the court's authorisation (test_court_authorisation.py).
        body["court_authorisation"] = dict(COURT_AUTHORISATION)
    return body


def with_client(**client: Any) -> dict[str, Any]:
    body = referral_body()
    body["client"] = {**body["client"], **client}
    return body


async def submit(
    intake: httpx.AsyncClient,
    body: dict[str, Any] | None = None,
    *,
    headers: dict[str, str] | None = None,
    key: str | None = None,
) -> httpx.Response:
    sent = dict(headers or REFERRER)
    if key is not None:
        sent["Idempotency-Key"] = key
    return await intake.post("/v1/referrals", json=body or referral_body(), headers=sent)


async def submitted(intake: httpx.AsyncClient, body: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
    response = await submit(intake, body, **kwargs)
    assert response.status_code == 201, response.text
    referral: dict[str, Any] = response.json()
    return referral


async def create_provider(capacity: httpx.AsyncClient, *, role: str = "tactical", name: str = "Horizon") -> str:
    response = await capacity.post(
        "/v1/providers",
        json={"name": name, "agb_code": str(next(_agb_numbers)), "role": role},
        headers=COORDINATOR,
    )
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


async def create_unit(client: httpx.AsyncClient, provider_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Groep De Linde",
        "care_type": "residential",
        "target_groups": ["jo"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "capacity": 1,
        "specialisms": ["trauma"],
        "part_time": False,
    }
    body.update(overrides)
    response = await client.post(f"/v1/providers/{provider_id}/units", json=body, headers=COORDINATOR)
    assert response.status_code == 201, response.text
    unit: dict[str, Any] = response.json()
    return unit


async def unit_state(capacity: httpx.AsyncClient, unit_id: str) -> dict[str, Any]:
    response = await capacity.get(f"/v1/units/{unit_id}", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    unit: dict[str, Any] = response.json()
    return unit


async def provider_with_unit(
    client: httpx.AsyncClient, *, role: str = "tactical", **overrides: Any
) -> tuple[str, dict[str, Any]]:
    """A provider and one unit in capacity; `client` is the capacity test client."""
    provider_id = await create_provider(client, role=role)
    return provider_id, await create_unit(client, provider_id, **overrides)


@asynccontextmanager
async def peer_replaced(
    app: FastAPI, peer: str, transport: httpx.AsyncBaseTransport | None = None
) -> AsyncIterator[None]:
    """Intake's client of `peer` ("matching" or "capacity") goes through `transport` for a while, or,
    without one, to an address where nothing listens: the other service is out of reach."""
    real: ServiceClient = getattr(app.state, peer)
    replacement = ServiceClient(
        f"http://{peer}" if transport is not None else "http://127.0.0.1:9",
        service_name="intake",
        tokens=app.state.service_tokens,
        timeout=0.5,
        retries=1,
        transport=transport,
    )
    setattr(app.state, peer, replacement)
    try:
        yield
    finally:
        setattr(app.state, peer, real)
        await replacement.aclose()


SIGN_IN_NONCE = re.compile(r'name="nonce" value="([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
PERSON_CLAIMS: dict[str, dict[str, str | None]] = {
    "referrer": {"referrer_type": "local_team"},
    "provider": {"provider_id": "p-1"},
}


async def sign_in(
    intake: httpx.AsyncClient, role: str = "coordinator", *, next_path: str | None = None, **headers: str
) -> httpx.Response:
    """Signs the client's browser in at /login with a pasted token (development: no identity provider)."""
    page = await intake.get("/login", params={"next": next_path} if next_path else None, headers=headers)
    nonce = SIGN_IN_NONCE.search(page.text)
    assert nonce, page.text
    form = {
        "token": token(role, org="Regiepunt Haaglanden", sub="coco", **PERSON_CLAIMS.get(role, {})),
        "nonce": nonce[1],
    }
    if next_path:
        form["next"] = next_path
    return await intake.post("/login", data=form, headers=headers)


async def csrf_of(intake: httpx.AsyncClient, path: str = "/dashboard") -> str:
    """The CSRF token a signed-in browser's page carries in its forms."""
    found = CSRF.search((await intake.get(path)).text)
    assert found, "the page holds no form with a CSRF token"
    return found[1]
