"""The referrers' pages in a real browser: `make up`'s runner serves the platform with the demo set on free
ports, headless Chromium signs a referrer in with a pasted development token, fills the referral form with
one mistake, sees it named at its field, mends it, sends it and sees the proposal with the time it has
left, in Dutch and in English, at desktop and at phone width (390 px, no sideways scrolling), with no
WCAG 2.1 AA violations that axe-core finds; screenshots are saved under tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from accessibility import describe, violations
from e2e_platform import ARTIFACTS, CHROMIUM, make_up, need_browser, wait_for_start

from common.testing import bearer, token

# A short history keeps the test quick; the organisation still has referrals of its own to list.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_DEMO_DAYS", "30")
ORG = "Jeugdteam Den Haag Centrum"  # one of the demo set's referrers
PHONE = {"width": 390, "height": 844}

pytestmark = pytest.mark.browser


@dataclass
class Platform:
    urls: dict[str, str]


def valid_bsn(prefix: str) -> str:
    """A citizen number passing the eleven-test, from eight digits."""
    for last in range(10):
        digits = prefix + str(last)
        if sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2, -1), strict=True)) % 11 == 0:
            return digits
    return valid_bsn(str(int(prefix) + 1))


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    need_browser()
    async with make_up(tmp_path, demo_days=DEMO_DAYS) as runner:
        await asyncio.to_thread(wait_for_start, runner.log_path, runner.process)
        yield Platform(urls=runner.urls)


async def crisis_unit_with_room(capacity_url: str) -> dict[str, Any]:
    """A crisis group in Den Haag with free places, made through capacity's API, so that whatever the demo
    set's occupancy, the child gets a proposal."""
    coordinator = bearer("coordinator", org="Regiepunt Haaglanden", sub="dev-coordinator")
    async with httpx.AsyncClient(base_url=capacity_url, headers=coordinator, timeout=30) as capacity:
        provider = await capacity.post(
            "/v1/providers", json={"name": "Stichting Testhaven", "agb_code": "98765432", "role": "strategic"}
        )
        assert provider.status_code == 201, provider.text
        unit = await capacity.post(
            f"/v1/providers/{provider.json()['id']}/units",
            json={
                "name": "Crisisgroep Testhaven",
                "care_type": "crisis",
                "target_groups": ["jo", "lvb", "ggz"],
                "age_min": 0,
                "age_max": 17,
                "municipality_code": "GM0518",
                "capacity": 6,
                "specialisms": ["trauma"],
                "part_time": False,
            },
        )
        assert unit.status_code == 201, unit.text
        created: dict[str, Any] = unit.json()
        return created


async def no_sideways_scroll(page: Any) -> None:
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide at phone width"


async def accessible(page: Any) -> None:
    found = await violations(page)
    assert not found, f"{page.url}\n{describe(found)}"


async def test_referrer_refers_a_child_mends_a_mistake_and_sees_the_proposal_with_its_time_left(
    platform: Platform,
) -> None:
    from playwright.async_api import async_playwright, expect

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    await crisis_unit_with_room(platform.urls["capacity"])
    intake = platform.urls["intake"]
    referrer_token = token("referrer", org=ORG, sub="dr-jansen", referrer_type="local_team")
    bsn = valid_bsn("87654321")
    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            # As a browser in the Netherlands: its date fields read dd-mm-jjjj (the pages' words never
            # follow the browser's language).
            context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page = await context.new_page()
            blocked: list[str] = []
            page.on(
                "console", lambda message: blocked.append(message.text) if "Content Security" in message.text else None
            )

            # Not signed in: to the sign-in page, and back to the portal after pasting the token.
            await page.goto(f"{intake}/portal")
            await expect(page.locator("h1")).to_have_text("Aanmelden")
            await page.get_by_label("Token").fill(referrer_token)
            await page.get_by_role("button", name="Aanmelden").click()
            await expect(page.locator("h1")).to_have_text(f"Verwijzingen van {ORG}")
            assert await page.locator("li.referral").count() >= 1  # the demo set's referrals of this team
            await accessible(page)

            # The form, with one mistake: a citizen number that fails the eleven-test.
            await page.get_by_role("link", name="Nieuwe verwijzing").first.click()
            await expect(page.locator("h1")).to_have_text("Nieuwe verwijzing")
            await accessible(page)
            await page.get_by_label("Burgerservicenummer (BSN)").fill("123456789")
            await page.get_by_label("Geboortedatum").fill("2013-03-14")
            await page.get_by_label("Woongemeente").select_option("GM0518")
            await page.get_by_label("Zorgvorm").select_option("crisis")
            await page.get_by_label("Doelgroep").select_option("jo")
            await page.locator("#f-needs-trauma").check()
            await page.locator("#f-child_voice-heard-true").check()
            await page.get_by_label("Wat het kind zei (niet verplicht)").fill("Wil dicht bij oma blijven.")
            await page.get_by_label("Toelichting (niet verplicht)").fill("Vanavond niet veilig thuis.")
            await page.get_by_role("button", name="Verwijzing versturen").click()

            # Named in place, in Dutch, with what was typed still there.
            error = page.locator("#f-client-bsn-error")
            await expect(error).to_contain_text("elfproef")
            bsn_field = page.get_by_label("Burgerservicenummer (BSN)")
            await expect(bsn_field).to_have_attribute("aria-invalid", "true")
            assert "f-client-bsn-error" in (await bsn_field.get_attribute("aria-describedby") or "")
            await expect(page.locator(".error-summary a[href='#f-client-bsn']")).to_contain_text(
                "Burgerservicenummer (BSN): Dit is geen geldig burgerservicenummer"
            )
            await expect(page.get_by_label("Toelichting (niet verplicht)")).to_have_value("Vanavond niet veilig thuis.")
            await expect(page.locator("#f-needs-trauma")).to_be_checked()
            await expect(page.get_by_label("Zorgvorm")).to_have_value("crisis")
            await accessible(page)

            # Mended and sent: the referral with its proposal and the hours the place is held.
            await bsn_field.fill(bsn)
            await page.get_by_role("button", name="Verwijzing versturen").click()
            await expect(page.get_by_role("status")).to_contain_text("De verwijzing is ontvangen.")
            await expect(page.locator("#referral .status")).to_have_text("Plek voorgesteld")
            held = page.locator("#referral .time-left time")
            await expect(held).to_contain_text("uur")
            await expect(page.locator("#proposal")).to_be_visible()
            await accessible(page)
            await page.screenshot(path=str(ARTIFACTS / "portal-referrer.png"), full_page=True)
            referral_url = page.url.split("?")[0]

            # In English on request.
            await page.goto(f"{referral_url}?lang=en")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
            await expect(page.locator("#referral .status")).to_have_text("Place proposed")
            await expect(page.locator("#referral .time-left time")).to_contain_text("hour")
            await accessible(page)

            # The list shows it too, with the time left.
            await page.goto(f"{intake}/portal?lang=nl")
            first = page.locator("li.referral").first
            await expect(first.locator(".time-left time")).to_contain_text("uur")
            await expect(first).to_contain_text(bsn)

            # At phone width: every page fits, nothing to scroll sideways, still accessible.
            await page.set_viewport_size(PHONE)
            for path in ("/portal", "/portal/referrer/new", "/portal/referrer/notices", referral_url):
                await page.goto(path if path.startswith("http") else f"{intake}{path}")
                await no_sideways_scroll(page)
                await accessible(page)
            await page.goto(f"{intake}/portal/referrer/new")
            await page.get_by_role("button", name="Verwijzing versturen").click()
            await expect(page.locator("#f-client-bsn-error")).to_contain_text("Vul dit in.")
            await expect(page.locator("#error-summary")).to_be_focused()
            await no_sideways_scroll(page)
            await accessible(page)
            await page.screenshot(path=str(ARTIFACTS / "portal-referrer-form-phone.png"), full_page=True)
            await page.goto(f"{referral_url}?lang=en")
            await no_sideways_scroll(page)
            await page.goto(referral_url + "?lang=nl")
            await page.screenshot(path=str(ARTIFACTS / "portal-referrer-phone.png"), full_page=True)
            assert blocked == []
        finally:
            await browser.close()
