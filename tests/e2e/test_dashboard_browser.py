"""The coordinators' dashboard in a real browser: `make up`'s runner serves the platform with the demo
set on free ports, headless Chromium (Debian's package, driven by Playwright) signs in with the printed
token, sees every section filled, acknowledges a signal and sees it gone, and saves screenshots under
tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from e2e_platform import make_up

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# A shorter history than `make up`'s two years keeps the test quick; every section still fills.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_DEMO_DAYS", "150")
TOKEN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")

pytestmark = pytest.mark.browser


def _need_browser() -> None:
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@dataclass
class Platform:
    process: subprocess.Popen[str]
    urls: dict[str, str]
    log_path: Path
    token: str


def _wait_for_start(log_path: Path, process: subprocess.Popen[str], timeout: float = 900.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log_path.read_text()
        if "Regiepunt is running" in content and "Stop with Ctrl-C" in content:
            return content
        if process.poll() is not None:
            pytest.fail(f"the runner exited early ({process.returncode}):\n{content[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"the platform did not start within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    _need_browser()
    async with make_up(tmp_path, demo_days=DEMO_DAYS) as runner:
        output = await asyncio.to_thread(_wait_for_start, runner.log_path, runner.process)
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

            # Sign in with the token `make up` printed.
            await page.clock.install()  # so that the 30 s refresh can be fast-forwarded
            await page.goto(dashboard)
            await expect(page.locator("h1")).to_have_text("Sign in")
            await page.fill("textarea#token", platform.token)
            await page.click("button[type=submit]")
            await expect(page.locator("#places")).to_be_visible()
            assert platform.token not in page.url
            session = next(c for c in await context.cookies() if c["name"] == "regiepunt_session")
            assert session["httpOnly"] is True and session["sameSite"] == "Strict"
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
            await expect(page.locator("h1")).to_have_text("Sign in")
            assert not [c for c in await context.cookies() if c["name"] == "regiepunt_session"]
            assert blocked == []
        finally:
            await browser.close()
