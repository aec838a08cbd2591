"""Tokens the point refuses with 401 though they look like the identity provider's: another issuer's,
one for another audience, one signed with a key the provider never published, an HS256 token in
production, an expired one. And the provider's keys are followed as it rotates them, with one fetch of
its key set for any number of requests that name a key the point does not know."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import jwt
import pytest
from fastapi import FastAPI
from identity_support import bearer_of, forged_token

from common.testing import bearer
from conftest import IdentityPlatform, build_app, close_app, identity_platform
from tests.oidc_provider.harness import IdentityProvider, start_identity_provider

READS = {"capacity": "/v1/providers", "intake": "/v1/referrals", "matching": "/v1/decisions?referral_id=r-1"}
COORDINATOR_CLAIMS = {"role": "coordinator", "org": "regio-haaglanden"}


@pytest.fixture(scope="module")
async def provider() -> AsyncIterator[IdentityProvider]:
    async with start_identity_provider() as running:
        yield running


@pytest.fixture(scope="module")
async def platform(
    provider: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[IdentityPlatform]:
    async with identity_platform(provider, tmp_path_factory.mktemp("refusals")) as running:
        yield running


@asynccontextmanager
async def capacity_with(
    platform: IdentityPlatform, provider: IdentityProvider | None = None, **settings: Any
) -> AsyncIterator[httpx.AsyncClient]:
    """A capacity app of its own (its own verifier and key cache) on the platform's database."""
    app = build_app(
        "capacity", provider or platform.provider, platform.database_urls["capacity"], platform.tmp_dir, **settings
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://capacity") as client:
            client.app = app  # type: ignore[attr-defined]
            yield client
    finally:
        await close_app(app)


def refused(response: httpx.Response, *words: str) -> str:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    detail: str = response.json()["detail"]
    for word in words:
        assert word in detail, detail
    return detail


@pytest.mark.parametrize("service", list(READS))
async def test_a_token_of_another_issuer_is_refused(platform: IdentityPlatform, service: str) -> None:
    elsewhere = forged_token(issuer="https://login.elsewhere.example/tenant/v2.0", **COORDINATOR_CLAIMS)
    refused(await platform.client(service).get(READS[service], headers=bearer_of(elsewhere)))


async def test_a_token_of_another_running_provider_is_refused(platform: IdentityPlatform) -> None:
    async with start_identity_provider() as other:
        token = await other.token("test-coordinator")
    for service, path in READS.items():
        refused(await platform.client(service).get(path, headers=bearer_of(token)), "unknown kid")


async def test_a_token_signed_with_a_key_the_provider_never_published_is_refused(platform: IdentityPlatform) -> None:
    token = forged_token(issuer=platform.provider.issuer, kid="rs256-notours", **COORDINATOR_CLAIMS)
    for service, path in READS.items():
        refused(await platform.client(service).get(path, headers=bearer_of(token)), "unknown kid")


async def test_a_token_for_another_audience_is_refused(platform: IdentityPlatform) -> None:
    token = bearer_of(await platform.provider.token("test-coordinator"))
    async with capacity_with(platform, oidc_audience="another-api") as capacity:
        refused(await capacity.get("/v1/providers", headers=token), "aud must name another-api")
    assert (await platform.client("capacity").get("/v1/providers", headers=token)).status_code == 200


async def test_hs256_is_refused_in_production_and_accepted_in_development(platform: IdentityPlatform) -> None:
    shared_secret = bearer("coordinator", org="regio-haaglanden")
    provider_token = bearer_of(await platform.provider.token("test-coordinator"))
    async with capacity_with(platform, env="production") as capacity:
        refused(await capacity.get("/v1/providers", headers=shared_secret), "Production does not accept HS256")
        assert (await capacity.get("/v1/providers", headers=provider_token)).status_code == 200
    # Development keeps the shared secret beside the identity provider.
    assert (await platform.client("capacity").get("/v1/providers", headers=shared_secret)).status_code == 200


async def test_an_expired_token_is_refused(platform: IdentityPlatform) -> None:
    async with start_identity_provider(access_token_seconds=5) as short_lived:
        token = await short_lived.token("test-coordinator")
        expires = jwt.decode(token, options={"verify_signature": False})["exp"]
        async with capacity_with(platform, short_lived) as capacity:
            answer = await capacity.get("/v1/providers", headers=bearer_of(token))
            if time.time() < expires - 1:  # on a very slow machine it may have expired already
                assert answer.status_code == 200, answer.text
            await asyncio.sleep(max(0.0, expires - time.time() + 1.1))
            refused(await capacity.get("/v1/providers", headers=bearer_of(token)), "expired")


async def test_a_key_rotation_at_the_provider_is_followed_without_a_restart(
    platform: IdentityPlatform, provider: IdentityProvider
) -> None:
    async with capacity_with(platform, oidc_jwks_refetch_seconds=0) as capacity:
        before = bearer_of(await provider.token("test-coordinator"))
        assert (await capacity.get("/v1/providers", headers=before)).status_code == 200
        old_kids = await provider.kids()
        await provider.rotate_keys()
        after = await provider.token("test-coordinator")
        assert not set(old_kids) & set(await provider.kids())
        response = await capacity.get("/v1/providers", headers=bearer_of(after))
        assert response.status_code == 200, response.text


REFETCH_SECONDS = 3.0


def jwks_fetches(app: FastAPI) -> float:
    metric = app.state.metrics.registry.get_sample_value("regiepunt_oidc_jwks_fetches_total")
    return float(metric or 0)


async def test_many_unknown_kids_at_once_make_one_fetch_of_the_key_set(platform: IdentityPlatform) -> None:
    provider = platform.provider
    async with capacity_with(platform, oidc_jwks_refetch_seconds=REFETCH_SECONDS) as capacity:
        app: FastAPI = capacity.app  # type: ignore[attr-defined]
        warm = bearer_of(await provider.token("test-coordinator"))
        assert (await capacity.get("/v1/providers", headers=warm)).status_code == 200
        fetched_at_start = await provider.jwks_requests()
        await asyncio.sleep(REFETCH_SECONDS + 0.1)  # an unknown kid may now make the keys be fetched again

        def forged() -> dict[str, str]:
            return bearer_of(forged_token(issuer=provider.issuer, **COORDINATOR_CLAIMS))

        tokens = [forged() for _ in range(40)]
        answers = await asyncio.gather(*(capacity.get("/v1/providers", headers=token) for token in tokens))
        assert [answer.status_code for answer in answers] == [401] * 40
        assert await provider.jwks_requests() == fetched_at_start + 1
        # Within the refetch interval another flood of unknown kids fetches nothing at all.
        tokens = [forged() for _ in range(40)]
        answers = await asyncio.gather(*(capacity.get("/v1/providers", headers=token) for token in tokens))
        assert [answer.status_code for answer in answers] == [401] * 40
        assert await provider.jwks_requests() == fetched_at_start + 1
        assert jwks_fetches(app) == 2  # the first key set, and the one refetch
        metrics = (await capacity.get("/metrics")).text
        assert "regiepunt_oidc_jwks_fetches_total 2.0" in metrics
