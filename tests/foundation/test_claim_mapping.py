"""How the verifier reads an identity provider's claims: the claim names of the settings, a role list
with exactly one Regiepunt role, the point's services by client id and nothing else, a provider's AGB
code. The provider here is a key set served to the verifier's own HTTP client; the tests in
tests/identity run the same against a real provider process."""

from __future__ import annotations

import functools
import json
import time
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from common.auth import Principal
from common.errors import Unauthorized
from common.oidc import ProviderKeys, TokenVerifier
from common.settings import CommonSettings

ISSUER = "https://login.example/realms/haaglanden"
KID = "ec-1"


@functools.cache
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def provider_transport() -> httpx.MockTransport:
    public = json.loads(jwt.algorithms.ECAlgorithm.to_jwk(signing_key().public_key()))
    documents = {
        "/realms/haaglanden/.well-known/openid-configuration": {"issuer": ISSUER, "jwks_uri": f"{ISSUER}/certs"},
        "/realms/haaglanden/certs": {"keys": [{**public, "kid": KID, "use": "sig", "alg": "ES256"}]},
    }
    return httpx.MockTransport(lambda request: httpx.Response(200, json=documents[request.url.path]))


def signed(**claims: Any) -> str:
    now = int(time.time())
    body = {"iss": ISSUER, "aud": "regiepunt", "sub": "user-1", "iat": now, "exp": now + 600, **claims}
    return jwt.encode(body, signing_key(), algorithm="ES256", headers={"kid": KID})


def verifier(**settings: Any) -> TokenVerifier:
    values = {"oidc_issuer": ISSUER, "intake_client_id": "app-intake", "matching_client_id": "app-matching", **settings}
    keys = ProviderKeys(ISSUER, refetch_seconds=30, timeout=5, transport=provider_transport())
    return TokenVerifier(CommonSettings(**values), keys=keys)


async def principal(token: str, **settings: Any) -> Principal:
    return await verifier(**settings).verify(token)


async def refusal(token: str, **settings: Any) -> str:
    with pytest.raises(Unauthorized) as refused:
        await principal(token, **settings)
    return refused.value.detail


async def test_the_claims_of_the_settings_carry_the_role_and_organisation() -> None:
    token = signed(groups="referrer", organisation="Wijkteam Delft", kind="gp")
    names = {"oidc_claim_role": "groups", "oidc_claim_org": "organisation", "oidc_claim_referrer_type": "kind"}
    person = await principal(token, **names)
    assert (person.role, person.org, person.referrer_type, person.sub) == ("referrer", "Wijkteam Delft", "gp", "user-1")


async def test_a_role_list_gives_its_one_regiepunt_role_and_refuses_none_or_several() -> None:
    one = await principal(signed(roles=["Regiepunt.Reader", "coordinator"], org="regio"), oidc_claim_role="roles")
    assert one.role == "coordinator"
    none = await refusal(signed(roles=["Regiepunt.Reader"], org="regio"), oidc_claim_role="roles")
    assert "roles claim names no Regiepunt role" in none
    several = await refusal(signed(roles=["coordinator", "auditor"], org="regio"), oidc_claim_role="roles")
    assert "several Regiepunt roles (auditor, coordinator)" in several


async def test_a_service_is_known_by_client_id_then_azp_then_appid() -> None:
    for claim in ("client_id", "azp", "appid"):
        caller = await principal(signed(**{claim: "app-matching"}))
        assert (caller.role, caller.service, caller.org) == ("service", "matching", "regiepunt")
    unknown = await refusal(signed(client_id="app-elsewhere"))
    assert "no role" in unknown and "none of the point's services" in unknown


async def test_no_token_becomes_a_service_by_its_role_claim_nor_a_service_a_person() -> None:
    assert "known by the client id" in await refusal(signed(role="service", org="regiepunt"))
    both = await refusal(signed(azp="app-intake", role="coordinator", org="regio"))
    assert "intake's" in both and "coordinator" in both


async def test_a_services_token_from_the_provider_lives_at_most_two_hours() -> None:
    now = int(time.time())
    detail = await refusal(signed(client_id="app-intake", iat=now, exp=now + 3 * 3600))
    assert "at most 2 hours" in detail


async def test_an_agb_code_is_mapped_to_the_providers_id_and_an_unknown_one_refused() -> None:
    known = {"12345678": "provider-uuid-1"}
    asked: list[str] = []

    async def lookup(code: str) -> str | None:
        asked.append(code)
        return known.get(code)

    checker = verifier()
    checker.provider_lookup = lookup
    provider = await checker.verify(signed(role="provider", org="Horizon", provider_id="12345678"))
    assert provider.provider_id == "provider-uuid-1"
    other = await checker.verify(signed(role="provider", org="Horizon", provider_id="12345678", jti="2"))
    assert other.provider_id == "provider-uuid-1"
    assert asked == ["12345678"]  # the mapping is kept
    with pytest.raises(Unauthorized, match="AGB code 87654321"):
        await checker.verify(signed(role="provider", org="Elders", provider_id="87654321"))
    by_id = await checker.verify(signed(role="provider", org="Horizon", provider_id="provider-uuid-1"))
    assert by_id.provider_id == "provider-uuid-1"


async def test_hs256_is_refused_once_production_mode_is_on() -> None:
    from common.testing import token

    assert (await principal(token("coordinator"))).role == "coordinator"
    assert "Production does not accept HS256" in await refusal(token("coordinator"), env="production")
