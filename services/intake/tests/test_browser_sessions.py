"""Browser sessions over real HTTP (development sign-in with a pasted token): the redirect to /login,
the cookie's flags (Secure only behind a trusted proxy), CSRF, no open redirect, expiry, and logout
ending the session in the database."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import COORDINATOR, csrf_of, sign_in, submitted

from common.clock import ManualClock
from common.testing import token
from intake import workers
from intake.db import browser_sessions

SESSION = "regiepunt_session"


def session_cookie(response: httpx.Response) -> str:
    return next(value for value in response.headers.get_list("set-cookie") if value.startswith(f"{SESSION}="))


def flags(cookie: str) -> set[str]:
    return {part.strip().lower() for part in cookie.split(";")[1:]}


async def stored_sessions(app: FastAPI) -> list[sa.RowMapping]:
    async with app.state.database.read() as session:
        return list((await session.execute(sa.select(browser_sessions))).mappings())


@pytest.fixture
async def from_elsewhere(intake: httpx.AsyncClient, intake_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """A browser whose request reaches intake from an address that is not a trusted proxy."""
    transport = httpx.ASGITransport(app=intake_app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        yield client


async def test_a_browser_that_is_not_signed_in_is_sent_to_login_with_the_page_it_asked_for(
    intake: httpx.AsyncClient,
) -> None:
    response = await intake.get("/dashboard", params={"from": "2026-01-05", "to": "2026-03-01"})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/dashboard%3Ffrom%3D2026-01-05%26to%3D2026-03-01"
    portal = await intake.get("/portal")
    assert (portal.status_code, portal.headers["location"]) == (303, "/login?next=/portal")
    page = await intake.get(response.headers["location"])
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text and '<label for="token">' in page.text
    assert 'name="next" value="/dashboard?from=2026-01-05&amp;to=2026-03-01"' in page.text


async def test_sign_in_sets_an_http_only_lax_cookie_for_the_whole_site_and_back_to_next(
    intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    response = await sign_in(intake, next_path="/dashboard?signal_type=unmatched")
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard?signal_type=unmatched"
    cookie = session_cookie(response)
    assert {"httponly", "samesite=lax", "path=/"} <= flags(cookie)
    assert "secure" not in flags(cookie)  # plain http, no proxy said otherwise
    max_age = next(int(flag.split("=")[1]) for flag in flags(cookie) if flag.startswith("max-age="))
    assert 0 < max_age <= 12 * 3600
    # The database holds the cookie's hash and the person, never the cookie itself.
    value = cookie.split(";")[0].split("=", 1)[1]
    [row] = await stored_sessions(intake_app)
    assert row["id"] == hashlib.sha256(value.encode()).hexdigest()
    assert (row["sub"], row["role"], row["org"]) == ("coco", "coordinator", "Regiepunt Haaglanden")
    assert (await intake.get("/dashboard")).status_code == 200


async def test_the_cookie_is_secure_when_a_trusted_proxy_says_https(intake: httpx.AsyncClient) -> None:
    proxied = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "198.51.100.7"}
    page = await intake.get("/login", headers=proxied)
    nonce_cookie = page.headers["set-cookie"]
    assert "secure" in flags(nonce_cookie)
    # The test's client speaks plain http to the app, so it sends a Secure cookie only when told to.
    nonce = nonce_cookie.split(";")[0].split("=", 1)[1]
    response = await intake.post(
        "/login",
        data={"token": token("coordinator"), "nonce": nonce},
        headers={**proxied, "Cookie": f"regiepunt_sign_in_nonce={nonce}"},
    )
    assert response.status_code == 303
    assert "secure" in flags(session_cookie(response))


async def test_the_proxy_headers_of_an_untrusted_address_are_ignored(from_elsewhere: httpx.AsyncClient) -> None:
    response = await sign_in(from_elsewhere, **{"X-Forwarded-Proto": "https"})
    assert response.status_code == 303
    assert "secure" not in flags(session_cookie(response))


async def test_sign_in_without_the_form_nonce_is_refused(intake: httpx.AsyncClient) -> None:
    response = await intake.post("/login", data={"token": token("coordinator"), "nonce": "guess"})
    assert response.status_code == 400
    assert SESSION not in response.headers.get("set-cookie", "")
    assert (await intake.get("/dashboard")).status_code == 303


async def test_sign_in_with_a_bad_or_a_service_token_shows_the_form_again(intake: httpx.AsyncClient) -> None:
    page = await intake.get("/login")
    nonce = page.text.split('name="nonce" value="')[1].split('"')[0]
    bad = await intake.post("/login", data={"token": "not-a-jwt", "nonce": nonce})
    assert bad.status_code == 401
    assert "niet geldig" in bad.text and 'role="alert"' in bad.text
    nonce = bad.text.split('name="nonce" value="')[1].split('"')[0]  # the form shown again has a new one
    service = await intake.post("/login", data={"token": token("service", sub="service:matching"), "nonce": nonce})
    assert service.status_code == 403
    assert (await intake.get("/dashboard")).status_code == 303


@pytest.mark.parametrize(
    "next_path",
    [
        "https://evil.example/dashboard",
        "//evil.example/dashboard",
        "/\\evil.example",
        "dashboard",
        "/login?next=https://evil.example",
        "javascript:alert(1)",
    ],
)
async def test_sign_in_never_sends_the_browser_to_another_site(intake: httpx.AsyncClient, next_path: str) -> None:
    page = await intake.get("/login", params={"next": next_path})
    assert 'name="next"' not in page.text
    response = await sign_in(intake, next_path=next_path)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"


async def test_an_expired_session_is_sent_to_login_and_swept_by_the_workers(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await sign_in(intake)
    clock.advance(timedelta(hours=11))
    assert (await intake.get("/dashboard")).status_code == 200
    clock.advance(timedelta(hours=1, minutes=1))
    response = await intake.get("/dashboard")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/dashboard")
    assert len(await stored_sessions(intake_app)) == 1
    assert await workers.forget_expired_sessions(intake_app) == 1
    assert await stored_sessions(intake_app) == []


async def test_a_session_is_seen_when_used(intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock) -> None:
    await sign_in(intake)
    [before] = await stored_sessions(intake_app)
    clock.advance(timedelta(minutes=5))
    await intake.get("/dashboard")
    [after] = await stored_sessions(intake_app)
    assert after["last_seen_at"] > before["last_seen_at"]
    assert after["expires_at"] == before["expires_at"]


async def test_logout_needs_the_session_csrf_token_and_deletes_the_session(
    intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    signed_in = await sign_in(intake)
    cookie_value = session_cookie(signed_in).split(";")[0].split("=", 1)[1]
    forged = await intake.post("/logout", data={"csrf": "forged"})
    assert forged.status_code == 403
    assert '<html lang="nl">' in forged.text
    assert len(await stored_sessions(intake_app)) == 1

    response = await intake.post("/logout", data={"csrf": await csrf_of(intake)})
    assert response.status_code == 303
    assert response.headers["location"] == "/login?signed_out=1"
    assert "max-age=0" in session_cookie(response).lower()
    assert await stored_sessions(intake_app) == []
    signed_out = await intake.get(response.headers["location"])
    assert "U bent afgemeld" in signed_out.text
    # The cookie's value is worth nothing now, also to whoever copied it.
    replayed = await intake.get("/dashboard", headers={"Cookie": f"{SESSION}={cookie_value}"})
    assert replayed.status_code == 303


async def test_signing_in_again_ends_the_session_the_browser_had(
    intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await sign_in(intake)
    await sign_in(intake)
    assert len(await stored_sessions(intake_app)) == 1


async def test_a_form_sent_without_a_session_goes_to_login_without_coming_back_to_a_post(
    intake: httpx.AsyncClient,
) -> None:
    response = await intake.post("/dashboard/signals/s-1/acknowledge", data={"analysis": "Besproken met de aanbieder."})
    assert (response.status_code, response.headers["location"]) == (303, "/login")


async def test_the_access_log_names_the_person_of_the_session(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await sign_in(intake)
    assert (await intake.get(f"/dashboard/referrals/{referral['id']}")).status_code == 200
    log = await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR)
    assert any(entry["action"] == "read" and entry["sub"] == "coco" for entry in log.json()["items"])


async def test_a_referrer_lands_on_the_portal_page_in_dutch(intake: httpx.AsyncClient) -> None:
    response = await sign_in(intake, role="referrer")
    assert response.headers["location"] == "/portal"
    page = await intake.get("/portal")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text and "verwijzer" in page.text
    assert 'action="/logout"' in page.text and "Afmelden" in page.text


async def test_a_bearer_token_works_on_the_portal_without_a_session(intake: httpx.AsyncClient) -> None:
    page = await intake.get("/portal", headers=COORDINATOR)
    assert page.status_code == 200
    assert 'href="/dashboard"' in page.text
