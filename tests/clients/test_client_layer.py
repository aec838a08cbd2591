"""The hand-written layer's own rules, without a service: webhook signatures as the point makes them
(with the standardwebhooks library that intake signs with), Retry-After in both forms, a token
fetched again before it expires, and a problem described with its fields."""

from __future__ import annotations

import base64
import json
import time
from datetime import UTC, datetime, timedelta

import httpx
import jwt
import pytest
from standardwebhooks import Webhook

from regiepunt_client import InvalidInput, RefreshingToken
from regiepunt_client.errors import Conflict, Unavailable, raise_for_problem
from regiepunt_client.transport import retry_after_seconds
from regiepunt_client.webhooks import BadWebhook, verify

SECRET = "whsec_" + base64.b64encode(b"a secret of thirty-two bytes....").decode()


def _delivery(body: bytes, *, at: datetime) -> dict[str, str]:
    return {
        "webhook-id": "msg_1",
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(SECRET).sign("msg_1", at, body.decode()),
    }


def test_a_delivery_signed_as_the_point_signs_is_accepted_and_a_changed_one_refused() -> None:
    body = json.dumps({"type": "referral.proposed", "timestamp": "2026-12-01T09:00:00Z", "data": {}}).encode()
    now = datetime.now(UTC)
    assert verify(SECRET, _delivery(body, at=now), body)["type"] == "referral.proposed"
    with pytest.raises(BadWebhook):
        verify(SECRET, _delivery(body, at=now), body.replace(b"proposed", b"placed"))
    with pytest.raises(BadWebhook):
        verify(SECRET, _delivery(body, at=now - timedelta(minutes=10)), body)
    with pytest.raises(BadWebhook):
        verify(SECRET, {"webhook-id": "msg_1"}, body)


def test_retry_after_in_seconds_or_as_a_date() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    assert retry_after_seconds(httpx.Response(503, headers={"Retry-After": "7"})) == 7
    dated = httpx.Response(503, headers={"Retry-After": "Tue, 01 Dec 2026 09:00:30 GMT"})
    assert retry_after_seconds(dated, now=lambda: now) == 30
    assert retry_after_seconds(httpx.Response(503, headers={"Retry-After": "soon"})) is None
    assert retry_after_seconds(httpx.Response(503)) is None


def test_a_token_about_to_expire_is_fetched_again_before_it_is_sent() -> None:
    issued: list[str] = []

    def fetch() -> str:
        issued.append(jwt.encode({"exp": int(time.time()) + (10 if not issued else 3600)}, "k" * 32))
        return issued[-1]

    tokens = RefreshingToken(fetch)
    first = tokens.token()
    second = tokens.token()  # the first expires within the margin
    assert first != second
    assert tokens.token() == second  # valid for an hour: kept
    assert len(issued) == 2


def test_problems_become_typed_errors_naming_their_fields() -> None:
    problem = {
        "type": "about:blank",
        "title": "Invalid input",
        "status": 422,
        "detail": "Two fields are wrong.",
        "errors": [{"field": "client.bsn", "message": "fails the eleven-test"}, {"field": "care_type", "message": "x"}],
    }
    with pytest.raises(InvalidInput) as refused:
        raise_for_problem(httpx.Response(422, json=problem))
    assert refused.value.fields == ["client.bsn", "care_type"]
    assert "client.bsn: fails the eleven-test" in refused.value.describe()
    with pytest.raises(Conflict):
        raise_for_problem(httpx.Response(409, json={"title": "Conflict", "status": 409}))
    with pytest.raises(Unavailable):
        raise_for_problem(httpx.Response(502, text="bad gateway"))
    raise_for_problem(httpx.Response(200, json={}))
