"""The published OpenAPI of each service lists the paths of the public contract word for word, so that
the systems of referrers and providers find every call where the contract says it is. (The dashboard
is a browser page and stays out of the API description.)"""

from __future__ import annotations

import httpx

CAPACITY = {
    ("post", "/v1/providers"),
    ("get", "/v1/providers"),
    ("get", "/v1/providers/{id}"),
    ("post", "/v1/providers/{provider_id}/units"),
    ("get", "/v1/units"),
    ("get", "/v1/units/{id}"),
    ("put", "/v1/units/{id}/availability"),
    ("get", "/v1/providers/{id}/production"),
}
INTAKE = {
    ("post", "/v1/referrals"),
    ("get", "/v1/referrals"),
    ("get", "/v1/referrals/{id}"),
    ("post", "/v1/referrals/{id}/accept"),
    ("post", "/v1/referrals/{id}/decline"),
    ("post", "/v1/referrals/{id}/withdraw"),
    ("post", "/v1/referrals/{id}/end"),
    ("post", "/v1/referrals/{id}/extend-crisis"),
    ("post", "/v1/referrals/{id}/signals"),
    ("get", "/v1/signals"),
    ("post", "/v1/signals/{id}/acknowledge"),
    ("get", "/v1/kpis"),
    ("get", "/v1/vocabulary"),
}


async def _operations(client: httpx.AsyncClient) -> set[tuple[str, str]]:
    spec = (await client.get("/openapi.json")).json()
    return {(method, path) for path, item in spec["paths"].items() for method in item}


async def test_capacity_publishes_the_contract_paths(capacity: httpx.AsyncClient) -> None:
    missing = CAPACITY - await _operations(capacity)
    assert not missing, missing


async def test_intake_publishes_the_contract_paths(intake: httpx.AsyncClient) -> None:
    missing = INTAKE - await _operations(intake)
    assert not missing, missing
