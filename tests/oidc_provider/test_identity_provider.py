"""The tests' identity provider gives what the point's sign-in expects of a real one: discovery, a key
set, JWT access tokens for the audience `regiepunt` with the person's claims, the code flow with PKCE
through its login page, and a new key after a rotation."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import jwt
import pytest

from tests.oidc_provider.harness import start_identity_provider

REDIRECT_URI = "http://127.0.0.1:9/auth/callback"


async def _verified_claims(issuer: str, token: str) -> dict[str, object]:
    async with httpx.AsyncClient() as client:
        discovery = (await client.get(f"{issuer}/.well-known/openid-configuration")).json()
        key_set = jwt.PyJWKSet.from_dict((await client.get(discovery["jwks_uri"])).json())
    header = jwt.get_unverified_header(token)
    key = key_set[header["kid"]]
    return dict(jwt.decode(token, key, algorithms=[header["alg"]], audience="regiepunt", issuer=issuer))


@pytest.mark.parametrize("algorithm", ["RS256", "ES256"])
async def test_client_credentials_tokens_carry_the_clients_claims(algorithm: str) -> None:
    async with start_identity_provider(algorithm=algorithm) as provider:
        service = await _verified_claims(provider.issuer, await provider.token("regiepunt-matching"))
        person = await _verified_claims(provider.issuer, await provider.token("test-referrer"))
        entra = await _verified_claims(provider.issuer, await provider.token("test-entra"))
        assert jwt.get_unverified_header(await provider.token("test-auditor"))["alg"] == algorithm
    assert service["client_id"] == "regiepunt-matching" and "role" not in service
    assert (person["role"], person["org"], person["referrer_type"]) == ("referrer", "wijkteam-delft", "local_team")
    assert entra["roles"] == ["Regiepunt.Reader", "coordinator"]


async def test_the_code_flow_with_pkce_gives_a_person_token_through_the_login_page() -> None:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    async with (
        start_identity_provider(redirect_uris=[REDIRECT_URI]) as provider,
        httpx.AsyncClient(follow_redirects=False, timeout=10.0) as browser,
    ):
        client_id, client_secret = provider.BROWSER_CLIENT
        answer = await browser.get(
            f"{provider.issuer}/auth",
            params={
                "client_id": client_id,
                "response_type": "code",
                "scope": "openid profile",
                "redirect_uri": REDIRECT_URI,
                "state": "s1",
                "nonce": "n1",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
            },
        )
        while answer.status_code in (302, 303) and not answer.headers["location"].startswith(REDIRECT_URI):
            answer = await browser.get(urljoin(str(answer.url), answer.headers["location"]))
        form_action = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
        assert form_action, answer.text[:500]
        answer = await browser.post(
            urljoin(str(answer.url), form_action.group(1)),
            data={"prompt": "login", "login": "coordinator", "password": "any"},
        )
        while not answer.headers["location"].startswith(REDIRECT_URI):
            answer = await browser.get(urljoin(str(answer.url), answer.headers["location"]))
        code = parse_qs(urlparse(answer.headers["location"]).query)["code"][0]
        tokens = (
            await browser.post(
                f"{provider.issuer}/token",
                data={
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": REDIRECT_URI,
                    "code_verifier": verifier,
                },
                auth=(client_id, client_secret),
            )
        ).json()
        access = await _verified_claims(provider.issuer, tokens["access_token"])
    assert (access["role"], access["org"], access["sub"]) == ("coordinator", "regio-haaglanden", "coordinator")
    assert "id_token" in tokens


async def test_a_rotation_publishes_a_new_key_and_retires_the_old() -> None:
    async with start_identity_provider() as provider:
        before = await provider.token("test-coordinator")
        await provider.rotate_keys()
        after = await provider.token("test-coordinator")
        assert await _verified_claims(provider.issuer, after)
        with pytest.raises(KeyError):
            await _verified_claims(provider.issuer, before)
