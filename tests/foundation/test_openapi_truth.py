"""The published OpenAPI documents tell clients the truth: every error an operation can send is
documented as problem+json, each operation has a stable id and declares the bearer scheme when it needs
a token, and the bounds the documents declare (pages, offsets, period dates) are the bounds the services
enforce, answered 422 naming the field instead of 500."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from common.bounds import MAX_OFFSET
from common.testing import bearer

PROBLEM = {"$ref": "#/components/schemas/Problem"}
COORDINATOR = bearer("coordinator")
ERROR_STATUSES = {"400", "401", "403", "404", "409", "412", "413", "422", "428", "503"}

OPERATION_IDS = {
    "capacity": {
        "create_provider",
        "list_providers",
        "get_provider",
        "create_unit",
        "list_units",
        "get_unit",
        "update_availability",
        "update_provider",
        "get_provider_production",
    },
    "intake": {
        "submit_referral",
        "get_referral",
        "list_referrals",
        "accept_referral",
        "decline_referral",
        "withdraw_referral",
        "end_stay",
        "extend_crisis",
        "raise_signal",
        "list_signals",
        "acknowledge_signal",
        "get_kpis",
        "export_placements",
        "export_signals",
        "get_vocabulary",
    },
    "matching": {"take_decision", "list_decisions", "get_decision"},
}
# (service, path, the largest page the service answers)
LISTS = [
    ("capacity", "/v1/providers", 1000),
    ("capacity", "/v1/units", 1000),
    ("intake", "/v1/referrals", 200),
    ("intake", "/v1/signals", 200),
]


@pytest.fixture
def services(capacity: httpx.AsyncClient, matching: httpx.AsyncClient, intake: httpx.AsyncClient) -> dict[str, Any]:
    return {"capacity": capacity, "matching": matching, "intake": intake}


async def _spec(client: httpx.AsyncClient) -> dict[str, Any]:
    response = await client.get("/openapi.json")
    assert response.status_code == 200
    spec: dict[str, Any] = response.json()
    return spec


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(method, path, operation) for path, item in spec["paths"].items() for method, operation in item.items()]


def _parameter(spec: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    parameters = spec["paths"][path]["get"]["parameters"]
    schema: dict[str, Any] = next(p for p in parameters if p["name"] == name)["schema"]
    return schema


@pytest.mark.parametrize("service", ["capacity", "intake", "matching"])
async def test_every_error_is_documented_as_problem_json(services: dict[str, Any], service: str) -> None:
    spec = await _spec(services[service])
    assert "HTTPValidationError" not in spec["components"]["schemas"]
    assert "ValidationError" not in spec["components"]["schemas"]
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "detail"}
    assert set(problem["properties"]) == {"type", "title", "status", "detail", "errors"}
    for method, path, operation in _operations(spec):
        for status, response in operation["responses"].items():
            if int(status) >= 400:
                assert status in ERROR_STATUSES, (method, path, status)
                assert response["content"] == {"application/problem+json": {"schema": PROBLEM}}, (method, path, status)


@pytest.mark.parametrize("service", ["capacity", "intake", "matching"])
async def test_every_operation_has_an_explicit_id_and_declares_its_token(
    services: dict[str, Any], service: str
) -> None:
    spec = await _spec(services[service])
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT",
        "description": spec["components"]["securitySchemes"]["bearer"]["description"],
    }
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    assert OPERATION_IDS[service] <= set(ids)
    for method, path, operation in _operations(spec):
        assert "_v1_" not in operation["operationId"] and not operation["operationId"].endswith(f"_{method}")
        responses = operation["responses"]
        if path in ("/healthz", "/readyz", "/metrics"):
            assert "security" not in operation and "401" not in responses, path
            continue
        # Every operation of the API needs a token, reads or writes the database, and says so.
        assert operation["security"] == [{"bearer": []}], (method, path)
        assert {"401", "503"} <= set(responses), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        if "requestBody" in operation:
            assert {"400", "413", "422"} <= set(responses), (method, path)
        if any(p["in"] == "header" and p["name"].lower() == "if-match" for p in operation.get("parameters", [])):
            assert {"412", "428"} <= set(responses), (method, path)


async def test_every_operation_that_needs_a_token_answers_401_without_one(services: dict[str, Any]) -> None:
    for service, client in services.items():
        spec = await _spec(client)
        for method, path, operation in _operations(spec):
            if "security" in operation:
                url = path.replace("{", "").replace("}", "")
                response = await client.request(method, url)
                assert response.status_code == 401, (service, method, path)
                assert response.headers["content-type"] == "application/problem+json"


async def test_the_csv_exports_declare_text_csv(intake: httpx.AsyncClient) -> None:
    spec = await _spec(intake)
    for path in ("/v1/exports/placements.csv", "/v1/exports/signals.csv"):
        assert list(spec["paths"][path]["get"]["responses"]["200"]["content"]) == ["text/csv"]
        response = await intake.get(path, headers=COORDINATOR)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/csv")


@pytest.mark.parametrize(("service", "path", "max_limit"), LISTS)
async def test_list_bounds_are_declared_as_enforced(
    services: dict[str, Any], service: str, path: str, max_limit: int
) -> None:
    client = services[service]
    spec = await _spec(client)
    assert _parameter(spec, path, "limit")["minimum"] == 1
    assert _parameter(spec, path, "limit")["maximum"] == max_limit
    assert _parameter(spec, path, "offset")["minimum"] == 0
    assert _parameter(spec, path, "offset")["maximum"] == MAX_OFFSET

    assert (await client.get(path, params={"limit": max_limit, "offset": MAX_OFFSET}, headers=COORDINATOR)).json()[
        "items"
    ] == []
    for params, field in [
        ({"offset": "9223372036854775808"}, "offset"),
        ({"offset": MAX_OFFSET + 1}, "offset"),
        ({"offset": -1}, "offset"),
        ({"limit": max_limit + 1}, "limit"),
        ({"limit": 0}, "limit"),
    ]:
        response = await client.get(path, params=params, headers=COORDINATOR)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_kpi_period_lies_in_the_declared_window(intake: httpx.AsyncClient) -> None:
    spec = await _spec(intake)
    for name in ("from", "to"):
        assert _parameter(spec, "/v1/kpis", name)["pattern"] == r"^(20[0-9][0-9]|2100)-[0-9][0-9]-[0-9][0-9]$"

    ok = await intake.get("/v1/kpis", params={"from": "2000-01-01", "to": "2100-12-31"}, headers=COORDINATOR)
    assert ok.status_code == 200, ok.text
    for params, field in [
        ({"to": "9999-12-31"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"from": "0001-01-01", "to": "2026-01-01"}, "from"),
        ({"from": "2026-01-01", "to": "2101-01-01"}, "to"),
        ({"from": "1999-12-31"}, "from"),
    ]:
        response = await intake.get("/v1/kpis", params=params, headers=COORDINATOR)
        assert response.status_code == 422, (params, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_dashboard_refuses_a_period_outside_the_window_with_a_page(intake: httpx.AsyncClient) -> None:
    for params in ({"from": "2026-01-01", "to": "9999-12-31"}, {"from": "0001-01-01", "to": "2026-01-01"}):
        response = await intake.get("/dashboard", params=params, headers=COORDINATOR)
        assert response.status_code == 422, response.text
        assert response.headers["content-type"].startswith("text/html")
        assert "Periode buiten bereik" in response.text
        assert "01-01-2000" in response.text
    still = await intake.get("/dashboard", params={"from": "2026-01-01", "to": "2026-06-30"}, headers=COORDINATOR)
    assert still.status_code == 200


async def test_an_offered_unit_id_is_refused_unless_it_has_the_declared_form(intake: httpx.AsyncClient) -> None:
    spec = await _spec(intake)
    assert spec["components"]["schemas"]["OfferIn"]["properties"]["unit_id"]["pattern"] == "^[0-9A-Za-z_-]+$"
    provider = bearer("provider", provider_id="provider-1")
    for unit_id in ("\x16unit", "unit 1", "../units"):
        response = await intake.post("/v1/referrals/some-referral/offer", json={"unit_id": unit_id}, headers=provider)
        assert response.status_code == 422, (unit_id, response.text)
        assert [e["field"] for e in response.json()["errors"]] == ["unit_id"]
