"""Tokens live no longer than their role allows, carry numbers as times, and stay a sensible size."""

from __future__ import annotations

import time
from typing import Any

import httpx
import jwt
import pytest

from common.auth import decode_token
from common.testing import TEST_SECRET
from common.tokens import main as mint_from_command_line


def signed(role: str = "coordinator", **claims: Any) -> str:
    now = int(time.time())
    body: dict[str, Any] = {"iss": "regiepunt", "aud": "regiepunt", "sub": "x", "role": role, "org": "o"}
    body.update({"iat": now, "exp": now + 3600})
    body.update(claims)
    if role == "provider":
        body.setdefault("provider_id", "p-1")
    if role == "service":
        body["sub"] = "service:intake"
    return jwt.encode({k: v for k, v in body.items() if v is not None}, TEST_SECRET, algorithm="HS256")


async def answer(capacity: httpx.AsyncClient, token: str) -> httpx.Response:
    return await capacity.get("/v1/providers", headers={"Authorization": f"Bearer {token}"})


def hours_from_now(hours: float) -> int:
    return int(time.time() + hours * 3600)


@pytest.mark.parametrize(
    "claims",
    [
        {"exp": str(hours_from_now(1))},  # PyJWT reads a string of digits as a time
        {"iat": str(int(time.time()))},
    ],
    ids=["exp-string", "iat-string"],
)
async def test_a_time_claim_that_is_not_a_number_is_refused(
    capacity: httpx.AsyncClient, claims: dict[str, Any]
) -> None:
    response = await answer(capacity, signed(**claims))
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize("role", ["referrer", "provider", "coordinator"])
async def test_a_persons_token_lives_at_most_twelve_hours(capacity: httpx.AsyncClient, role: str) -> None:
    extra = {"referrer_type": "local_team"} if role == "referrer" else {}
    assert (await answer(capacity, signed(role, exp=hours_from_now(12), **extra))).status_code == 200
    too_long = await answer(capacity, signed(role, exp=hours_from_now(13), **extra))
    assert too_long.status_code == 401, too_long.text
    assert "12 hours" in too_long.json()["detail"]
    without_iat = await answer(capacity, signed(role, iat=None, exp=hours_from_now(24 * 365 * 10), **extra))
    assert without_iat.status_code == 401, without_iat.text


async def test_a_services_token_lives_at_most_one_hour(capacity: httpx.AsyncClient) -> None:
    assert (await answer(capacity, signed("service", exp=hours_from_now(1)))).status_code == 200
    too_long = await answer(capacity, signed("service", exp=hours_from_now(2)))
    assert too_long.status_code == 401, too_long.text
    assert "at most 1 hour." in too_long.json()["detail"]


async def test_an_authorization_header_over_8_kb_is_refused_before_it_is_read(capacity: httpx.AsyncClient) -> None:
    padded = signed(padding="x" * 8200)  # a valid token, but a huge one
    assert len(f"Bearer {padded}") > 8192
    response = await answer(capacity, padded)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "8192 bytes" in response.json()["detail"]
    assert (await answer(capacity, signed(padding="x" * 4000))).status_code == 200


@pytest.mark.parametrize("role", ["coordinator", "service", "referrer"])
def test_the_command_line_mints_tokens_the_services_accept(role: str, capsys: pytest.CaptureFixture[str]) -> None:
    mint_from_command_line(["--role", role])
    assert decode_token(capsys.readouterr().out.strip(), TEST_SECRET).role == role


def test_the_command_line_refuses_a_lifetime_over_the_roles_maximum() -> None:
    with pytest.raises(SystemExit):
        mint_from_command_line(["--role", "service", "--hours", "2"])
    with pytest.raises(SystemExit):
        mint_from_command_line(["--role", "coordinator", "--hours", "13"])
