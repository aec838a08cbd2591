"""The providers' pages on /portal over real HTTP: a provider signed in (a browser session with its CSRF
token, or a bearer token) sees its units, proposals, placed and waiting children, and acts on them; each
action is checked in the API's own answers afterwards. Another provider's unit or proposal is refused
as missing; a page gone stale gets the unit's new state."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    CSRF,
    OTHER_VALID_BSN,
    SIGN_IN_NONCE,
    VALID_BSN,
    create_provider,
    create_unit,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    unit_state,
    with_client,
)

from common.auth import ACTING_PROVIDER_HEADER
from common.clock import ManualClock
from common.testing import bearer, service_bearer, token
from intake.db import proposal_declines


async def sign_in_provider(intake: httpx.AsyncClient, provider_id: str) -> str:
    """Signs the client's browser in as a person of the provider (a pasted token, as in development);
    returns the CSRF token of its page."""
    page = await intake.get("/login")
    nonce = SIGN_IN_NONCE.search(page.text)
    assert nonce, page.text
    pasted = token("provider", org="Horizon Jeugdzorg", sub="petra", provider_id=provider_id)
    signed_in = await intake.post("/login", data={"token": pasted, "nonce": nonce[1]})
    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/portal")
    portal = await intake.get("/portal")
    assert portal.status_code == 200, portal.text
    found = CSRF.search(portal.text)
    assert found, "the provider's page holds no form with a CSRF token"
    return found[1]


def section(page: str, name: str) -> str:
    return page.split(f'id="{name}"', 1)[1].split("</section>", 1)[0]


def field_value(page: str, field_id: str) -> str:
    found = re.search(rf'id="{re.escape(field_id)}"[^>]*value="([^"]*)"', page)
    assert found, f"no field {field_id}"
    return html.unescape(found[1])


async def crisis_proposal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, *, bsn: str = VALID_BSN
) -> tuple[str, dict[str, Any], dict[str, Any]]:
    provider_id, unit = await provider_with_unit(
        capacity, care_type="crisis", age_min=0, age_max=17, capacity=2, name="Crisisopvang De Haven"
    )
    referral = await submitted(intake, with_client(bsn=bsn) | {"care_type": "crisis", "requested_start": "2026-11-02"})
    assert referral["status"] == "proposed", referral
    assert referral["proposal"]["unit_id"] == unit["id"]
    return provider_id, unit, referral


# --- who sees what ------------------------------------------------------------------------------------


async def test_a_browser_not_signed_in_is_sent_to_sign_in(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/portal/units/new")
    assert (response.status_code, response.headers["location"]) == (303, "/login?next=/portal/units/new")


async def test_the_page_shows_units_places_and_their_last_confirmation_in_dutch_and_english(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=4, name="Groep De Linde")
    headers = provider_headers(provider_id)
    await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 4, "blocked": 1},
        headers={**headers, "If-Match": str(unit["version"])},
    )
    page = await intake.get("/portal", headers=headers)
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    units = section(page.text, "units")
    assert "Groep De Linde" in units
    figures = re.findall(r"<dt>([^<]+)</dt><dd>(\d+)</dd>", units)
    assert figures == [("Capaciteit", "4"), ("Bezet", "0"), ("Vastgehouden", "0"), ("Geblokkeerd", "1"), ("Vrij", "3")]
    assert "Laatst bevestigd: <time" in units and "Verouderd" not in units
    assert 'href="/dashboard/static/portal.css"' in page.text

    # A day and an hour later the places are stale, and the page says so.
    clock.advance(timedelta(hours=25))
    english = await intake.get("/portal?lang=en", headers=headers)
    assert '<html lang="en">' in english.text
    units = section(english.text, "units")
    assert "Out of date" in units and "Last confirmed:" in units
    assert "Places in all" in units


async def test_a_referrer_gets_no_provider_page(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity, name="Groep De Linde")
    referrer = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")
    page = await intake.get("/portal", headers=referrer)
    assert page.status_code == 200
    assert 'id="units"' not in page.text and "Groep De Linde" not in page.text
    refused = await intake.post("/portal/units", data={"name": "Groep Nieuw"}, headers=referrer)
    assert refused.status_code == 403
    form = await intake.get("/portal/units/new", headers=referrer)
    assert form.status_code == 403


# --- places: change, stale page, confirm --------------------------------------------------------------


async def test_blocking_a_place_in_one_action_with_the_sessions_csrf_token(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=3)
    csrf = await sign_in_provider(intake, provider_id)
    form = {"csrf": csrf, "version": str(unit["version"]), "capacity": "3", "blocked": "1"}
    response = await intake.post(f"/portal/units/{unit['id']}/availability", data=form)
    assert (response.status_code, response.headers["location"]) == (
        303,
        f"/portal?done=availability#unit-{unit['id']}",
    )
    now = await unit_state(capacity, unit["id"])
    assert (now["capacity"], now["blocked"], now["available"], now["version"]) == (3, 1, 2, unit["version"] + 1)
    shown = await intake.get(response.headers["location"])
    assert "De plekken zijn opgeslagen." in shown.text

    # Without the session's CSRF token nothing changes.
    forged = await intake.post(f"/portal/units/{unit['id']}/availability", data=form | {"csrf": "x"})
    assert forged.status_code == 403
    assert (await unit_state(capacity, unit["id"]))["version"] == unit["version"] + 1


async def test_a_stale_page_gets_changed_meanwhile_and_the_new_state(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=3)
    headers = provider_headers(provider_id)
    # Someone else (the provider's own system) changes the unit after the page was shown.
    await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 5, "blocked": 2},
        headers={**headers, "If-Match": str(unit["version"])},
    )
    stale = {"version": str(unit["version"]), "capacity": "3", "blocked": "1"}
    response = await intake.post(f"/portal/units/{unit['id']}/availability", data=stale, headers=headers)
    assert response.status_code == 409
    card = response.text.split(f'id="unit-{unit["id"]}"', 1)[1].split("</article>", 1)[0]
    assert "intussen gewijzigd" in card
    assert field_value(card, f"capacity-{unit['id']}") == "5"
    assert field_value(card, f"blocked-{unit['id']}") == "2"
    assert f'name="version" value="{unit["version"] + 1}"' in card
    now = await unit_state(capacity, unit["id"])
    assert (now["capacity"], now["blocked"]) == (5, 2)


async def test_bad_places_are_named_beside_the_field_and_what_was_typed_stays(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=2)
    headers = provider_headers(provider_id)
    typed = {"version": str(unit["version"]), "capacity": "2", "blocked": "twee"}
    response = await intake.post(f"/portal/units/{unit['id']}/availability", data=typed, headers=headers)
    assert response.status_code == 422
    blocked_id = f"blocked-{unit['id']}"
    assert field_value(response.text, blocked_id) == "twee"
    assert re.search(rf'id="{blocked_id}"[^>]*aria-invalid="true" aria-describedby="{blocked_id}-error"', response.text)
    assert (
        f'<p class="field-error" id="{blocked_id}-error">Vul een heel getal in van 0 tot en met 10000.' in response.text
    )

    # More blocked than there are places: capacity refuses, and the page says so beside the fields.
    too_many = typed | {"blocked": "3"}
    response = await intake.post(f"/portal/units/{unit['id']}/availability", data=too_many, headers=headers)
    assert response.status_code == 422
    capacity_id = f"capacity-{unit['id']}"
    assert (
        f'<p class="field-error" id="{capacity_id}-error">Er zijn minstens 3 plekken nodig: 0 bezet, 0 vastgehouden '
        "en 3 geblokkeerd.</p>" in response.text
    )
    assert field_value(response.text, blocked_id) == "3"
    assert (await unit_state(capacity, unit["id"]))["blocked"] == 0


async def test_confirming_availability_makes_a_stale_unit_current(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    clock.advance(timedelta(hours=30))
    assert (await unit_state(capacity, unit["id"]))["availability_stale"] is True
    csrf = await sign_in_provider(intake, provider_id)
    response = await intake.post(f"/portal/units/{unit['id']}/confirm", data={"csrf": csrf})
    assert response.status_code == 303
    now = await unit_state(capacity, unit["id"])
    assert now["availability_stale"] is False
    assert now["availability_confirmed_at"].startswith("2026-11-03T15:00")
    page = await intake.get("/portal")
    assert "Verouderd" not in section(page.text, "units")


async def test_another_providers_unit_is_refused_as_missing(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _own = await provider_with_unit(capacity)
    _other, foreign = await provider_with_unit(capacity, name="Groep Elders")
    headers = provider_headers(provider_id)
    for path, data in (
        (f"/portal/units/{foreign['id']}/availability", {"version": "1", "capacity": "1", "blocked": "1"}),
        (f"/portal/units/{foreign['id']}/confirm", {}),
        (f"/portal/units/{foreign['id']}", {"version": "1", "closed": "true"}),
    ):
        response = await intake.post(path, data=data, headers=headers)
        assert response.status_code == 404, path
    assert (await intake.get(f"/portal/units/{foreign['id']}", headers=headers)).status_code == 404
    after = await unit_state(capacity, foreign["id"])
    assert (after["blocked"], after["closed"], after["version"]) == (0, False, foreign["version"])


# --- proposals: countdown, accept, decline ------------------------------------------------------------


async def test_proposals_crisis_first_with_time_left_and_needs_never_the_bsn(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit = await provider_with_unit(
        capacity, capacity=2, name="Groep De Linde", specialisms=["trauma", "attachment"]
    )
    await create_unit(capacity, provider_id, care_type="crisis", age_min=0, age_max=17, name="Crisisopvang De Haven")
    residential = await submitted(
        intake,
        referral_body(needs=["trauma", "attachment"], child_voice={"heard": True, "wishes": ["near_family"]}),
    )
    clock.advance(timedelta(minutes=10))
    crisis = await submitted(
        intake, with_client(bsn=OTHER_VALID_BSN) | {"care_type": "crisis", "requested_start": "2026-11-02"}
    )
    assert residential["status"] == crisis["status"] == "proposed"
    clock.advance(timedelta(minutes=75))
    page = await intake.get("/portal", headers=provider_headers(provider_id))
    proposals = section(page.text, "proposals")
    order = re.findall(r'<article class="proposal[^"]*" id="proposal-([^"]+)"', proposals)
    assert order == [crisis["id"], residential["id"]]
    crisis_card = proposals.split(f'id="proposal-{crisis["id"]}"')[1].split("</article>")[0]
    assert "Crisis</span>" in crisis_card and "Crisisopvang De Haven" in crisis_card
    seconds = int(re.search(r'data-seconds="(\d+)"', crisis_card)[1])  # type: ignore[index]
    assert seconds == 4 * 3600 - 75 * 60
    assert (
        '<time class="countdown" datetime="2026-11-02T13:10:00+00:00" data-seconds="9900">2 u 45 min</time>'
        in crisis_card
    )
    assert "(tot 02-11-2026 14:10)" in crisis_card  # Amsterdam time
    assert "14 jaar" in crisis_card and "Den Haag" in crisis_card
    residential_card = proposals.split(f'id="proposal-{residential["id"]}"')[1].split("</article>")[0]
    assert '<span class="tag">Hechtingsproblematiek</span>' in residential_card
    assert '<span class="tag">Dicht bij familie</span>' in residential_card
    for bsn in (VALID_BSN, OTHER_VALID_BSN):
        assert bsn not in page.text
    assert '<script src="/dashboard/static/portal.js" defer>' in page.text
    assert "<script>" not in page.text


async def test_accepting_with_a_start_date_places_the_child_with_its_crisis_days(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit, referral = await crisis_proposal(intake, capacity)
    csrf = await sign_in_provider(intake, provider_id)
    response = await intake.post(
        f"/portal/referrals/{referral['id']}/accept", data={"csrf": csrf, "start_date": "2026-11-02"}
    )
    assert (response.status_code, response.headers["location"]) == (303, "/portal?done=accepted#placed")
    placed = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert placed["status"] == "placed"
    assert placed["placement"]["start_date"] == "2026-11-02"
    page = await intake.get(response.headers["location"])
    children = section(page.text, "placed")
    assert "Crisisopvang De Haven" in children
    assert "28 dagen over, tot 30 nov 2026" in children
    assert 'id="proposals"' in page.text and f'id="proposal-{referral["id"]}"' not in page.text
    assert (await unit_state(capacity, unit["id"]))["occupied"] == 1


async def test_a_start_date_in_the_future_is_named_beside_the_field(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit, referral = await crisis_proposal(intake, capacity)
    response = await intake.post(
        f"/portal/referrals/{referral['id']}/accept",
        data={"start_date": "2026-11-09"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 422
    field = f"start-{referral['id']}"
    assert field_value(response.text, field) == "2026-11-09"
    assert f'<p class="field-error" id="{field}-error">De startdatum kan niet in de toekomst liggen.' in response.text
    still = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert still["status"] == "proposed"


async def test_answering_after_the_time_ran_out_says_so_and_shows_the_page(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit, referral = await crisis_proposal(intake, capacity)
    clock.advance(timedelta(hours=4, minutes=1))
    response = await intake.post(
        f"/portal/referrals/{referral['id']}/accept",
        data={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 409
    assert "Dit kan nu niet: het voorstel of de plaatsing is intussen veranderd" in response.text
    card = response.text.split(f'id="proposal-{referral["id"]}"')[1].split("</article>")[0]
    assert 'data-seconds="0">verlopen</time>' in card
    still = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert still["status"] == "proposed"


async def test_declining_with_a_reason_code_and_words(
    intake: httpx.AsyncClient, intake_app: FastAPI, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit, referral = await crisis_proposal(intake, capacity)
    headers = provider_headers(provider_id)
    missing = await intake.post(f"/portal/referrals/{referral['id']}/decline", data={"reason": "Vol"}, headers=headers)
    assert missing.status_code == 422
    field = f"reason-code-{referral['id']}"
    assert f'<p class="field-error" id="{field}-error">Kies waarom u afwijst.' in missing.text
    assert "Vol</textarea>" in missing.text

    response = await intake.post(
        f"/portal/referrals/{referral['id']}/decline",
        data={"reason_code": "staffing", "reason": "Twee collega's ziek."},
        headers=headers,
    )
    assert (response.status_code, response.headers["location"]) == (303, "/portal?done=declined#proposals")
    after = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert after["status"] in ("pending", "unmatched", "proposed")
    assert (after["proposal"] or {}).get("provider_id") != provider_id
    async with intake_app.state.database.read() as session:
        declines = (await session.execute(sa.select(proposal_declines))).mappings().all()
    assert [(row["reason_code"], row["reason"], row["provider_id"]) for row in declines] == [
        ("staffing", "Twee collega's ziek.", provider_id)
    ]


async def test_another_providers_proposal_is_refused_as_missing(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _provider_id, _unit, referral = await crisis_proposal(intake, capacity)
    stranger, _ = await provider_with_unit(capacity, name="Groep Elders")
    headers = provider_headers(stranger)
    page = await intake.get("/portal", headers=headers)
    assert referral["id"] not in page.text
    for action, data in (("accept", {"start_date": "2026-11-02"}), ("decline", {"reason_code": "other"})):
        response = await intake.post(f"/portal/referrals/{referral['id']}/{action}", data=data, headers=headers)
        assert response.status_code == 404, action
    still = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert still["status"] == "proposed"


# --- placed children: at risk, one-on-one hours -------------------------------------------------------


async def placed_child(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> tuple[str, dict[str, Any]]:
    provider_id, _unit, referral = await crisis_proposal(intake, capacity)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200, accepted.text
    return provider_id, referral


async def test_reporting_a_placement_at_risk_opens_a_signal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, referral = await placed_child(intake, capacity)
    headers = provider_headers(provider_id)
    empty = await intake.post(f"/portal/referrals/{referral['id']}/at-risk", data={"note": " "}, headers=headers)
    assert empty.status_code == 422
    assert f'id="note-{referral["id"]}-error"' in empty.text
    response = await intake.post(
        f"/portal/referrals/{referral['id']}/at-risk", data={"note": "Loopt steeds weg."}, headers=headers
    )
    assert response.status_code == 303
    signals = (await intake.get("/v1/signals?type=placement_at_risk", headers=COORDINATOR)).json()["items"]
    assert [signal["referral_id"] for signal in signals] == [referral["id"]]
    page = await intake.get("/portal", headers=headers)
    assert "Gemeld: plaatsing in gevaar" in section(page.text, "placed")


async def test_recording_one_on_one_hours_of_a_week(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, referral = await placed_child(intake, capacity)
    headers = provider_headers(provider_id)
    page = await intake.get("/portal", headers=headers)
    assert field_value(page.text, f"week-{referral['id']}") == "2026-W45"
    bad = await intake.post(
        f"/portal/referrals/{referral['id']}/one-on-one", data={"week": "2026-W45", "hours": "200"}, headers=headers
    )
    assert bad.status_code == 422
    assert field_value(bad.text, f"hours-{referral['id']}") == "200"
    future = await intake.post(
        f"/portal/referrals/{referral['id']}/one-on-one", data={"week": "2026-W50", "hours": "4"}, headers=headers
    )
    assert future.status_code == 422
    assert f'id="week-{referral["id"]}-error"' in future.text
    response = await intake.post(
        f"/portal/referrals/{referral['id']}/one-on-one", data={"week": "2026-W45", "hours": "9,5"}, headers=headers
    )
    assert response.status_code == 303
    recorded = (await intake.get(f"/v1/referrals/{referral['id']}/one-on-one", headers=headers)).json()
    assert [(item["week"], item["hours"]) for item in recorded["items"]] == [("2026-W45", 9.5)]


async def test_another_provider_cannot_act_on_a_placed_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _provider_id, referral = await placed_child(intake, capacity)
    stranger, _ = await provider_with_unit(capacity, name="Groep Elders")
    headers = provider_headers(stranger)
    for action, data in (("at-risk", {"note": "x"}), ("one-on-one", {"week": "2026-W45", "hours": "1"})):
        response = await intake.post(f"/portal/referrals/{referral['id']}/{action}", data=data, headers=headers)
        assert response.status_code == 404, action


# --- the joint duty: waiting children -----------------------------------------------------------------


async def test_a_tactical_provider_offers_its_unit_to_a_waiting_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    waiting = await submitted(intake)
    assert waiting["status"] == "unmatched"
    provider_id, unit = await provider_with_unit(capacity, role="tactical", name="Groep De Linde")
    headers = provider_headers(provider_id)
    page = await intake.get("/portal", headers=headers)
    assert f'id="child-{waiting["id"]}"' in section(page.text, "waiting")
    no_unit = await intake.post(f"/portal/referrals/{waiting['id']}/offer", data={"unit_id": ""}, headers=headers)
    assert no_unit.status_code == 422
    assert f'id="offer-unit-{waiting["id"]}-error"' in no_unit.text
    response = await intake.post(
        f"/portal/referrals/{waiting['id']}/offer", data={"unit_id": unit["id"]}, headers=headers
    )
    assert (response.status_code, response.headers["location"]) == (303, "/portal?done=offered#proposals")
    offered = (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()
    assert offered["status"] == "proposed" and offered["proposal"]["unit_id"] == unit["id"]


async def test_an_operational_provider_has_no_waiting_children_to_offer_to(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    waiting = await submitted(intake)
    provider_id, unit = await provider_with_unit(capacity, role="operational")
    headers = provider_headers(provider_id)
    page = await intake.get("/portal", headers=headers)
    assert 'id="waiting"' not in page.text and waiting["id"] not in page.text
    response = await intake.post(
        f"/portal/referrals/{waiting['id']}/offer", data={"unit_id": unit["id"]}, headers=headers
    )
    assert response.status_code == 404


# --- units: add, edit, close --------------------------------------------------------------------------

UNIT_FORM = {
    "name": "Gezinshuis Het Anker",
    "care_type": "family_home",
    "capacity": "4",
    "age_min": "4",
    "age_max": "12",
    "target_groups": ["jo", "lvb"],
    "specialisms": ["trauma"],
    "municipality_code": "GM0503",
    "latitude": "",
    "longitude": "",
    "description": "Een gezin met vier plekken.",
}


async def test_adding_a_unit_and_a_bad_field_named_in_place(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity)
    csrf = await sign_in_provider(intake, provider_id)
    form = await intake.get("/portal/units/new")
    assert form.status_code == 200 and 'action="/portal/units"' in form.text
    bad = await intake.post("/portal/units", data=UNIT_FORM | {"csrf": csrf, "age_max": "3"})
    assert bad.status_code == 422
    assert '<p class="field-error" id="age_max-error">De hoogste leeftijd kan niet onder de laagste liggen.' in bad.text
    assert field_value(bad.text, "name") == "Gezinshuis Het Anker"
    assert 'id="group-lvb" name="target_groups" value="lvb" checked' in bad.text
    response = await intake.post("/portal/units", data=UNIT_FORM | {"csrf": csrf})
    assert response.status_code == 303
    listed = (await capacity.get(f"/v1/units?provider_id={provider_id}", headers=COORDINATOR)).json()["items"]
    assert [(u["name"], u["care_type"], u["capacity"], u["target_groups"], u["municipality_code"]) for u in listed] == [
        ("Gezinshuis Het Anker", "family_home", 4, ["jo", "lvb"], "GM0503")
    ]


async def test_editing_details_and_a_stale_edit_shows_the_new_state(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, name="Groep De Linde")
    headers = provider_headers(provider_id)
    page = await intake.get(f"/portal/units/{unit['id']}", headers=headers)
    assert field_value(page.text, "name") == "Groep De Linde"
    edit = UNIT_FORM | {"version": str(unit["version"]), "name": "Groep De Eik", "age_min": "10", "age_max": "17"}
    edit.pop("care_type")
    edit.pop("capacity")
    saved = await intake.post(f"/portal/units/{unit['id']}", data=edit, headers=headers)
    assert saved.status_code == 303, saved.text
    now = await unit_state(capacity, unit["id"])
    assert (now["name"], now["age_min"], now["municipality_code"]) == ("Groep De Eik", 10, "GM0503")
    stale = await intake.post(f"/portal/units/{unit['id']}", data=edit | {"name": "Groep Oud"}, headers=headers)
    assert stale.status_code == 409
    assert "intussen gewijzigd" in stale.text
    assert field_value(stale.text, "name") == "Groep De Eik"
    assert (await unit_state(capacity, unit["id"]))["name"] == "Groep De Eik"


async def test_closing_a_unit_keeps_its_stays(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, referral = await placed_child(intake, capacity)
    unit_id = referral["proposal"]["unit_id"]
    unit = await unit_state(capacity, unit_id)
    headers = provider_headers(provider_id)
    response = await intake.post(
        f"/portal/units/{unit_id}", data={"version": str(unit["version"]), "closed": "true"}, headers=headers
    )
    assert (response.status_code, response.headers["location"]) == (303, f"/portal?done=unit_closed#unit-{unit_id}")
    now = await unit_state(capacity, unit_id)
    assert now["closed"] is True and now["occupied"] == 1
    page = await intake.get("/portal", headers=headers)
    assert "Gesloten" in section(page.text, "units")
    assert referral["id"] in section(page.text, "placed")


# --- capacity: who may act for a provider -------------------------------------------------------------


@pytest.mark.parametrize("caller", ["matching", "provider"])
async def test_only_intake_acts_for_a_provider_in_capacity(capacity: httpx.AsyncClient, caller: str) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    other = await create_provider(capacity, name="Elders")
    sender = service_bearer("matching") if caller == "matching" else provider_headers(other)
    response = await capacity.post(
        f"/v1/units/{unit['id']}/confirm-availability", headers={**sender, ACTING_PROVIDER_HEADER: provider_id}
    )
    assert response.status_code == 403
    by_intake = await capacity.post(
        f"/v1/units/{unit['id']}/confirm-availability",
        headers={**service_bearer("intake"), ACTING_PROVIDER_HEADER: other},
    )
    assert by_intake.status_code == 403  # intake acting for another provider is that provider: not its unit
    without = await capacity.post(f"/v1/units/{unit['id']}/confirm-availability", headers=service_bearer("intake"))
    assert without.status_code == 403


async def test_every_form_of_a_signed_in_browser_needs_the_sessions_csrf_token(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, referral = await placed_child(intake, capacity)
    unit_id = referral["proposal"]["unit_id"]
    unit = await unit_state(capacity, unit_id)
    await sign_in_provider(intake, provider_id)
    forms = {
        f"/portal/units/{unit_id}/availability": {"version": str(unit["version"]), "capacity": "5", "blocked": "1"},
        f"/portal/units/{unit_id}/confirm": {},
        f"/portal/units/{unit_id}": {"version": str(unit["version"]), "closed": "true"},
        "/portal/units": UNIT_FORM,
        f"/portal/referrals/{referral['id']}/accept": {"start_date": "2026-11-02"},
        f"/portal/referrals/{referral['id']}/decline": {"reason_code": "other"},
        f"/portal/referrals/{referral['id']}/at-risk": {"note": "Loopt weg."},
        f"/portal/referrals/{referral['id']}/one-on-one": {"week": "2026-W45", "hours": "3"},
        f"/portal/referrals/{referral['id']}/offer": {"unit_id": unit_id},
    }
    for path, data in forms.items():
        response = await intake.post(path, data={**data, "csrf": "forged"})
        assert response.status_code == 403, path
        assert "Formulier verlopen" in response.text, path
    assert (await unit_state(capacity, unit_id))["version"] == unit["version"]
    listed = (await capacity.get(f"/v1/units?provider_id={provider_id}", headers=COORDINATOR)).json()
    assert listed["total"] == 1
    signals = (await intake.get("/v1/signals?type=placement_at_risk", headers=COORDINATOR)).json()
    assert signals["items"] == []
