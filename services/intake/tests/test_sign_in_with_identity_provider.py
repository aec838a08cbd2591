"""Signing a browser in with the region's identity provider, over real HTTP: intake (configured with the
issuer) against the tests' real OpenID Connect provider process, whose login page is driven with
httpx as a browser would. The code flow with PKCE, the session it opens, and RP-initiated logout."""

from __future__ import annotations

import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import parse_qs, urljoin, urlparse

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import csrf_of

from common.clock import ManualClock
from intake.db import browser_sessions
from intake.main import create_app
from intake.settings import IntakeSettings
from tests.oidc_provider.harness import IdentityProvider, start_identity_provider

INTAKE = "http://intake"
CALLBACK = f"{INTAKE}/auth/callback"
SIGNED_OUT = f"{INTAKE}/login?signed_out=1"
FORM_ACTION = re.compile(r'<form[^>]*action="([^"]+)"')


@dataclass
class SignIn:
    provider: IdentityProvider
    app: FastAPI
    intake: httpx.AsyncClient  # the browser, as far as intake sees it
    browser: httpx.AsyncClient  # the same browser at the identity provider


@pytest.fixture
async def sign_in(
    intake: httpx.AsyncClient, intake_app: FastAPI, capacity_app: FastAPI, matching_app: FastAPI, clock: ManualClock
) -> AsyncIterator[SignIn]:
    """Intake as configured for the provider, on the same (clean) database as the `intake` fixture."""
    async with start_identity_provider(redirect_uris=[CALLBACK], post_logout_redirect_uris=[SIGNED_OUT]) as provider:
        client_id, client_secret = provider.BROWSER_CLIENT
        settings: IntakeSettings = intake_app.state.settings
        configured = {"oidc_issuer": provider.issuer, "oidc_client_id": client_id, "oidc_client_secret": client_secret}
        app = create_app(
            settings.model_copy(update=configured),
            clock=clock,
            capacity_transport=httpx.ASGITransport(app=capacity_app),
            matching_transport=httpx.ASGITransport(app=matching_app),
        )
        try:
            async with (
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=INTAKE) as browser_at_intake,
                httpx.AsyncClient(timeout=10.0) as browser_at_provider,
            ):
                yield SignIn(provider, app, browser_at_intake, browser_at_provider)
        finally:
            await app.state.database.dispose()


async def through_login_page(flow: SignIn, location: str, login: str = "coordinator") -> str:
    """Follows the provider's pages from the authorization request to the redirect back to intake."""
    answer = await flow.browser.get(location)
    while answer.status_code in (302, 303):
        answer = await flow.browser.get(urljoin(str(answer.url), answer.headers["location"]))
    action = FORM_ACTION.search(answer.text)
    assert action, answer.text[:500]
    answer = await flow.browser.post(
        urljoin(str(answer.url), action[1]), data={"prompt": "login", "login": login, "password": "any"}
    )
    while not answer.headers["location"].startswith(INTAKE):
        answer = await flow.browser.get(urljoin(str(answer.url), answer.headers["location"]))
    return str(answer.headers["location"])


async def sessions(app: FastAPI) -> list[sa.RowMapping]:
    async with app.state.database.read() as session:
        return list((await session.execute(sa.select(browser_sessions))).mappings())


async def test_a_coordinator_signs_in_at_the_provider_and_lands_on_the_page_asked_for(
    sign_in: SignIn, clock: ManualClock
) -> None:
    asked = await sign_in.intake.get("/dashboard", params={"signal_type": "unmatched"})
    assert asked.status_code == 303
    start = await sign_in.intake.get(asked.headers["location"])
    assert start.status_code == 302
    authorize = urlparse(start.headers["location"])
    assert f"{authorize.scheme}://{authorize.netloc}" == sign_in.provider.issuer
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["redirect_uri"] == [CALLBACK] and query["client_id"] == [sign_in.provider.BROWSER_CLIENT[0]]
    state_cookie = start.headers["set-cookie"].lower()
    assert state_cookie.startswith("regiepunt_sign_in=")
    assert {"httponly", "samesite=lax", "path=/"} <= {part.strip() for part in state_cookie.split(";")}

    back = await sign_in.intake.get(await through_login_page(sign_in, start.headers["location"]))
    assert back.status_code == 303
    assert back.headers["location"] == "/dashboard?signal_type=unmatched"
    overview = await sign_in.intake.get(back.headers["location"])
    assert overview.status_code == 200 and 'id="places"' in overview.text
    # Signing out continues at the provider: the one other place the page's forms may lead.
    policy = [directive.split() for directive in overview.headers["content-security-policy"].split(";")]
    assert ["form-action", "'self'", sign_in.provider.issuer] in policy
    [row] = await sessions(sign_in.app)
    assert (row["sub"], row["role"], row["org"]) == ("coordinator", "coordinator", "regio-haaglanden")
    assert row["id_token"]
    # The session lasts as long as the provider's token (an hour here), not the 12 hours at most.
    assert row["expires_at"].replace(tzinfo=None) == (clock.now() + timedelta(hours=1)).replace(tzinfo=None)


async def test_logout_ends_the_session_here_and_at_the_provider(sign_in: SignIn) -> None:
    start = await sign_in.intake.get("/login")
    await sign_in.intake.get(await through_login_page(sign_in, start.headers["location"]))
    [row] = await sessions(sign_in.app)

    logout = await sign_in.intake.post("/logout", data={"csrf": await csrf_of(sign_in.intake)})
    assert logout.status_code == 303
    end_session = urlparse(logout.headers["location"])
    assert f"{end_session.scheme}://{end_session.netloc}" == sign_in.provider.issuer
    query = parse_qs(end_session.query)
    assert query["id_token_hint"] == [row["id_token"]]
    assert query["post_logout_redirect_uri"] == [SIGNED_OUT]
    assert await sessions(sign_in.app) == []
    assert (await sign_in.intake.get("/dashboard")).status_code == 303

    # The provider asks to confirm, then sends the browser back to the signed-out page.
    confirm = await sign_in.browser.get(logout.headers["location"])
    action = FORM_ACTION.search(confirm.text)
    assert action, confirm.text[:500]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', confirm.text))
    answer = await sign_in.browser.post(urljoin(str(confirm.url), action[1]), data={**fields, "logout": "yes"})
    while not answer.headers["location"].startswith(INTAKE):
        answer = await sign_in.browser.get(urljoin(str(answer.url), answer.headers["location"]))
    assert answer.headers["location"].startswith(SIGNED_OUT)
    page = await sign_in.intake.get(answer.headers["location"])
    assert page.status_code == 200 and "U bent afgemeld" in page.text
    # Signing in again needs the login page again: the provider's session has ended too.
    again = await sign_in.intake.get("/login")
    at_provider = await sign_in.browser.get(again.headers["location"])
    while at_provider.status_code in (302, 303):
        at_provider = await sign_in.browser.get(urljoin(str(at_provider.url), at_provider.headers["location"]))
    assert FORM_ACTION.search(at_provider.text)


async def test_a_callback_that_no_sign_in_here_started_is_refused(sign_in: SignIn) -> None:
    start = await sign_in.intake.get("/login")
    callback = await through_login_page(sign_in, start.headers["location"])
    forged = callback.replace("state=", "state=forged")
    refused = await sign_in.intake.get(forged)
    assert refused.status_code == 400
    assert '<html lang="nl">' in refused.text and 'role="alert"' in refused.text
    assert await sessions(sign_in.app) == []


async def test_next_pointing_elsewhere_is_dropped_at_the_provider_sign_in(sign_in: SignIn) -> None:
    start = await sign_in.intake.get("/login", params={"next": "https://evil.example/"})
    back = await sign_in.intake.get(await through_login_page(sign_in, start.headers["location"]))
    assert back.headers["location"] == "/dashboard"


async def test_a_referrer_lands_on_the_portal(sign_in: SignIn) -> None:
    start = await sign_in.intake.get("/login")
    back = await sign_in.intake.get(await through_login_page(sign_in, start.headers["location"], login="referrer"))
    assert back.headers["location"] == "/portal"
    assert "verwijzer" in (await sign_in.intake.get("/portal")).text


async def test_behind_a_trusted_proxy_the_sign_in_is_https_throughout(sign_in: SignIn) -> None:
    start = await sign_in.intake.get("/login", headers={"X-Forwarded-Proto": "https"})
    assert start.status_code == 302
    assert parse_qs(urlparse(start.headers["location"]).query)["redirect_uri"] == ["https://intake/auth/callback"]
    assert "secure" in {part.strip() for part in start.headers["set-cookie"].lower().split(";")}


async def test_an_unreachable_identity_provider_gets_a_page_that_says_so(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        nowhere = f"http://127.0.0.1:{unused.getsockname()[1]}"
    settings: IntakeSettings = intake_app.state.settings
    app = create_app(settings.model_copy(update={"oidc_issuer": nowhere, "oidc_client_id": "x"}), clock=clock)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=INTAKE) as browser:
            response = await browser.get("/login")
    finally:
        await app.state.database.dispose()
    assert response.status_code == 503
    assert '<html lang="nl">' in response.text and "niet bereikbaar" in response.text
