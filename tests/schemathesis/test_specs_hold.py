"""Schemathesis against the three services: for every operation of each published OpenAPI document, a
bounded, reproducible set of generated requests (valid and invalid) is sent with a token of every role,
and every answer is held to the document with all of schemathesis' checks: no 5xx, only documented
statuses and content types, answers that match their schemas, invalid input refused, valid input not
refused for its form, and authentication enforced where it is declared.

The requests run in-process against the apps of the test fixtures, on the test run's database
(SQLite or PostgreSQL), so that the session's event loop owns every database connection."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.failures import FailureGroup

from common.auth import ROLES
from common.testing import bearer

pytestmark = pytest.mark.fuzz

EXAMPLES_PER_MODE = 8
SERVICES = ("capacity", "intake", "matching")

# Valid in form but refused by a rule a JSON schema cannot state (a BSN's eleven-test, a birth date in
# the past, age_min <= age_max, from <= to, a municipality inside the region): a 422 then is not a
# schema that lies, so the positive-data check accepts it next to its own defaults.
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {
        # The services ignore query parameters they do not know, as HTTP APIs commonly do; OpenAPI has
        # no way to declare a closed set of query parameters, so schemathesis should not invent one.
        "generation": {
            "allow-extra-parameters": False,
        },
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"],
            },
            # A missing If-Match is answered 428 Precondition Required (RFC 6585), not 4xx in general.
            "missing_required_header": {"expected-statuses": ["400", "401", "403", "422", "428"]},
        },
    }
)


def _claims(role: str, provider_id: str) -> dict[str, str]:
    if role == "referrer":
        return {"referrer_type": "local_team"}
    if role == "provider":
        return {"provider_id": provider_id}
    return {}


async def _records(capacity: httpx.AsyncClient, intake: httpx.AsyncClient) -> dict[str, str]:
    """A provider with a unit and a referral proposed to it, made through the public API, so that
    requests for a record that exists reach past the 404 and their answers are checked too."""
    coordinator = bearer("coordinator")
    provider = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": "20000001", "role": "tactical"}, headers=coordinator
    )
    assert provider.status_code == 201, provider.text
    provider_id = provider.json()["id"]
    unit = await capacity.post(
        f"/v1/providers/{provider_id}/units",
        json={
            "name": "Groep De Linde",
            "care_type": "residential",
            "target_groups": ["jo"],
            "age_min": 12,
            "age_max": 17,
            "municipality_code": "GM0518",
            "capacity": 3,
        },
        headers=coordinator,
    )
    assert unit.status_code == 201, unit.text
    referral = await intake.post(
        "/v1/referrals",
        json={
            "client": {"bsn": "111222333", "birth_date": "2012-05-01", "municipality_code": "GM0518"},
            "care_type": "residential",
            "target_group": "jo",
        },
        headers=bearer("referrer", org="referrer-org", referrer_type="local_team"),
    )
    assert referral.status_code == 201, referral.text
    return {"provider": provider_id, "unit": unit.json()["id"], "referral": referral.json()["id"]}


def _known_ids(path: str, records: dict[str, str]) -> dict[str, str] | None:
    """The path parameters naming a record that exists, for the operations on one record."""
    if path.startswith("/v1/providers/{"):
        return {path[len("/v1/providers/{") : path.index("}")]: records["provider"]}
    if path.startswith("/v1/units/{"):
        return {path[len("/v1/units/{") : path.index("}")]: records["unit"]}
    if path.startswith("/v1/referrals/{id}"):
        return {"id": records["referral"]}
    return None


def _cases(operation: Any, mode: GenerationMode, **known: Any) -> list[schemathesis.Case]:
    found: list[schemathesis.Case] = []

    @settings(
        max_examples=EXAMPLES_PER_MODE,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode, **known))
    def collect(case: schemathesis.Case) -> None:
        found.append(case)

    try:
        collect()
    except Unsatisfiable:
        # An operation without parameters or body (a probe) has no invalid request to make.
        assert mode is GenerationMode.NEGATIVE
    return found


def _without_lifespan(app: FastAPI) -> Any:
    """The app for the requests schemathesis makes itself (the schema, its auth probes): those go
    through a test client that would run the app's lifespan, and its end closes the session's app."""

    async def asgi(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                else:
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        await app(scope, receive, send)

    return asgi


async def _send(client: httpx.AsyncClient, kwargs: dict[str, Any]) -> httpx.Response | None:
    body: dict[str, Any] = {}
    if "json" in kwargs:
        body["json"] = kwargs["json"]
    if kwargs.get("data") is not None:
        body["content"] = kwargs["data"]
    try:
        return await client.request(
            kwargs["method"],
            kwargs["url"],
            params=kwargs.get("params"),
            headers=kwargs.get("headers"),
            cookies=kwargs.get("cookies"),
            **body,
        )
    except (UnicodeEncodeError, httpx.InvalidURL, httpx.LocalProtocolError):
        # No HTTP client can send this request (a header outside latin-1): nothing reaches the service.
        return None


@pytest.fixture
def apps(
    capacity_app: FastAPI,
    matching_app: FastAPI,
    intake_app: FastAPI,
    capacity: httpx.AsyncClient,
    matching: httpx.AsyncClient,
    intake: httpx.AsyncClient,
) -> dict[str, tuple[FastAPI, httpx.AsyncClient]]:
    return {"capacity": (capacity_app, capacity), "matching": (matching_app, matching), "intake": (intake_app, intake)}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("service", SERVICES)
async def test_schemathesis_finds_nothing(
    apps: dict[str, tuple[FastAPI, httpx.AsyncClient]], service: str, role: str
) -> None:
    app, fixture_client = apps[service]
    # A 500 is an answer to check like any other, not an exception out of the transport.
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url=fixture_client.base_url)
    schema = schemathesis.openapi.from_asgi("/openapi.json", _without_lifespan(app), config=CONFIG)
    records = await _records(apps["capacity"][1], apps["intake"][1])
    # A service's token is intake's: intake may make every call a service makes.
    sub = "service:intake" if role == "service" else None
    token = bearer(role, org=f"{role}-org", sub=sub, **_claims(role, records["provider"]))
    failures: list[str] = []
    summaries: list[str] = []
    sent = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        known = _known_ids(operation.path, records)
        batches = [_cases(operation, mode) for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)]
        if known is not None:
            batches.append(_cases(operation, GenerationMode.POSITIVE, path_parameters=known))
        for batch in batches:
            for case in batch:
                mode = case.meta.generation.mode if case.meta is not None else GenerationMode.POSITIVE
                kwargs = case.as_transport_kwargs(base_url=str(client.base_url), headers=token)
                response = await _send(client, kwargs)
                if response is None:
                    continue
                sent += 1
                try:
                    case.validate_response(response, headers=kwargs["headers"])
                except FailureGroup as exc:
                    failures.append(f"{operation.label} ({mode.value}): {exc}")
                    kinds = [type(failure).__name__ for failure in exc.exceptions]
                    summaries.append(f"{operation.label} ({mode.value}): {kinds} {response.status_code}")
    await client.aclose()
    assert sent > 0
    assert not failures, "\n".join(summaries) + "\n\n" + "\n\n".join(failures[:10])
