"""The coordinators' dashboard over real HTTP: who may see it, CSRF on its forms, and the sections with
data made through the public API. Signing in and out: test_browser_sessions.py."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from intake_support import (
    COORDINATOR,
    CSRF,
    OTHER_VALID_BSN,
    REFERRER,
    create_unit,
    provider_headers,
    provider_with_unit,
    referral_body,
    sign_in,
    submitted,
    with_client,
)

from common.clock import ManualClock


async def test_a_signed_in_coordinator_sees_every_section_and_no_token(intake: httpx.AsyncClient) -> None:
    response = await sign_in(intake)
    assert response.status_code == 303
    assert response.headers["location"] == "/dashboard"
    overview = await intake.get("/dashboard")
    assert overview.status_code == 200
    for section in ("places", "waiting", "crisis", "signals", "indicators"):
        assert f'id="{section}"' in overview.text
    assert "eyJ" not in overview.text  # no token echoed into the page
    assert 'action="/logout"' in overview.text


async def test_a_signed_in_referrer_gets_a_403_page_in_dutch(intake: httpx.AsyncClient) -> None:
    signed_in = await sign_in(intake, role="referrer")
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/portal"
    response = await intake.get("/dashboard")
    assert response.status_code == 403
    assert '<html lang="nl">' in response.text
    assert "u bent aangemeld als referrer" in response.text
    assert 'id="places"' not in response.text


async def test_a_provider_bearer_token_gets_a_403_page(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/dashboard", headers=provider_headers("p-1"))
    assert response.status_code == 403
    assert "text/html" in response.headers["content-type"]
    assert 'id="places"' not in response.text


async def test_a_coordinator_bearer_token_is_accepted_without_a_cookie(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/dashboard", headers=COORDINATOR)
    assert response.status_code == 200
    assert 'id="waiting"' in response.text
    assert 'action="/logout"' not in response.text  # nothing to sign out of


async def test_a_malformed_authorization_header_gets_a_401_page_not_a_redirect(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/dashboard", headers={"Authorization": "Basic abc"})
    assert response.status_code == 401
    assert "text/html" in response.headers["content-type"]
    assert 'href="/login"' in response.text


async def test_places_show_per_care_type_inside_and_outside_the_region(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=5, name="Groep Binnen")
    await provider_with_unit(capacity, capacity=3, municipality_code="GM0599", care_type="secure", name="Groep Buiten")
    page = (await intake.get("/dashboard?lang=en", headers=COORDINATOR)).text
    places = page.split('id="places"')[1].split("</section>")[0]
    assert '<th scope="row">Residential group</th><td>inside the region' in places
    assert '<th scope="row">Secure youth care</th><td>outside the region' in places
    assert "<b>8</b> places in 2 units" in places
    assert places.count("<rect") >= 2  # the chart


async def test_waiting_children_longest_first_with_waiting_days(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = await submitted(intake)  # nothing fits: unmatched
    clock.advance(timedelta(days=3))
    second = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    page = (await intake.get("/dashboard?lang=en", headers=COORDINATOR)).text
    waiting = page.split('id="waiting"')[1].split("</section>")[0]
    assert waiting.index(first["id"]) < waiting.index(second["id"])
    rows = re.findall(r'<td class="num">(\d+ days?)</td>\s*</tr>', waiting)
    assert rows == ["3 days", "0 days"]


async def test_the_overview_shows_the_longest_waiting_children_and_how_many_wait_in_all(
    intake: httpx.AsyncClient, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    from intake.dashboard import service as dashboard_service

    monkeypatch.setattr(dashboard_service, "WAITING_SHOWN", 2)
    children = []
    for bsn in ("100000009", "100000010", "100000022"):
        children.append(await submitted(intake, with_client(bsn=bsn)))
        clock.advance(timedelta(days=1))

    page = (await intake.get("/dashboard", headers=COORDINATOR)).text

    waiting = page.split('id="waiting"')[1].split("</section>")[0]
    assert '<span class="count">3</span>' in waiting
    assert children[0]["id"] in waiting and children[1]["id"] in waiting
    assert children[2]["id"] not in waiting
    # Only the children shown are logged as listed.
    log = (await intake.get(f"/v1/referrals/{children[2]['id']}/access-log", headers=COORDINATOR)).json()
    assert "list" not in [entry["action"] for entry in log["items"]]


async def test_crisis_stays_show_days_left_and_turn_red_at_seven(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, care_type="crisis", age_min=0, age_max=17, capacity=2)
    referral = await submitted(intake, referral_body(care_type="crisis", needs=[]))
    assert referral["status"] == "proposed", referral
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": clock.now().date().isoformat()},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200, accepted.text
    page = (await intake.get("/dashboard?lang=en", headers=COORDINATOR)).text
    crisis = page.split('id="crisis"')[1].split("</section>")[0]
    assert referral["reference"] in crisis
    assert '<tr class="" data-signal="">' in crisis and '<td class="num days-left">28 days</td>' in crisis
    clock.advance(timedelta(days=21))
    crisis = (await intake.get("/dashboard", headers=COORDINATOR)).text.split('id="crisis"')[1].split("</section>")[0]
    assert '<tr class="urgent"' in crisis and '<td class="num days-left">7 days</td>' in crisis


async def test_referral_page_shows_history_and_the_decision_behind_the_proposal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, name="Groep De Linde")
    await create_unit(capacity, provider_id, name="Groep Ggz", target_groups=["ggz"])
    await create_unit(capacity, provider_id, name="Elders", municipality_code="GM0599")
    referral = await submitted(intake)
    response = await intake.get(f"/dashboard/referrals/{referral['id']}?lang=en", headers=COORDINATOR)
    assert response.status_code == 200
    page = response.text
    assert 'id="proposal"' in page and unit["name"] in page
    decisions = page.split('id="decisions"')[1].split("</section>")[0]
    assert "<b>proposed</b>" in decisions and 'class="chosen"' in decisions
    # Reasons and score parts in the words of the vocabulary.
    assert "<li>1 unit: does not serve this target group</li>" in decisions
    assert "<li>1 unit: outside the region, and no ground to place outside was recorded</li>" in decisions
    assert "Covers the care needs 40;" in decisions and "Close to home 25" in decisions
    assert "<dt>Care needs</dt><dd>Trauma</dd>" in page
    history = page.split('id="history"')[1].split("</section>")[0]
    assert "referral received" in history and "proposed to a provider" in history and "anna" in history


async def test_referral_page_of_an_unknown_referral_is_a_404_page(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/dashboard/referrals/nope", headers=COORDINATOR)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


async def test_reading_the_dashboard_is_in_the_access_log(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await intake.get("/dashboard", headers=COORDINATOR)
    log = await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR)
    assert any(entry["action"] == "list" and entry["sub"] == "coco" for entry in log.json()["items"])
    assert REFERRER  # the referral was made by a referrer, the dashboard read by the coordinator


async def test_an_open_signal_is_acknowledged_from_its_form_and_is_gone(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)  # no place anywhere: unmatched, the joint duty to place
    assert referral["status"] == "unmatched"
    await sign_in(intake)
    page = (await intake.get("/dashboard")).text
    section = page.split('id="signals"')[1].split("</section>")[0]
    signal_id = re.search(r'id="signal-([^"]+)"', section)
    assert signal_id and "unmatched" in section
    csrf = CSRF.search(page)
    assert csrf
    action = f"/dashboard/signals/{signal_id.group(1)}/acknowledge"

    forged = await intake.post(action, data={"csrf": "forged", "analysis": "Discussed with the partners today."})
    assert forged.status_code == 403
    too_short = await intake.post(action, data={"csrf": csrf.group(1), "analysis": "ok"})
    assert too_short.status_code == 422 and "analysis" in too_short.text

    done = await intake.post(action, data={"csrf": csrf.group(1), "analysis": "Discussed with the partners today."})
    assert done.status_code == 303
    assert done.headers["location"].startswith("/dashboard?notice=")
    after = (await intake.get(done.headers["location"])).text
    assert f'id="signal-{signal_id.group(1)}"' not in after
    assert "Signaal afgehandeld; de analyse is vastgelegd." in after
    listed = await intake.get("/v1/signals", params={"status": "acknowledged"}, headers=COORDINATOR)
    acknowledged = next(s for s in listed.json()["items"] if s["id"] == signal_id.group(1))
    assert acknowledged["analysis"] == "Discussed with the partners today."


async def test_indicators_follow_the_period_picker_and_draw_the_weekly_flow(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await submitted(intake)
    page = (await intake.get("/dashboard", headers=COORDINATOR)).text
    section = page.split('id="indicators"')[1].split("</section>")[0]
    today = clock.now().date()
    assert f'name="to" value="{today.isoformat()}"' in section
    assert 'class="indicator"' in section and "<polyline" in section
    chosen = await intake.get("/dashboard", params={"from": "2026-01-05", "to": "2026-03-01"}, headers=COORDINATOR)
    section = chosen.text.split('id="indicators"')[1].split("</section>")[0]
    assert 'name="from" value="2026-01-05"' in section and 'name="to" value="2026-03-01"' in section
    backwards = await intake.get("/dashboard", params={"from": "2026-03-01", "to": "2026-01-05"}, headers=COORDINATOR)
    assert backwards.status_code == 200
    assert 'class="error"' in backwards.text.split('id="indicators"')[1]


async def test_open_signals_can_be_narrowed_to_one_type(intake: httpx.AsyncClient) -> None:
    await submitted(intake)  # an unmatched signal
    query = {"signal_type": "unmatched", "lang": "en"}
    shown = (await intake.get("/dashboard", params=query, headers=COORDINATOR)).text
    assert 'class="signal" data-type="unmatched"' in shown.split('id="signals"')[1].split("</section>")[0]
    query = {"signal_type": "stacking", "lang": "en"}
    other = (await intake.get("/dashboard", params=query, headers=COORDINATOR)).text
    section = other.split('id="signals"')[1].split("</section>")[0]
    assert '<tr id="signal-' not in section and "No open signals." in section
    assert '<option value="stacking" selected>' in section
