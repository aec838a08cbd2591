"""The frame every service shares: probes, metrics, problem+json errors, auth and the size limit."""

from collections.abc import AsyncIterator

import httpx
import pytest

from common.testing import bearer, service_bearer, token

SERVICES = ["capacity", "matching", "intake"]


@pytest.fixture(params=SERVICES)
def service(request: pytest.FixtureRequest) -> httpx.AsyncClient:
    client: httpx.AsyncClient = request.getfixturevalue(request.param)
    return client


async def test_probes_answer_without_a_token(service: httpx.AsyncClient) -> None:
    assert (await service.get("/healthz")).json()["status"] == "ok"
    ready = await service.get("/readyz")
    assert ready.status_code == 200, ready.text
    assert ready.json()["status"] == "ready"


async def test_metrics_are_prometheus_text(service: httpx.AsyncClient) -> None:
    await service.get("/no-such-path")
    response = await service.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert "regiepunt_http_requests_total" in response.text


async def test_unknown_path_is_problem_json(service: httpx.AsyncClient) -> None:
    response = await service.get("/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == 404 and body["title"] and "detail" in body


async def test_wrong_method_is_problem_json(service: httpx.AsyncClient) -> None:
    response = await service.delete("/healthz")
    assert response.status_code == 405
    assert response.headers["content-type"] == "application/problem+json"


async def test_request_id_is_echoed(service: httpx.AsyncClient) -> None:
    response = await service.get("/healthz", headers={"X-Request-ID": "abc-123"})
    assert response.headers["x-request-id"] == "abc-123"
    assert len((await service.get("/healthz")).headers["x-request-id"]) >= 16


async def test_body_over_one_mebibyte_is_refused(service: httpx.AsyncClient) -> None:
    response = await service.post(
        "/v1/anything", content=b"x" * (1024 * 1024 + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


async def test_openapi_is_served(service: httpx.AsyncClient) -> None:
    response = await service.get("/openapi.json")
    assert response.status_code == 200
    assert response.json()["openapi"].startswith("3.")


def test_token_round_trip() -> None:
    from common.auth import decode_token
    from common.testing import TEST_SECRET

    principal = decode_token(token("provider", org="Horizon", provider_id="p-1"), TEST_SECRET)
    assert principal.role == "provider" and principal.provider_id == "p-1" and principal.org == "Horizon"


def test_bad_tokens_are_refused() -> None:
    from datetime import UTC, datetime, timedelta

    from common.auth import decode_token, mint_token
    from common.errors import Unauthorized
    from common.testing import TEST_SECRET

    expired = mint_token(TEST_SECRET, sub="x", role="coordinator", org="o", now=datetime.now(UTC) - timedelta(days=2))
    for bad in (
        expired,
        mint_token("another-secret-that-is-long-enough-for-hs256", sub="x", role="coordinator", org="o"),
        "not-a-jwt",
    ):
        with pytest.raises(Unauthorized):
            decode_token(bad, TEST_SECRET)
    with pytest.raises(Unauthorized):
        decode_token(mint_token(TEST_SECRET, sub="x", role="provider", org="o"), TEST_SECRET)


def test_a_token_accepted_before_is_refused_once_it_has_expired() -> None:
    import time
    from datetime import UTC, datetime, timedelta

    from common.auth import decode_token, mint_token
    from common.errors import Unauthorized
    from common.testing import TEST_SECRET

    # exp is in whole seconds: issued at the start of a second, the token lives one to two seconds.
    issued = datetime.now(UTC).replace(microsecond=0)
    short = mint_token(TEST_SECRET, sub="x", role="coordinator", org="o", ttl=timedelta(seconds=2), now=issued)
    assert decode_token(short, TEST_SECRET).sub == "x"
    assert decode_token(short, TEST_SECRET).sub == "x"  # the remembered verification
    time.sleep(max(0.0, (issued + timedelta(seconds=2) - datetime.now(UTC)).total_seconds()) + 0.05)
    with pytest.raises(Unauthorized, match="expired"):
        decode_token(short, TEST_SECRET)


def test_bearer_helper_builds_a_header() -> None:
    assert bearer("coordinator")["Authorization"].startswith("Bearer ")


async def test_a_chunked_body_over_the_limit_is_refused_with_413(service: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(17):
            yield b"x" * 65_536  # 17 × 64 KiB: over the 1 MiB limit, and no Content-Length to say so

    path = {"capacity": "/v1/providers", "matching": "/v1/decisions", "intake": "/v1/referrals"}[
        str(service.base_url.host)
    ]
    role = "service" if path == "/v1/decisions" else ("referrer" if path == "/v1/referrals" else "coordinator")
    headers = {
        **(
            service_bearer("intake")
            if role == "service"
            else bearer(role, referrer_type="local_team" if role == "referrer" else None)
        ),
        "Content-Type": "application/json",
    }
    response = await service.post(path, content=chunks(), headers=headers)
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["status"] == 413


async def test_a_chunked_body_within_the_limit_is_read_whole(capacity: httpx.AsyncClient) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"name": "Horizon", '
        yield b'"agb_code": "12345678", "role": "tactical"}'

    headers = {**bearer("coordinator"), "Content-Type": "application/json"}
    response = await capacity.post("/v1/providers", content=chunks(), headers=headers)
    assert response.status_code == 201, response.text


def test_a_bad_field_in_a_list_of_objects_is_named_with_the_index_in_brackets() -> None:
    from common.app import field_name

    assert field_name(("body", "referrals", 1, "client", "bsn")) == "referrals[1].client.bsn"
    assert field_name(("body", "referrals", 0, "needs", 3)) == "referrals[0].needs.3"
    assert field_name(("body", "needs", 3)) == "needs.3"
    assert field_name(("query", "limit")) == "limit"
    assert field_name(("body",)) == "body"
