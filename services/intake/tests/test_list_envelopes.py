"""Every list of every service answers one envelope, `{items, total, limit, offset, next_offset}`, over
real HTTP, and its OpenAPI document declares the five fields as always present."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from intake_support import COORDINATOR, REFERRER, SERVICE, fresh_bsn, provider_with_unit, submitted, with_client

from common.testing import bearer

ENVELOPE = {"items", "total", "limit", "offset", "next_offset"}
AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="audrey")

# (service, path with {ids}, who asks): every GET of the three services that answers a list.
LISTS = [
    ("capacity", "/v1/providers", COORDINATOR),
    ("capacity", "/v1/units", COORDINATOR),
    ("capacity", "/v1/availability-summary", COORDINATOR),
    ("capacity", "/v1/free-places", SERVICE),
    ("capacity", "/v1/production", COORDINATOR),
    ("capacity", "/v1/providers/{provider_id}/production", COORDINATOR),
    ("intake", "/v1/referrals", COORDINATOR),
    ("intake", "/v1/signals", COORDINATOR),
    ("intake", "/v1/access-log", AUDITOR),
    ("intake", "/v1/referrals/{referral_id}/access-log", COORDINATOR),
    ("intake", "/v1/referrals/{referral_id}/decision", COORDINATOR),
    ("intake", "/v1/referrals/{referral_id}/one-on-one", COORDINATOR),
    ("intake", "/v1/referral-groups/{group_id}/decisions", COORDINATOR),
    ("intake", "/v1/webhooks", REFERRER),
    ("intake", "/v1/webhooks/{webhook_id}/deliveries", REFERRER),
    ("matching", "/v1/decisions?referral_id={referral_id}", SERVICE),
    ("matching", "/v1/group-decisions?group_id={group_id}", SERVICE),
]


@pytest.fixture
async def clients(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, intake: httpx.AsyncClient
) -> dict[str, httpx.AsyncClient]:
    return {"capacity": capacity, "matching": matching, "intake": intake}


async def _ids(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> dict[str, str]:
    provider_id, _ = await provider_with_unit(capacity, role="strategic")
    referral = await submitted(intake, with_client(bsn=fresh_bsn()))
    group = await intake.post(
        "/v1/referral-groups",
        json={"referrals": [with_client(bsn=fresh_bsn()), with_client(bsn=fresh_bsn())], "keep_together": True},
        headers=REFERRER,
    )
    assert group.status_code == 201, group.text
    webhook = await intake.post(
        "/v1/webhooks", json={"email": "wijkteam@example.org", "events": ["referral.placed"]}, headers=REFERRER
    )
    assert webhook.status_code == 201, webhook.text
    return {
        "provider_id": provider_id,
        "referral_id": referral["id"],
        "group_id": group.json()["id"],
        "webhook_id": webhook.json()["id"],
    }


async def test_every_list_answers_the_one_envelope(clients: dict[str, httpx.AsyncClient]) -> None:
    ids = await _ids(clients["intake"], clients["capacity"])
    for service, path, headers in LISTS:
        response = await clients[service].get(path.format(**ids), headers=headers)
        assert response.status_code == 200, (path, response.text)
        body: dict[str, Any] = response.json()
        assert body.keys() >= ENVELOPE, (path, sorted(body))
        assert body["total"] >= len(body["items"]), path
        assert body["offset"] == 0 and body["limit"] >= len(body["items"]), path
        assert body["next_offset"] is None or body["next_offset"] == len(body["items"]), path


async def test_paged_lists_count_everything_and_point_to_the_next_page(clients: dict[str, httpx.AsyncClient]) -> None:
    for _ in range(3):
        await provider_with_unit(clients["capacity"], role="tactical")
        await submitted(clients["intake"], with_client(bsn=fresh_bsn()))
    for service, path in (("capacity", "/v1/providers"), ("capacity", "/v1/units"), ("intake", "/v1/referrals")):
        first = (await clients[service].get(path, params={"limit": 2}, headers=COORDINATOR)).json()
        assert (first["total"], len(first["items"]), first["next_offset"]) == (3, 2, 2), path
        last = (await clients[service].get(path, params={"limit": 2, "offset": 2}, headers=COORDINATOR)).json()
        assert (last["total"], len(last["items"]), last["next_offset"]) == (3, 1, None), path


@pytest.mark.parametrize("service", ["capacity", "intake", "matching"])
async def test_every_list_in_the_openapi_documents_declares_the_envelope(
    clients: dict[str, httpx.AsyncClient], service: str
) -> None:
    spec = (await clients[service].get("/openapi.json")).json()
    schemas = spec["components"]["schemas"]

    def resolved(schema: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in schema:
            schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
        return schema

    documented = set()
    for path, item in spec["paths"].items():
        operation = item.get("get")
        content = (operation or {}).get("responses", {}).get("200", {}).get("content", {})
        schema = resolved(content.get("application/json", {}).get("schema", {}))
        if "items" in schema.get("properties", {}):
            assert set(schema.get("required", [])) >= ENVELOPE, (path, schema.get("required"))
            documented.add(path.split("?")[0])
    tested = {path.split("?")[0] for name, path, _ in LISTS if name == service}
    # Every documented list is among those the test calls.
    assert documented <= {
        p.replace("{provider_id}", "{id}")
        .replace("{referral_id}", "{id}")
        .replace("{group_id}", "{id}")
        .replace("{webhook_id}", "{id}")
        for p in tested
    }
