"""The referrers' pages on /portal over real HTTP: the referral form with the API's validation named in
place, the organisation's referrals and no other's, withdrawing with confirmation and CSRF, and e-mail
notice subscribed from the page reaching a real SMTP server."""

from __future__ import annotations

import re
from typing import Any

import httpx
from fastapi import FastAPI
from intake_support import (
    CSRF,
    OTHER_REFERRER,
    REFERRER,
    REFERRER_ORG,
    SIGN_IN_NONCE,
    provider_headers,
    provider_with_unit,
    submitted,
)
from notification_support import smtp_server

from common.testing import token
from intake.workers import deliver_notifications

KEY = re.compile(r'name="idempotency_key" value="([^"]+)"')
GOOD_BSN = "123456782"
BAD_BSN = "123456789"  # fails the eleven-test


async def sign_in_referrer(intake: httpx.AsyncClient, org: str = REFERRER_ORG) -> None:
    """The browser signs in with a pasted referrer's token (development: no identity provider)."""
    page = await intake.get("/login")
    nonce = SIGN_IN_NONCE.search(page.text)
    assert nonce, page.text
    form = {"token": token("referrer", org=org, sub="anna", referrer_type="local_team"), "nonce": nonce[1]}
    response = await intake.post("/login", data=form)
    assert response.status_code == 303 and response.headers["location"] == "/portal"


async def form_tokens(intake: httpx.AsyncClient, path: str = "/portal/referrer/new") -> dict[str, str]:
    page = await intake.get(path)
    assert page.status_code == 200, page.text
    csrf = CSRF.search(page.text)
    assert csrf, "the page holds no form with a CSRF token"
    tokens = {"csrf": csrf[1]}
    key = KEY.search(page.text)
    if key:
        tokens["idempotency_key"] = key[1]
    return tokens


def good_form(**changes: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "client.bsn": GOOD_BSN,
        "client.birth_date": "2012-05-01",
        "client.municipality_code": "GM0518",
        "client.school_municipality_code": "GM0603",
        "care_type": "residential",
        "target_group": "jo",
        "requested_start": "2026-12-01",
        "max_travel_km": "25",
        "needs": ["trauma", "autism"],
        "risk_flags": ["absconding"],
        "vulnerabilities": ["bullying_victim"],
        "child_voice.heard": "true",
        "child_voice.wishes": ["near_school"],
        "child_voice.note": "Wil graag bij haar school blijven.",
        "out_of_region.criterion": "",
        "out_of_region.justification": "",
        "court_authorisation.kind": "",
        "court_authorisation.decided_on": "",
        "court_authorisation.valid_until": "",
        "notes": "Thuissituatie onhoudbaar sinds de zomer.",
    }
    form.update(changes)
    return form


async def send_form(intake: httpx.AsyncClient, form: dict[str, Any]) -> httpx.Response:
    tokens = await form_tokens(intake)
    return await intake.post("/portal/referrer/new", data={**tokens, **form})


def error_at(page: str, control: str) -> str:
    """The error shown at a control of the form, its words only."""
    found = re.search(rf'<p class="field-error" id="{control}-error">(.*?)</p>', page, re.S)
    assert found, f"no error shown at {control}"
    return re.sub(r"<[^>]+>", "", found[1]).strip().removeprefix("Fout:").removeprefix("Error:").strip()


async def api_referrals(intake: httpx.AsyncClient, headers: dict[str, str] = REFERRER) -> list[dict[str, Any]]:
    response = await intake.get("/v1/referrals", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_browser_that_is_not_signed_in_is_sent_to_login(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/portal/referrer/new")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/portal/referrer/new"


async def test_a_bsn_failing_the_eleven_test_is_named_at_its_field_in_dutch_and_nothing_typed_is_lost(
    intake: httpx.AsyncClient,
) -> None:
    await sign_in_referrer(intake)
    response = await send_form(intake, good_form(**{"client.bsn": BAD_BSN}))
    assert response.status_code == 422
    page = response.text
    assert '<html lang="nl">' in page
    assert "elfproef" in error_at(page, "f-client-bsn")
    bsn_input = re.search(r'<input id="f-client-bsn"[^>]*>', page)
    assert bsn_input is not None
    assert f'value="{BAD_BSN}"' in bsn_input[0]
    assert 'aria-invalid="true"' in bsn_input[0]
    assert "f-client-bsn-error" in bsn_input[0]  # aria-describedby names the error
    # Only the BSN is wrong; everything typed is still there.
    assert "Wil graag bij haar school blijven." in page and "Thuissituatie onhoudbaar sinds de zomer." in page
    assert re.search(r'id="f-needs-autism"[^>]*checked', page)
    assert re.search(r'<option value="GM0603" selected>', page)
    assert 'id="f-notes-error"' not in page
    # The summary at the top names the field and leads to it.
    assert '<a href="#f-client-bsn">Burgerservicenummer (BSN): Dit is geen geldig' in page
    assert await api_referrals(intake) == []

    english = await intake.post(
        "/portal/referrer/new?lang=en", data={**await form_tokens(intake), **good_form(**{"client.bsn": BAD_BSN})}
    )
    assert "eleven-test" in error_at(english.text, "f-client-bsn")


async def test_an_unknown_need_code_in_a_crafted_post_is_named_at_the_needs(intake: httpx.AsyncClient) -> None:
    await sign_in_referrer(intake)
    response = await send_form(intake, good_form(needs=["trauma", "flying"]))
    assert response.status_code == 422
    assert "“flying”" in error_at(response.text, "f-needs")
    assert 'aria-describedby=" f-needs-error"' in response.text or 'f-needs-error"' in response.text
    assert 'id="f-client-bsn-error"' not in response.text


async def test_more_errors_at_once_each_at_its_own_field(intake: httpx.AsyncClient) -> None:
    await sign_in_referrer(intake)
    form = good_form(**{"client.birth_date": "", "care_type": "nonsense", "max_travel_km": "veel"})
    response = await send_form(intake, form)
    assert response.status_code == 422
    assert error_at(response.text, "f-client-birth_date") == "Vul dit in."
    assert error_at(response.text, "f-care_type") == "Kies een van de mogelijkheden."
    assert "kilometer" in error_at(response.text, "f-max_travel_km")
    secure = await send_form(intake, good_form(care_type="secure"))
    assert "machtiging" in error_at(secure.text, "f-court_authorisation-kind")


async def test_a_good_form_creates_the_referral_the_api_shows_identically(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, specialisms=["trauma", "autism"])
    await sign_in_referrer(intake)
    tokens = await form_tokens(intake)
    response = await intake.post("/portal/referrer/new", data={**tokens, **good_form()})
    assert response.status_code == 303, response.text
    location = response.headers["location"]
    referral_id = location.split("/")[-1].split("?")[0]

    api = await intake.get(f"/v1/referrals/{referral_id}", headers=REFERRER)
    assert api.status_code == 200
    shown = api.json()
    assert shown["status"] == "proposed" and shown["referrer_org"] == REFERRER_ORG
    assert shown["client"] == {
        "bsn": GOOD_BSN,
        "birth_date": "2012-05-01",
        "municipality_code": "GM0518",
        "school_municipality_code": "GM0603",
    }
    assert (shown["care_type"], shown["target_group"], shown["part_time"]) == ("residential", "jo", False)
    assert shown["needs"] == ["trauma", "autism"]
    assert (shown["risk_flags"], shown["vulnerabilities"]) == (["absconding"], ["bullying_victim"])
    assert shown["child_voice"] == {
        "heard": True,
        "wishes": ["near_school"],
        "note": "Wil graag bij haar school blijven.",
    }
    assert (shown["requested_start"], shown["max_travel_km"], shown["out_of_region"]) == ("2026-12-01", 25.0, None)
    assert shown["proposal"]["unit_id"] == unit["id"] and shown["proposal"]["provider_id"] == provider_id

    page = await intake.get(location)
    assert page.status_code == 200
    assert "De verwijzing is ontvangen." in page.text and referral_id in page.text
    # The referral is named by its readable reference (year and number), as on the dashboard.
    assert shown["reference"] and f"<b>{shown['reference']}</b>" in page.text
    assert "Plek voorgesteld" in page.text and "Groep De Linde" in page.text and "Horizon" in page.text
    assert "3 dagen" in page.text  # a residential proposal holds the place 72 hours
    # The same referral in the organisation's list, with the time the proposal has left.
    listed = await intake.get("/portal")
    item = listed.text.split(f'id="referral-{referral_id}"')[1].split("</li>")[0]
    assert "Groep De Linde" in item and "3 dagen" in item and GOOD_BSN in item
    assert shown["reference"] in item
    # Sent again (a double click, a reload), the form's key gives the same referral, not a second one.
    again = await intake.post("/portal/referrer/new", data={**tokens, **good_form()})
    assert again.status_code == 303 and again.headers["location"].split("?")[0] == location.split("?")[0]
    assert len(await api_referrals(intake)) == 1


async def test_english_on_request(intake: httpx.AsyncClient) -> None:
    await submitted(intake)
    page = await intake.get("/portal?lang=en", headers=REFERRER)
    assert page.status_code == 200
    assert '<html lang="en">' in page.text and "Referrals of Wijkteam Delft" in page.text
    assert "No place found yet" in page.text
    dutch = await intake.get("/portal?lang=nl", headers=REFERRER)
    assert "Verwijzingen van Wijkteam Delft" in dutch.text


async def test_another_organisations_referrals_are_not_visible(intake: httpx.AsyncClient) -> None:
    mine = await submitted(intake)
    theirs = await submitted(intake, headers=OTHER_REFERRER)
    await sign_in_referrer(intake)
    listed = (await intake.get("/portal")).text
    assert mine["id"] in listed and theirs["id"] not in listed
    page = await intake.get(f"/portal/referrer/referrals/{theirs['id']}")
    assert page.status_code == 404 and theirs["id"] not in page.text
    tokens = await form_tokens(intake, f"/portal/referrer/referrals/{mine['id']}/withdraw")
    refused = await intake.post(f"/portal/referrer/referrals/{theirs['id']}/withdraw", data=tokens)
    assert refused.status_code == 404
    still = await intake.get(f"/v1/referrals/{theirs['id']}", headers=OTHER_REFERRER)
    assert still.json()["status"] == "unmatched"


async def test_withdraw_asks_first_and_needs_the_csrf_token(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await sign_in_referrer(intake)
    detail = await intake.get(f"/portal/referrer/referrals/{referral['id']}")
    assert f'href="/portal/referrer/referrals/{referral["id"]}/withdraw"' in detail.text
    assert "<form" not in detail.text.split('id="main"')[1]  # the detail page itself withdraws nothing
    path = f"/portal/referrer/referrals/{referral['id']}/withdraw"
    confirm = await intake.get(path)
    assert "Deze verwijzing intrekken?" in confirm.text and f'action="{path}"' in confirm.text
    forged = await intake.post(path, data={"csrf": "forged"})
    assert forged.status_code == 403
    missing = await intake.post(path, data={})
    assert missing.status_code == 403
    assert (await intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER)).json()["status"] == "unmatched"
    done = await intake.post(path, data=await form_tokens(intake, path))
    assert done.status_code == 303
    assert (await intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER)).json()["status"] == "withdrawn"
    after = await intake.get(done.headers["location"])
    assert "Ingetrokken" in after.text and "/withdraw" not in after.text.split('id="main"')[1]


async def test_the_pages_refuse_a_provider(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/portal/referrer/new", headers=provider_headers("p-1"))
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]


async def test_an_email_subscription_from_the_page_delivers_referral_proposed_by_smtp(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity)
    await sign_in_referrer(intake)
    tokens = await form_tokens(intake, "/portal/referrer/notices")
    forged = await intake.post("/portal/referrer/notices", data={"email": "a@b.nl", "events": "referral.proposed"})
    assert forged.status_code == 403
    bad = await intake.post(
        "/portal/referrer/notices", data={**tokens, "email": "planning", "events": "referral.proposed"}
    )
    assert bad.status_code == 422
    assert "e-mailadres" in error_at(bad.text, "f-email") and 'value="planning"' in bad.text
    subscribed = await intake.post(
        "/portal/referrer/notices",
        data={**tokens, "email": "planning@wijkteam.example", "events": ["referral.proposed", "referral.placed"]},
    )
    assert subscribed.status_code == 303
    listed = await intake.get(subscribed.headers["location"])
    assert "planning@wijkteam.example" in listed.text
    assert "Het e-mailadres krijgt voortaan berichten" in listed.text
    (subscription,) = (await intake.get("/v1/webhooks", headers=REFERRER)).json()["items"]
    assert subscription["email"] == "planning@wijkteam.example"
    assert subscription["events"] == ["referral.placed", "referral.proposed"]
    # Another organisation sees nothing of it.
    assert (await intake.get("/v1/webhooks", headers=OTHER_REFERRER)).json()["items"] == []

    created = await send_form(intake, good_form(needs=["trauma"], **{"child_voice.wishes": []}))
    assert created.status_code == 303
    async with smtp_server() as (smtp_url, inbox):
        real = intake_app.state.settings
        intake_app.state.settings = real.model_copy(update={"smtp_url": smtp_url})
        try:
            assert await deliver_notifications(intake_app) == 1
        finally:
            intake_app.state.settings = real
    ((recipients, raw),) = inbox.messages
    assert recipients == ["planning@wijkteam.example"]
    assert GOOD_BSN not in raw.decode() and "nieuw voorstel" in raw.decode()

    removed = await intake.post(f"/portal/referrer/notices/{subscription['id']}/remove", data=tokens)
    assert removed.status_code == 303
    assert (await intake.get("/v1/webhooks", headers=REFERRER)).json()["items"] == []
    assert "planning@wijkteam.example" not in (await intake.get("/portal/referrer/notices")).text
