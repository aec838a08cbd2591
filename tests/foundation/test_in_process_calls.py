"""An app called in this process (common.in_process) sees the request httpx's client would send it over
its ASGI transport, scope and body alike, and its caller reads the same answer; a ServiceClient handed
that transport sends its identity headers and retries as it does over the network."""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
import pytest
from starlette.types import Receive, Scope, Send

from common.http import ServiceClient, ServiceUnavailableError
from common.in_process import InProcessTransport
from common.logging import REQUEST_ID_HEADER, request_context
from common.service_tokens import SharedSecretTokens
from common.testing import TEST_SECRET


class Recorder:
    """An ASGI app that keeps what it was sent and answers in two body messages (or as told)."""

    def __init__(self, status: int = 201, *, gzipped: bool = False) -> None:
        self.seen: list[tuple[dict[str, Any], bytes]] = []
        self.status = status
        self.gzipped = gzipped

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.seen.append((dict(scope), body))
        answer = json.dumps({"path": scope["path"], "query": scope["query_string"].decode()}).encode()
        headers = [(b"content-type", b"application/json"), (b"x-answer", b"1")]
        if self.gzipped:
            answer = gzip.compress(answer)
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer[:5], "more_body": True})
        await send({"type": "http.response.body", "body": answer[5:]})


CALLS: list[tuple[str, str, dict[str, Any]]] = [
    ("GET", "/v1/units/abc", {}),
    ("GET", "/v1/units", {"params": {"id": ["a", "b"], "limit": 2, "stale": True, "none": None}}),
    ("POST", "/v1/units/abc/reservations", {"json": {"child": "é", "hours": [1, 2.5]}}),
    ("POST", "/v1/reservations/abc/release", {}),
    ("PUT", "/v1/units/abc/availability", {"json": {"capacity": 3}, "headers": {"If-Match": "3"}}),
    ("PATCH", "/v1/providers/abc", {"json": {}, "headers": {"Accept": "application/json"}}),
    ("GET", "/v1/stale units?since=2026-12-01T10:00:00+00:00", {"params": {"limit": 5}}),
    ("DELETE", "/v1/webhooks/abc", {"headers": {"Authorization": "Bearer x", "X-Request-ID": "r-1"}}),
    ("HEAD", "/v1/units", {}),
]


@pytest.mark.parametrize("base_url", ["http://capacity", "http://127.0.0.1:8002", "http://services/capacity/"])
@pytest.mark.parametrize("gzipped", [False, True])
async def test_the_app_sees_what_httpx_would_send_and_the_caller_reads_the_same_answer(
    base_url: str, gzipped: bool
) -> None:
    app = Recorder(gzipped=gzipped)
    in_process = InProcessTransport(app=app).client_for(base_url)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as over_httpx:
        for method, path, arguments in CALLS:
            expected = await over_httpx.request(method, path, **arguments)
            answered = await in_process.request(method, path, **arguments)
            (sent_by_httpx, body_by_httpx), (sent, body) = app.seen[-2:]
            assert sent == sent_by_httpx and body == body_by_httpx, (method, path)
            assert (answered.status_code, answered.headers.raw, answered.content) == (
                expected.status_code,
                expected.headers.raw,
                expected.content,
            )
            if method != "HEAD":
                assert answered.json() == expected.json()
            assert str(answered.request.url) == str(expected.request.url)
            assert answered.request.method == expected.request.method


async def test_an_error_answer_names_its_request() -> None:
    client = InProcessTransport(app=Recorder(status=409)).client_for("http://capacity")
    response = await client.request("POST", "/v1/units/abc/reservations", json={})
    with pytest.raises(httpx.HTTPStatusError, match=r"409 Conflict.*http://capacity/v1/units/abc/reservations"):
        response.raise_for_status()


async def test_an_app_that_fails_raises_in_the_caller_unless_told_to_answer_500() -> None:
    async def failing(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("broken")

    with pytest.raises(RuntimeError, match="broken"):
        await InProcessTransport(app=failing).client_for("http://capacity").request("GET", "/")
    quiet = InProcessTransport(app=failing, raise_app_exceptions=False).client_for("http://capacity")
    assert (await quiet.request("GET", "/")).status_code == 500


def _service_client(app: Recorder, retries: int = 3) -> ServiceClient:
    tokens = SharedSecretTokens(TEST_SECRET, "intake")
    return ServiceClient(
        "http://capacity", service_name="intake", tokens=tokens, retries=retries, transport=InProcessTransport(app=app)
    )


async def test_a_service_client_sends_its_token_and_the_request_id_in_process() -> None:
    app = Recorder(status=200)
    client = _service_client(app)
    with request_context("req-7"):
        response = await client.get("/v1/units", params={"limit": 1})
    assert response.json() == {"path": "/v1/units", "query": "limit=1"}
    headers = dict(app.seen[-1][0]["headers"])
    assert headers[b"authorization"].startswith(b"Bearer ")
    assert headers[REQUEST_ID_HEADER.lower().encode()] == b"req-7"
    await client.aclose()


async def test_a_service_client_retries_an_idempotent_call_in_process_and_then_gives_up() -> None:
    app = Recorder(status=503)
    client = _service_client(app, retries=2)
    with pytest.raises(ServiceUnavailableError, match="503 from http://capacity/v1/units"):
        await client.get("/v1/units")
    assert len(app.seen) == 2
    with pytest.raises(ServiceUnavailableError):
        await client.post("/v1/units/abc/reservations", json={}, idempotent=False)
    assert len(app.seen) == 3
    await client.aclose()
