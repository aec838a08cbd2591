"""Signing in with the region's identity provider in a real browser: the tests' OpenID Connect provider
runs as a process, `make up`'s runner serves the three services configured with its issuer, and
headless Chromium, as a coordinator, opens the dashboard, signs in on the provider's login page, sees
the overview, signs out through the provider's confirmation, and is sent to sign in again."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest
from e2e_platform import ARTIFACTS, CHROMIUM, make_up, need_browser, service_urls, wait_for_start

from tests.oidc_provider.harness import start_identity_provider

# A short history: this test is about signing in, the dashboard's sections have a test of their own.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_SIGN_IN_DEMO_DAYS", "30")

pytestmark = pytest.mark.browser


async def test_a_coordinator_signs_in_at_the_identity_provider_and_out_again(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright, expect

    need_browser()
    urls = service_urls()
    intake = urls["intake"]
    async with start_identity_provider(
        redirect_uris=[f"{intake}/auth/callback"], post_logout_redirect_uris=[f"{intake}/login?signed_out=1"]
    ) as provider:
        client_id, client_secret = provider.BROWSER_CLIENT
        settings = {
            "REGIEPUNT_OIDC_ISSUER": provider.issuer,
            "REGIEPUNT_OIDC_CLIENT_ID": client_id,
            "REGIEPUNT_OIDC_CLIENT_SECRET": client_secret,
            "REGIEPUNT_SESSION_SECRET": "a-session-secret-for-this-test-only",
        }
        async with make_up(tmp_path, demo_days=DEMO_DAYS, urls=urls, settings=settings) as runner:
            await asyncio.to_thread(wait_for_start, runner.log_path, runner.process)
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            async with async_playwright() as driver:
                browser = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
                try:
                    context = await browser.new_context(viewport={"width": 1280, "height": 900})
                    page = await context.new_page()
                    blocked: list[str] = []
                    page.on(
                        "console",
                        lambda message: blocked.append(message.text) if "Content Security" in message.text else None,
                    )
                    visited: list[str] = []
                    page.on(
                        "request",
                        lambda request: visited.append(request.url) if request.is_navigation_request() else None,
                    )

                    # The dashboard sends to /login, which sends on to the provider's login page.
                    started = time.perf_counter()
                    await page.goto(f"{intake}/dashboard")
                    await expect(page.locator("input[name=login]")).to_be_visible()
                    assert page.url.startswith(provider.issuer)
                    assert f"{intake}/login?next=/dashboard" in visited
                    await page.screenshot(path=str(ARTIFACTS / "sign-in-provider.png"))
                    await page.fill("input[name=login]", "coordinator")
                    await page.fill("input[name=password]", "any")
                    await page.click("button[type=submit]")
                    await expect(page.locator("#places")).to_be_visible()
                    signed_in_seconds = time.perf_counter() - started
                    assert page.url == f"{intake}/dashboard"
                    await expect(page.locator("header .who")).to_contain_text("coordinator · regio-haaglanden")
                    session = next(c for c in await context.cookies(intake) if c["name"] == "regiepunt_session")
                    assert session["httpOnly"] is True and session["sameSite"] == "Lax" and session["path"] == "/"
                    assert not [c for c in await context.cookies(intake) if c["name"] == "regiepunt_sign_in"]
                    await page.screenshot(path=str(ARTIFACTS / "sign-in-dashboard.png"))

                    # Sign out: the provider asks to confirm, then sends the browser back, signed out.
                    await page.click("header form button")
                    await expect(page.locator("button[name=logout][value=yes]")).to_be_visible()
                    assert page.url.startswith(provider.issuer)
                    await page.click("button[name=logout][value=yes]")
                    await expect(page.get_by_role("status")).to_have_text("U bent afgemeld.")
                    assert page.url.startswith(f"{intake}/login?signed_out=1")
                    assert await page.get_attribute("html", "lang") == "nl"
                    assert not [c for c in await context.cookies(intake) if c["name"] == "regiepunt_session"]
                    await page.screenshot(path=str(ARTIFACTS / "sign-in-signed-out.png"))

                    # The dashboard sends to /login again, and the provider asks for the login again.
                    visited.clear()
                    await page.goto(f"{intake}/dashboard")
                    await expect(page.locator("input[name=login]")).to_be_visible()
                    assert f"{intake}/login?next=/dashboard" in visited
                    assert blocked == []
                finally:
                    await browser.close()
    (ARTIFACTS / "sign-in-timing.txt").write_text(f"sign-in through the identity provider: {signed_in_seconds:.2f} s\n")
    print(f"\nsign-in through the identity provider: {signed_in_seconds:.2f} s")
