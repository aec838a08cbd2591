"""Test factories for capacity data, created through the real HTTP API.

Other services' tests import these too; keep the signatures stable.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx

from common.testing import bearer, service_bearer

_agb_numbers = itertools.count(10_000_001)

COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden")
# The tokens of the services that call capacity: intake confirms, ends and releases; matching holds
# places and asks for candidates.
SERVICE = service_bearer("intake")
FROM_MATCHING = service_bearer("matching")


def provider_headers(provider_id: str) -> dict[str, str]:
    return bearer("provider", org="test-provider", provider_id=provider_id)


def unit_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "name": "Groep De Linde",
        "care_type": "residential",
        "target_groups": ["jo"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "capacity": 4,
        "specialisms": ["trauma"],
        "part_time": False,
    }
    body.update(overrides)
    return body


async def create_provider(
    client: httpx.AsyncClient,
    *,
    name: str = "Jeugdzorg Haaglanden",
    role: str = "tactical",
    agb_code: str | None = None,
) -> dict[str, Any]:
    response = await client.post(
        "/v1/providers",
        json={"name": name, "agb_code": agb_code or str(next(_agb_numbers)), "role": role},
        headers=COORDINATOR,
    )
    assert response.status_code == 201, response.text
    provider: dict[str, Any] = response.json()
    return provider


async def create_unit(client: httpx.AsyncClient, provider_id: str, **overrides: Any) -> dict[str, Any]:
    response = await client.post(f"/v1/providers/{provider_id}/units", json=unit_body(**overrides), headers=COORDINATOR)
    assert response.status_code == 201, response.text
    unit: dict[str, Any] = response.json()
    return unit


async def create_provider_with_unit(
    client: httpx.AsyncClient, *, role: str = "tactical", **overrides: Any
) -> tuple[dict[str, Any], dict[str, Any]]:
    provider = await create_provider(client, role=role)
    return provider, await create_unit(client, provider["id"], **overrides)


async def reserve(
    client: httpx.AsyncClient,
    unit_id: str,
    *,
    referral_id: str | None = None,
    client_key: str = "ck-test",
    expires_at: datetime | None = None,
    now: datetime | None = None,
    request_id: str | None = None,
) -> httpx.Response:
    """POST a reservation; expires_at defaults to 48 hours after `now` (pass the test clock's time)."""
    if expires_at is None:
        expires_at = (now or datetime.fromisoformat("2026-11-02T09:00:00+00:00")) + timedelta(hours=48)
    body = {
        "referral_id": referral_id or str(uuid.uuid4()),
        "client_key": client_key,
        "expires_at": expires_at.isoformat(),
    }
    if request_id is not None:
        body["request_id"] = request_id
    return await client.post(f"/v1/units/{unit_id}/reservations", json=body, headers=FROM_MATCHING)


async def get_unit(client: httpx.AsyncClient, unit_id: str) -> dict[str, Any]:
    response = await client.get(f"/v1/units/{unit_id}", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    unit: dict[str, Any] = response.json()
    return unit
