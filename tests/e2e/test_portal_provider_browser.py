"""The providers' pages in a real browser: `make up`'s runner serves the platform with the demo set on
free ports; referrers send children in crisis until one provider has a crisis proposal and another one
waiting; headless Chromium signs in as a person of that provider (a development token pasted at
/login), sees the crisis proposal first with its time left counting down, accepts it, blocks a place,
confirms availability and declines the other proposal with a reason; the same pages in Dutch and in
English and at a phone's 390 px width, with no WCAG 2.1 AA violation axe-core can find. Screenshots
go to tests/artifacts/."""

from __future__ import annotations

import asyncio
import os
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from accessibility import describe, violations
from e2e_platform import ARTIFACTS, CHROMIUM, make_up, need_browser, wait_for_start

from common.testing import token

# A short history: the portal needs the demo's providers and units, not the full history of stays.
DEMO_DAYS = os.environ.get("REGIEPUNT_TEST_PORTAL_DEMO_DAYS", "40")
# Children in crisis sent in until one provider has a crisis proposal and one more.
MAX_REFERRALS = 12

pytestmark = pytest.mark.browser


@dataclass
class Platform:
    urls: dict[str, str]


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Platform]:
    need_browser()
    async with make_up(tmp_path, demo_days=DEMO_DAYS) as runner:
        await asyncio.to_thread(wait_for_start, runner.log_path, runner.process)
        yield Platform(urls=runner.urls)


def _bsn(number: int) -> str:
    """A citizen number passing the eleven-test, none of the demo's (they start at 1xxxxxxxx)."""
    while True:
        digits = f"{number:08d}"
        last = sum(int(d) * w for d, w in zip(digits, (9, 8, 7, 6, 5, 4, 3, 2), strict=True)) % 11
        if last < 10:
            return digits + str(last)
        number += 1


async def _proposals_by_provider(
    client: httpx.AsyncClient, coordinator: dict[str, str]
) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    offset: int | None = 0
    while offset is not None:
        response = await client.get(
            "/v1/referrals", params={"status": "proposed", "limit": 200, "offset": offset}, headers=coordinator
        )
        assert response.status_code == 200, response.text
        body = response.json()
        for referral in body["items"]:
            found.setdefault(referral["proposal"]["provider_id"], []).append(referral)
        offset = body["next_offset"]
    return found


async def provider_with_a_crisis_proposal(intake: str) -> tuple[str, list[dict[str, Any]]]:
    """A provider with a crisis proposal and at least one more, sending children in crisis as needed."""
    coordinator = {"Authorization": f"Bearer {token('coordinator', org='Regiepunt Haaglanden', sub='coco')}"}
    referrer_token = token("referrer", org="Veilig Thuis Haaglanden", sub="vera", referrer_type="certified_institution")
    referrer = {"Authorization": f"Bearer {referrer_token}"}
    async with httpx.AsyncClient(base_url=intake, timeout=30) as client:
        for attempt in range(MAX_REFERRALS + 1):
            by_provider = await _proposals_by_provider(client, coordinator)
            for provider_id, referrals in sorted(by_provider.items()):
                if len(referrals) >= 2 and any(r["care_type"] == "crisis" for r in referrals):
                    return provider_id, referrals
            if attempt == MAX_REFERRALS:
                break
            body = {
                "client": {
                    "bsn": _bsn(90_000_000 + 17 * attempt),
                    "birth_date": "2012-05-01",
                    "municipality_code": "GM0518",
                },
                "care_type": "crisis",
                "target_group": "jo",
                "needs": [],
                "part_time": False,
                "requested_start": None,
                "out_of_region": None,
            }
            sent = await client.post("/v1/referrals", json=body, headers=referrer)
            assert sent.status_code == 201, sent.text
    pytest.fail("no provider got a crisis proposal and a second one")


async def no_violations(page: Any, where: str) -> None:
    found = await violations(page)
    assert not found, f"{where}:\n{describe(found)}"


async def fits_the_width(page: Any) -> None:
    widths = await page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"the page scrolls sideways: {widths[0]} px wide in {widths[1]} px"


async def test_a_provider_answers_proposals_and_keeps_its_places_current(platform: Platform) -> None:
    from playwright.async_api import async_playwright, expect

    intake = platform.urls["intake"]
    provider_id, proposals = await provider_with_a_crisis_proposal(intake)
    crisis = next(r for r in proposals if r["care_type"] == "crisis")
    other = next(r for r in proposals if r["id"] != crisis["id"])
    pasted = token("provider", org="Aanbieder", sub="petra", provider_id=provider_id)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async with async_playwright() as driver:
        browser = await driver.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")
            page = await context.new_page()
            blocked: list[str] = []
            page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
            await page.clock.install()

            # Not signed in: to the sign-in page, and back to /portal after.
            await page.goto(f"{intake}/portal")
            assert page.url.endswith("/login?next=/portal")
            await page.get_by_label("Token").fill(pasted)
            await page.get_by_role("button", name="Aanmelden").click()
            await expect(page.locator("#proposals")).to_be_visible()
            assert page.url == f"{intake}/portal"

            # The crisis proposal comes first, with its time left, counting down.
            cards = page.locator("#proposals article.proposal")
            assert await cards.count() >= 2
            first = cards.first
            await expect(first).to_have_class(re.compile(r"\bcrisis\b"))
            countdown = first.locator("time.countdown")
            before = await countdown.inner_text()
            assert re.fullmatch(r"(\d+ u )?\d+ min", before), before
            await page.clock.fast_forward("16:00")
            await expect(countdown).not_to_have_text(before)
            assert "BSN" not in await page.locator("#proposals").inner_text()
            await no_violations(page, "portal, Dutch")
            await page.screenshot(path=str(ARTIFACTS / "portal-provider.png"))
            await page.screenshot(path=str(ARTIFACTS / "portal-provider-full.png"), full_page=True)

            # The same page on a phone, 390 px wide, with the proposals still waiting.
            phone = await context.new_page()
            await phone.set_viewport_size({"width": 390, "height": 844})
            await phone.goto(f"{intake}/portal")
            await expect(phone.locator("#proposals article.proposal.crisis").first).to_be_visible()
            await fits_the_width(phone)
            await no_violations(phone, "portal at 390 px")
            await phone.screenshot(path=str(ARTIFACTS / "portal-provider-phone.png"))
            await phone.close()

            # Accept the crisis proposal with today's date: the child is placed, its crisis days shown.
            card = page.locator(f"#proposal-{crisis['id']}")
            await card.get_by_role("button", name="Accepteren").click()
            await expect(page.get_by_role("status")).to_have_text("Voorstel geaccepteerd: het kind is bij u geplaatst.")
            child = page.locator(f"#child-{crisis['id']}")
            await expect(child).to_contain_text("over, tot")

            # Block a place of a unit that has one free.
            unit = (
                page.locator("#units article.unit:not(.closed)")
                .filter(has=page.locator("div.free dd", has_not_text=re.compile(r"^0$")))
                .first
            )
            unit_id = (await unit.get_attribute("id") or "").removeprefix("unit-")
            blocked_now = int(await unit.locator("input[name=blocked]").input_value())
            await unit.locator("input[name=blocked]").fill(str(blocked_now + 1))
            await unit.get_by_role("button", name="Plekken opslaan").click()
            await expect(page.get_by_role("status")).to_have_text("De plekken zijn opgeslagen.")
            await expect(page.locator(f"#unit-{unit_id} input[name=blocked]")).to_have_value(str(blocked_now + 1))

            # Confirm availability of that unit.
            await page.locator(f"#unit-{unit_id}").get_by_role("button", name="Beschikbaarheid bevestigen").click()
            await expect(page.get_by_role("status")).to_contain_text("Beschikbaarheid bevestigd")
            await expect(page.locator(f"#unit-{unit_id} .tag-stale")).to_have_count(0)

            # Decline the other proposal with a reason code and a word of explanation.
            card = page.locator(f"#proposal-{other['id']}")
            await card.get_by_label("Reden van afwijzen").select_option("staffing")
            await card.get_by_label("Toelichting (niet verplicht)").fill("Twee collega's ziek deze week.")
            await card.get_by_role("button", name="Afwijzen").click()
            await expect(page.get_by_role("status")).to_contain_text("Voorstel afgewezen")
            await no_violations(page, "portal after the answers")

            # A bad field is named beside itself (and keeps what was typed).
            unit_card = page.locator(f"#unit-{unit_id}")
            await unit_card.locator("input[name=capacity]").fill("-1")
            await unit_card.locator("form.availability").evaluate("form => form.noValidate = true")
            await unit_card.get_by_role("button", name="Plekken opslaan").click()
            await expect(page.locator(f"#capacity-{unit_id}-error")).to_be_visible()
            await expect(page.locator(f"#capacity-{unit_id}")).to_have_value("-1")
            await no_violations(page, "portal with a field in error")

            # The unit's details and a new unit's form.
            await page.goto(f"{intake}/portal/units/{unit_id}")
            await expect(page.locator("h1")).to_contain_text("Gegevens van")
            await no_violations(page, "a unit's details")
            await page.goto(f"{intake}/portal/units/new")
            await no_violations(page, "a new unit")

            # The same page in English, remembered.
            await page.goto(f"{intake}/portal?lang=en")
            await expect(page.locator("#proposals h2")).to_contain_text("Proposals waiting for your answer")
            await expect(page.locator("html")).to_have_attribute("lang", "en")
            await no_violations(page, "portal, English")
            await page.goto(f"{intake}/portal")
            await expect(page.locator("#units h2")).to_contain_text("Your units and places")
            await page.goto(f"{intake}/portal?lang=nl")

            # At a phone's width: nothing scrolls sideways, nothing fails axe.
            await page.set_viewport_size({"width": 390, "height": 844})
            await page.goto(f"{intake}/portal")
            await fits_the_width(page)
            await no_violations(page, "portal at 390 px, after the answers")
            await page.screenshot(path=str(ARTIFACTS / "portal-provider-phone-full.png"), full_page=True)
            await page.goto(f"{intake}/portal/units/{unit_id}")
            await fits_the_width(page)
            assert blocked == []
        finally:
            await browser.close()

    # What the pages did is what the API says now.
    coordinator = {"Authorization": f"Bearer {token('coordinator', org='Regiepunt Haaglanden', sub='coco')}"}
    async with httpx.AsyncClient(base_url=intake, timeout=30) as client:
        placed = (await client.get(f"/v1/referrals/{crisis['id']}", headers=coordinator)).json()
        assert placed["status"] == "placed" and placed["placement"]["provider_id"] == provider_id
        declined = (await client.get(f"/v1/referrals/{other['id']}", headers=coordinator)).json()
        assert (declined["proposal"] or {}).get("unit_id") != other["proposal"]["unit_id"]
    async with httpx.AsyncClient(base_url=platform.urls["capacity"], timeout=30) as client:
        unit_now = (await client.get(f"/v1/units/{unit_id}", headers=coordinator)).json()
        assert unit_now["blocked"] == blocked_now + 1
        assert unit_now["availability_stale"] is False
