"""The coordinators' dashboard in a real browser: `make up`'s runner serves the platform with the demo
set on free ports, headless Chromium (Debian's package, driven by Playwright) signs in with the printed
token, sees every section filled, acknowledges a signal and sees it gone, and saves screenshots under
tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from accessibility import describe, violations
from e2e_platform import ARTIFACTS, CHROMIUM, make_up, need_browser, wait_for_start

# A shorter history than `make up`'s two years keeps the test quick; every section still fills.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_DEMO_DAYS", "150")
TOKEN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")

pytestmark = pytest.mark.browser


@dataclass
class Platform:
    process: subprocess.Popen[str]
    urls: dict[str, str]
    log_path: Path
    token: str


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    need_browser()
    async with make_up(tmp_path, demo_days=DEMO_DAYS) as runner:
        output = await asyncio.to_thread(wait_for_start, runner.log_path, runner.process)
        tokens = TOKEN.findall(output.split("A development coordinator token")[1])
        assert tokens, output[-2000:]
        yield Platform(process=runner.process, urls=runner.urls, log_path=runner.log_path, token=tokens[0])


async def test_coordinator_signs_in_sees_the_region_and_acknowledges_a_signal(platform: Platform) -> None:
    from playwright.async_api import async_playwright, expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    dashboard = f"{platform.urls['intake']}/dashboard"
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            page = await context.new_page()
            # The pages' Content-Security-Policy must not block anything they need.
            blocked: list[str] = []
            page.on(
                "console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None
            )

            # The dashboard sends to the sign-in page; sign in with the token `make up` printed.
            await page.clock.install()  # so that the 30 s refresh can be fast-forwarded
            await page.goto(dashboard)
            await expect(page.locator("h1")).to_have_text("Aanmelden")
            assert page.url.endswith("/login?next=/dashboard")
            found = await violations(page)
            assert not found, describe(found)
            await page.get_by_label("Token").fill(platform.token)
            await page.get_by_role("button", name="Aanmelden").click()
            await expect(page.locator("#places")).to_be_visible()
            assert page.url == dashboard and platform.token not in page.url
            session = next(c for c in await context.cookies() if c["name"] == "regiepunt_session")
            assert session["httpOnly"] is True and session["sameSite"] == "Lax"
            assert platform.token not in session["value"]
            assert await page.evaluate("document.cookie") == ""  # out of reach of scripts
            assert await page.get_attribute("body", "data-refresh") == "30"

            # It refreshes by itself: 30 s later the page holds a newer rendering, without a reload.
            footer = page.locator("footer")
            before = await footer.inner_text()
            await page.evaluate("document.body.dataset.loadedOnce = 'yes'")
            await asyncio.sleep(1.1)  # the footer shows the server's time to the second
            await page.clock.fast_forward(31_000)
            await expect(footer).not_to_have_text(before, timeout=15_000)
            assert await page.evaluate("document.body.dataset.loadedOnce") == "yes"  # same document

            # Every section holds demo data.
            assert await page.locator("#places table.places tbody tr").count() >= 8
            assert await page.locator("#places svg rect").count() >= 8
            assert await page.locator("#places td", has_text="outside the region").count() >= 1
            assert await page.locator("#waiting tbody a").count() >= 1
            assert await page.locator("#crisis tbody a").count() >= 1
            assert await page.locator("#indicators .indicator").count() >= 6
            assert await page.locator("#indicators svg polyline").count() == 2
            signal_rows = page.locator("#signals tr.signal")
            assert await signal_rows.count() >= 1
            await page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
            await page.screenshot(path=str(ARTIFACTS / "dashboard-full.png"), full_page=True)

            # Acknowledge the newest open signal with an analysis; it leaves the list.
            first = signal_rows.first
            row_id = await first.get_attribute("id")
            assert row_id is not None
            total_before = int(await page.locator("#signals h2 .count").inner_text())
            await first.locator("textarea[name=analysis]").fill("Discussed with the provider and the local team.")
            await first.locator("button[type=submit]").click()
            await expect(page.locator("p.notice")).to_contain_text("Signal acknowledged")
            await expect(page.locator(f"#{row_id}")).to_have_count(0)
            assert int(await page.locator("#signals h2 .count").inner_text()) == total_before - 1

            # The indicators follow the period picker.
            await page.fill("#indicators input[name=from]", "2026-01-05")
            await page.click("#indicators button[type=submit]")
            await expect(page.locator("#indicators input[name=from]")).to_have_value("2026-01-05")

            # A waiting child's page: its history and the decision behind its matching.
            await page.locator("#waiting tbody a").first.click()
            await expect(page.locator("#history")).to_be_visible()
            assert await page.locator("#history tbody tr").count() >= 1
            await expect(page.locator("#decisions")).to_be_visible()
            await page.screenshot(path=str(ARTIFACTS / "dashboard-referral.png"), full_page=True)

            # Sign out: the sign-in page again, and the cookie is gone.
            await page.click("header form button")
            await expect(page.locator("h1")).to_have_text("Aanmelden")
            await expect(page.get_by_role("status")).to_have_text("U bent afgemeld.")
            assert not [c for c in await context.cookies() if c["name"] == "regiepunt_session"]
            await page.goto(dashboard)
            await expect(page.get_by_label("Token")).to_be_visible()
            assert blocked == []
        finally:
            await browser.close()
