"""Access tokens of a real identity provider (RS256 and ES256) are accepted by every service and the
role they carry applies: a coordinator reads, a referrer submits and the point matches it with the
services' own client-credentials tokens, a provider named by its AGB code acts for its provider, an
Entra-shaped token with app roles in a list, and the auditor's narrow rights."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from identity_support import TEST_PROVIDER_AGB, bearer_of, decision_request, referral_body, unit_body

from conftest import IdentityPlatform, build_app, close_app, identity_platform
from tests.oidc_provider.harness import IdentityProvider, start_identity_provider

# A read on each service that a person's token of any role but the auditor's gets past the token check for.
READS = {"capacity": "/v1/providers", "intake": "/v1/referrals", "matching": "/v1/decisions?referral_id=r-1"}


@pytest.fixture(scope="module", params=["RS256", "ES256"])
async def provider(request: pytest.FixtureRequest) -> AsyncIterator[IdentityProvider]:
    async with start_identity_provider(algorithm=request.param) as running:
        yield running


@pytest.fixture(scope="module")
async def platform(
    provider: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[IdentityPlatform]:
    async with identity_platform(provider, tmp_path_factory.mktemp("identity")) as running:
        yield running


@pytest.fixture(autouse=True)
async def clean(platform: IdentityPlatform) -> None:
    await platform.clear()


async def test_a_coordinators_token_reads_on_every_service(platform: IdentityPlatform) -> None:
    coordinator = bearer_of(await platform.provider.token("test-coordinator"))
    assert (await platform.client("capacity").get("/v1/providers", headers=coordinator)).status_code == 200
    assert (await platform.client("intake").get("/v1/referrals", headers=coordinator)).status_code == 200
    decisions = await platform.client("matching").get(
        "/v1/decisions", params={"referral_id": "r-1"}, headers=coordinator
    )
    assert decisions.status_code == 200, decisions.text


async def test_a_referrers_token_submits_and_the_services_match_it_with_their_own_tokens(
    platform: IdentityPlatform,
) -> None:
    coordinator = bearer_of(await platform.provider.token("test-coordinator"))
    referrer = bearer_of(await platform.provider.token("test-referrer"))
    capacity = platform.client("capacity")
    created = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": "20000001", "role": "tactical"}, headers=coordinator
    )
    assert created.status_code == 201, created.text
    unit = await capacity.post(f"/v1/providers/{created.json()['id']}/units", json=unit_body(), headers=coordinator)
    assert unit.status_code == 201, unit.text
    # The role applies: a referrer registers no providers.
    refused = await capacity.post(
        "/v1/providers", json={"name": "Elders", "agb_code": "20000002", "role": "tactical"}, headers=referrer
    )
    assert refused.status_code == 403, refused.text

    submitted = await platform.client("intake").post("/v1/referrals", json=referral_body(), headers=referrer)
    assert submitted.status_code == 201, submitted.text
    referral = submitted.json()
    # Intake asked matching with intake's token, matching held the place in capacity with its own.
    assert referral["status"] == "proposed", referral
    assert referral["proposal"]["unit_id"] == unit.json()["id"]
    assert platform.apps["intake"].state.service_tokens.fetches == 1
    assert platform.apps["matching"].state.service_tokens.fetches == 1


async def test_a_provider_named_by_its_agb_code_acts_for_that_provider_on_every_service(
    platform: IdentityPlatform,
) -> None:
    coordinator = bearer_of(await platform.provider.token("test-coordinator"))
    provider_token = bearer_of(await platform.provider.token("test-provider"))
    capacity = platform.client("capacity")
    for service, path in READS.items():
        unknown = await platform.client(service).get(path, headers=provider_token)
        assert unknown.status_code == 401, unknown.text
        assert TEST_PROVIDER_AGB in unknown.json()["detail"]

    registered = await capacity.post(
        "/v1/providers",
        json={"name": "Horizon", "agb_code": TEST_PROVIDER_AGB, "role": "tactical"},
        headers=coordinator,
    )
    assert registered.status_code == 201, registered.text
    provider_id = registered.json()["id"]
    # Capacity maps the code in its own database: the provider adds a unit of its own.
    unit = await capacity.post(f"/v1/providers/{provider_id}/units", json=unit_body(), headers=provider_token)
    assert unit.status_code == 201, unit.text
    assert unit.json()["provider_id"] == provider_id
    # Intake and matching ask capacity: the token is the provider's, with the rights of a provider.
    assert (await platform.client("intake").get("/v1/referrals", headers=provider_token)).status_code == 200
    decisions = await platform.client("matching").get(
        "/v1/decisions", params={"referral_id": "r-1"}, headers=provider_token
    )
    assert decisions.status_code == 403, decisions.text
    assert "provider" in decisions.json()["detail"]


async def test_the_auditors_token_reads_the_access_log_and_nothing_else(platform: IdentityPlatform) -> None:
    auditor = bearer_of(await platform.provider.token("test-auditor"))
    assert (await platform.client("intake").get("/v1/access-log", headers=auditor)).status_code == 200
    assert (await platform.client("capacity").get("/v1/providers", headers=auditor)).status_code == 403


async def test_an_entra_shaped_token_takes_the_one_regiepunt_role_from_its_roles_list(
    platform: IdentityPlatform,
) -> None:
    entra = bearer_of(await platform.provider.token("test-entra"))
    coordinator = bearer_of(await platform.provider.token("test-coordinator"))
    # With the default claim name the app roles are not looked at: no `role`, no entry.
    assert (await platform.client("capacity").get("/v1/providers", headers=entra)).status_code == 401
    app = build_app(
        "capacity", platform.provider, platform.database_urls["capacity"], platform.tmp_dir, oidc_claim_role="roles"
    )
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://capacity") as capacity:
            created = await capacity.post(
                "/v1/providers", json={"name": "Horizon", "agb_code": "20000003", "role": "tactical"}, headers=entra
            )
            assert created.status_code == 201, created.text
            without_roles = await capacity.get("/v1/providers", headers=coordinator)
            assert without_roles.status_code == 401
            assert "roles" in without_roles.json()["detail"]
    finally:
        await close_app(app)


async def test_a_service_is_known_by_its_client_id_and_goes_no_further_than_its_calls(
    platform: IdentityPlatform,
) -> None:
    matching = platform.client("matching")
    from_capacity = bearer_of(await platform.provider.token("regiepunt-capacity"))
    from_intake = bearer_of(await platform.provider.token("regiepunt-intake"))
    refused = await matching.post("/v1/decisions", json=decision_request(), headers=from_capacity)
    assert refused.status_code == 403, refused.text
    assert "capacity" in refused.json()["detail"]
    taken = await matching.post("/v1/decisions", json=decision_request(), headers=from_intake)
    assert taken.status_code == 200, taken.text
    assert taken.json()["outcome"] == "unmatched"  # no units: still a decision, taken for intake
    # A service's token is no person's: intake's own pages and lists are not for it.
    assert (await platform.client("intake").get("/v1/referrals", headers=from_intake)).status_code == 403
