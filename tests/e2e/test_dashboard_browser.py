"""The coordinators' dashboard in a real browser: `make up`'s runner serves the platform with the demo
set on free ports (once for every test here), and headless Chromium (Debian's package, driven by
Playwright) signs in with the printed token at desktop width (1440 px) and at phone width (390 px).
The tests read the pages as a coordinator would: every section filled, Dutch by default and English
on request, no code where a word belongs, the signals most urgent first with counts that agree with
the crisis stays, a phone that can reach the menu and the acknowledge form, and axe-core's WCAG 2.1 AA
checks on every page. Screenshots go to tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
import re
import subprocess
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from accessibility import describe, violations
from e2e_platform import ARTIFACTS, CHROMIUM, make_up, need_browser, wait_for_start

# A shorter history than `make up`'s full history keeps the test quick; every section still fills.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_DEMO_DAYS", "150")
TOKEN = re.compile(r"eyJ[\w-]+\.[\w-]+\.[\w-]+")
DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
# A code where a word belongs: a word with an underscore, or a target group's abbreviation.
CODE = re.compile(r"\b\w*_\w+\b|\b(?:jo|ggz|lvb)\b")

pytestmark = pytest.mark.browser


@dataclass
class Platform:
    process: subprocess.Popen[str]
    urls: dict[str, str]
    log_path: Path
    token: str

    @property
    def dashboard(self) -> str:
        return f"{self.urls['intake']}/dashboard"


@pytest.fixture(scope="module")
async def platform(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    need_browser()
    async with make_up(tmp_path_factory.mktemp("dashboard"), demo_days=DEMO_DAYS) as runner:
        output = await asyncio.to_thread(wait_for_start, runner.log_path, runner.process)
        tokens = TOKEN.findall(output.split("A development coordinator token")[1])
        assert tokens, output[-2000:]
        yield Platform(process=runner.process, urls=runner.urls, log_path=runner.log_path, token=tokens[0])


@pytest.fixture(scope="module")
async def browser(platform: Platform) -> AsyncIterator[Any]:
    from playwright.async_api import async_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with async_playwright() as driver:
        chromium = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            await chromium.close()


async def signed_in(browser: Any, platform: Platform, viewport: dict[str, int], **options: Any) -> tuple[Any, Any]:
    """A browser context and page signed in as the demo coordinator, through the sign-in form."""
    from playwright.async_api import expect

    context = await browser.new_context(viewport=viewport, locale="nl-NL", **options)
    page = await context.new_page()
    await page.goto(platform.dashboard)
    await page.get_by_label("Token").fill(platform.token)
    await page.get_by_role("button", name="Aanmelden").click()
    await expect(page.locator("#places")).to_be_visible()
    return context, page


async def visible_codes(page: Any) -> list[str]:
    return sorted(set(CODE.findall(await page.locator("body").inner_text())))


async def horizontal_overflow(page: Any) -> int:
    return int(await page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth"))


async def test_coordinator_signs_in_sees_the_region_and_acknowledges_a_signal(browser: Any, platform: Platform) -> None:
    from playwright.async_api import expect

    dashboard = platform.dashboard
    context = await browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = await context.new_page()
    # The pages' Content-Security-Policy must not block anything they need.
    blocked: list[str] = []
    page.on("console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None)

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
    assert "UTC" not in before and "Bijgewerkt" in before
    await page.evaluate("document.body.dataset.loadedOnce = 'yes'")
    await asyncio.sleep(1.1)  # the footer shows the server's time to the second
    await page.clock.fast_forward(31_000)
    await expect(footer).not_to_have_text(before, timeout=15_000)
    assert await page.evaluate("document.body.dataset.loadedOnce") == "yes"  # same document

    # Every section holds demo data, in words.
    assert await page.locator("#places table.places tbody tr").count() >= 8
    assert await page.locator("#places svg rect").count() >= 8
    assert await page.locator("#places td", has_text="buiten de regio").count() >= 1
    assert await page.locator("#waiting table.waiting tbody a").count() >= 1
    assert await page.locator("#crisis tbody a").count() >= 1
    assert await page.locator("#indicators .indicator").count() >= 6
    assert await page.locator("#indicators svg.wide polyline").count() == 2
    assert await page.locator("#availability table.freshness tbody tr").count() >= 1
    # A child is named by a readable reference (year and number), its age and municipality.
    first_child = page.locator("#waiting table.waiting tbody th").first
    assert re.match(r"\d{4}-\d{4,} \d+ jaar · \S", await first_child.inner_text())
    # An indicator's figures say what was counted.
    stay_length = page.locator('#indicators .indicator[data-name="average_length_of_stay"] .ratio')
    assert re.search(r"verblijfsdagen? van [\d.]+ beëindigde plaatsingen?", await stay_length.inner_text())
    # The flow chart's axes have round steps and month or week marks.
    steps = await page.locator("#indicators svg.wide text.axis").evaluate_all("texts => texts.map(t => t.textContent)")
    assert "0" in steps and len(steps) >= 6
    # Every part of a bar that holds places is drawn wide enough to see.
    widths = await page.locator("#places svg.bar-svg rect").evaluate_all(
        "rects => rects.map(r => r.getBoundingClientRect().width)"
    )
    assert min(widths) >= 2, widths
    signal_rows = page.locator("#signals tr.signal")
    assert await signal_rows.count() >= 1
    await page.screenshot(path=str(ARTIFACTS / "dashboard.png"))
    await page.screenshot(path=str(ARTIFACTS / "dashboard-full.png"), full_page=True)

    # Acknowledge the most urgent open signal with an analysis; it leaves the list.
    first = signal_rows.first
    row_id = await first.get_attribute("id")
    assert row_id is not None
    total_before = int(await page.locator("#signals h2 .count").inner_text())
    await first.locator("textarea[name=analysis]").fill("Besproken met de aanbieder en het lokale team.")
    await first.locator("button[type=submit]").click()
    await expect(page.locator("p.notice")).to_contain_text("Signaal afgehandeld")
    await expect(page.locator(f"#{row_id}")).to_have_count(0)
    assert int(await page.locator("#signals h2 .count").inner_text()) == total_before - 1

    # The indicators follow the period picker, whose fields are labelled dates.
    await page.get_by_label("Van", exact=True).fill("2026-01-05")
    await page.click("#indicators button[type=submit]")
    await expect(page.locator("#indicators input[name=from]")).to_have_value("2026-01-05")
    await expect(page.locator("#indicators .hint").first).to_contain_text("5 januari 2026")

    # A waiting child's page: its history and the decision behind its matching.
    await page.locator("#waiting table.waiting tbody a").first.click()
    await expect(page.locator("#history")).to_be_visible()
    assert await page.locator("#history tbody tr").count() >= 1
    await expect(page.locator("#decisions")).to_be_visible()
    assert re.match(r"Verwijzing \d{4}-\d{4,}", await page.locator("h1").inner_text())
    await page.screenshot(path=str(ARTIFACTS / "dashboard-referral.png"), full_page=True)

    # Sign out: the sign-in page again, and the cookie is gone.
    await page.click("header form button")
    await expect(page.locator("h1")).to_have_text("Aanmelden")
    await expect(page.get_by_role("status")).to_have_text("U bent afgemeld.")
    assert not [c for c in await context.cookies() if c["name"] == "regiepunt_session"]
    await page.goto(dashboard)
    await expect(page.get_by_label("Token")).to_be_visible()
    assert blocked == []
    await context.close()


async def test_signals_come_most_urgent_first_and_agree_with_the_crisis_stays(browser: Any, platform: Platform) -> None:
    context, page = await signed_in(browser, platform, DESKTOP)
    rows = page.locator("#signals tr.signal")
    kinds = await rows.evaluate_all("rows => rows.map(r => [r.dataset.type, r.dataset.resolved, r.dataset.daysLeft])")
    assert kinds, "the demo set has open signals"

    # One number for "past the cap": the crisis section's count, the crisis stays marked past the cap,
    # and the signals of that type whose condition still holds.
    def live(kind: str) -> str:
        return f'#signals ul.signal-counts a[data-type="{kind}"]'

    async def live_count(kind: str) -> int:
        chip = page.locator(live(kind))
        return int(await chip.get_attribute("data-live") or 0) if await chip.count() else 0

    past_cap = int(await page.locator("#crisis .crisis-past-cap").inner_text())
    approaching = int(await page.locator("#crisis .crisis-approaching").inner_text())
    assert past_cap == await live_count("crisis_cap_exceeded")
    assert approaching == await live_count("crisis_cap_approaching")
    assert await page.locator('#crisis tr[data-signal="crisis_cap_exceeded"]').count() == past_cap
    assert await page.locator('#crisis tr[data-signal="crisis_cap_approaching"]').count() == approaching

    # Most urgent first: the open stays past their cap (the furthest past first), then the crisis-cap
    # warnings (fewest days left first), then every other live signal, and those whose condition has gone
    # last. (A signal acknowledged earlier is no longer open but still counts as live above, so the list
    # may hold fewer stays past the cap than the count.)
    def tier(kind: str, resolved: str) -> int:
        if resolved == "yes":
            return 3
        return {"crisis_cap_exceeded": 0, "crisis_cap_approaching": 1}.get(kind, 2)

    tiers = [tier(kind, resolved) for kind, resolved, _ in kinds]
    assert tiers == sorted(tiers), kinds
    for crisis_tier in (0, 1):
        days = [int(d) for (_, _, d), t in zip(kinds, tiers, strict=True) if t == crisis_tier and d]
        assert days == sorted(days), kinds
    listed_past_cap = tiers.count(0)
    assert listed_past_cap <= past_cap

    # Paging reaches every open signal.
    total = int(await page.locator("#signals h2 .count").inner_text())
    if total > await rows.count():
        await page.locator('#signals nav.pages a[rel="next"]').click()
        await page.wait_for_url(re.compile(r"page=2"))
        assert await page.locator("#signals tr.signal").count() >= 1
    await context.close()


async def test_every_page_is_dutch_by_default_english_on_request_and_meets_wcag(
    browser: Any, platform: Platform
) -> None:
    context, page = await signed_in(browser, platform, DESKTOP)
    referral = await page.locator("#waiting table.waiting tbody a").first.get_attribute("href")
    crisis_referral = await page.locator("#crisis tbody a").first.get_attribute("href")
    assert referral and crisis_referral
    pages = {
        "overview": "/dashboard",
        "signals of one type": "/dashboard?signal_type=crisis_cap_exceeded#signals",
        "signals, second page": "/dashboard?page=2#signals",
        "indicators of a period": "/dashboard?from=2026-06-01&to=2026-11-30#indicators",
        "a waiting child's referral": referral,
        "a child in a crisis stay": crisis_referral,
    }
    for language, heading in (("nl", "Plekken per zorgvorm"), ("en", "Places per care type")):
        for name, path in pages.items():
            # The first English page asks for it; the choice is remembered for the next ones.
            first_english = language == "en" and name == "overview"
            await page.goto(f"{platform.urls['intake']}{path}{'?lang=en' if first_english else ''}")
            assert await page.get_attribute("html", "lang") == language, (language, name)
            codes = await visible_codes(page)
            assert not codes, f"{name} ({language}) shows codes: {codes}"
            found = await violations(page)
            assert not found, f"{name} ({language}):\n{describe(found)}"
        await page.goto(platform.dashboard)
        await page.locator("#places h2").wait_for()
        assert heading in await page.locator("#places h2").inner_text()
        if language == "nl":
            text = await page.locator("body").inner_text()
            assert "Wachtenden" in text and "Verklarende analyse" in text and "UTC" not in text
    await page.goto(f"{platform.dashboard}?lang=nl")
    await context.close()


async def test_on_a_phone_the_overview_and_a_referral_fit_and_every_action_is_reachable(
    browser: Any, platform: Platform
) -> None:
    from playwright.async_api import expect

    context, page = await signed_in(browser, platform, PHONE, is_mobile=True, has_touch=True)
    assert await horizontal_overflow(page) == 0

    # The menu folds behind a button; opened, it shows the sections, the user and "Afmelden".
    toggle = page.get_by_role("button", name="Menu", exact=True)
    await expect(toggle).to_be_visible()
    assert await toggle.get_attribute("aria-expanded") == "false"
    await expect(page.get_by_role("link", name="Signalen", exact=True)).to_be_hidden()
    await page.screenshot(path=str(ARTIFACTS / "dashboard-phone.png"))
    await toggle.click()
    assert await toggle.get_attribute("aria-expanded") == "true"
    await expect(page.get_by_role("link", name="Signalen", exact=True)).to_be_visible()
    await expect(page.get_by_role("button", name="Afmelden")).to_be_visible()
    await expect(page.locator("header .user")).to_be_visible()
    await toggle.click()

    # The charts' words are readable; tables scroll inside their card with the first column in view.
    label_height = await page.locator("#indicators svg.narrow text.axis").first.evaluate(
        "t => t.getBoundingClientRect().height"
    )
    assert label_height >= 10, label_height
    await expect(page.locator("#indicators svg.wide")).to_be_hidden()
    first_column = page.locator("#crisis table tbody th").first
    assert await first_column.evaluate("c => getComputedStyle(c).position") == "sticky"
    wrap = page.locator("#crisis .table-wrap")
    assert await wrap.evaluate("w => w.scrollWidth >= w.clientWidth && getComputedStyle(w).overflowX === 'auto'")

    # Sections fold and unfold.
    production = page.locator("#production details.fold")
    await page.locator("#production summary").click()
    assert await production.evaluate("d => !d.open")
    await page.locator("#production summary").click()
    assert await production.evaluate("d => d.open")

    # The acknowledge form of a signal is on screen and usable.
    first = page.locator("#signals tr.signal").first
    analysis = first.locator("textarea[name=analysis]")
    await analysis.scroll_into_view_if_needed()
    await expect(analysis).to_be_visible()
    box = await analysis.bounding_box()
    assert box is not None and box["width"] >= 250 and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    await analysis.fill("Telefonisch besproken met de aanbieder.")
    await first.get_by_role("button", name="Afhandelen").click()
    await expect(page.locator("p.notice")).to_contain_text("Signaal afgehandeld")
    assert await horizontal_overflow(page) == 0
    await page.screenshot(path=str(ARTIFACTS / "dashboard-phone-full.png"), full_page=True)

    # A child's page fits the phone as well.
    await page.locator("#waiting table.waiting tbody a").first.click()
    await expect(page.locator("#history")).to_be_visible()
    assert await horizontal_overflow(page) == 0
    await page.screenshot(path=str(ARTIFACTS / "dashboard-referral-phone.png"), full_page=True)
    await context.close()

    # Without script the menu is simply shown.
    still = await browser.new_context(viewport=PHONE, java_script_enabled=False, locale="nl-NL")
    bare = await still.new_page()
    await bare.goto(f"{platform.dashboard}")
    await bare.get_by_label("Token").fill(platform.token)
    await bare.get_by_role("button", name="Aanmelden").click()
    await expect(bare.get_by_role("link", name="Signalen", exact=True)).to_be_visible()
    await expect(bare.get_by_role("button", name="Menu", exact=True)).to_be_hidden()
    await still.close()
