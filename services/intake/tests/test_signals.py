"""Signals over real HTTP: each type opens exactly when its rule says and not before, never twice while
open, and closes only with a coordinator's analysis."""

import asyncio
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_VALID_BSN,
    REFERRER,
    VALID_BSN,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    with_client,
)

from common.clock import ManualClock
from intake.workers import evaluate_crisis_caps, rematch_waiting


async def placed(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    *,
    bsn: str = VALID_BSN,
    care_type: str = "residential",
    start_date: str = "2026-11-02",
    body: dict[str, Any] | None = None,
    **unit: Any,
) -> tuple[str, str, dict[str, str]]:
    """A child placed in a fresh unit of a fresh provider: (referral id, provider id, provider headers)."""
    await provider_with_unit(capacity, care_type=care_type, **unit)
    sent = body or with_client(bsn=bsn)
    sent["care_type"] = care_type
    referral = await submitted(intake, sent)
    assert referral["status"] == "proposed", referral
    # The best fitting free unit, which may be one an earlier step made.
    provider_id = str(referral["proposal"]["provider_id"])
    headers = provider_headers(provider_id)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": start_date}, headers=headers
    )
    assert response.status_code == 200, response.text
    return referral["id"], provider_id, headers


async def listed(intake: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await intake.get("/v1/signals", params={"limit": 200, **params}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def of_type(intake: httpx.AsyncClient, signal_type: str, **params: Any) -> list[dict[str, Any]]:
    return await listed(intake, type=signal_type, **params)


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=9, tzinfo=UTC)


# --- the crisis cap -------------------------------------------------------------------------------


async def test_crisis_cap_approaching_opens_at_seven_days_left_and_not_at_eight(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, provider_id, _ = await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-22"))  # the cap is 2026-11-30: 8 days left
    assert await of_type(intake, "crisis_cap_approaching") == []
    clock.set(at("2026-11-23"))  # 7 days left
    [signal] = await of_type(intake, "crisis_cap_approaching")
    assert signal["status"] == "open"
    assert signal["referral_id"] == referral_id
    assert signal["analysis"] is None
    assert signal["detail"]["crisis_end_date"] == "2026-11-30"
    assert signal["detail"]["crisis_days_left"] == 7
    assert signal["detail"]["provider_id"] == provider_id
    # Reading again, or a day later, does not open a second one.
    clock.set(at("2026-11-24"))
    assert [s["id"] for s in await of_type(intake, "crisis_cap_approaching")] == [signal["id"]]
    # The referral carries it for the coordinator.
    referral = (await intake.get(f"/v1/referrals/{referral_id}", headers=COORDINATOR)).json()
    assert [s["id"] for s in referral["signals"]] == [signal["id"]]


async def test_crisis_cap_approaching_stays_closed_while_a_follow_up_referral_exists(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await placed(intake, capacity, care_type="crisis", role="strategic")
    follow_up = await submitted(intake, referral_body(care_type="family_home"))
    assert follow_up["status"] == "unmatched"  # waiting for a gezinshuis: the follow-up exists
    clock.set(at("2026-11-25"))
    assert await of_type(intake, "crisis_cap_approaching") == []
    # Once the follow-up is withdrawn the child has none, and the warning opens.
    withdrawn = await intake.post(f"/v1/referrals/{follow_up['id']}/withdraw", headers=REFERRER)
    assert withdrawn.status_code == 200
    assert len(await of_type(intake, "crisis_cap_approaching")) == 1


async def test_crisis_cap_exceeded_opens_the_day_after_the_cap_and_not_on_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _, _ = await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-30"))
    assert await of_type(intake, "crisis_cap_exceeded") == []
    clock.set(at("2026-12-01"))
    [signal] = await of_type(intake, "crisis_cap_exceeded")
    assert signal["referral_id"] == referral_id
    assert signal["detail"]["crisis_days_left"] == -1


async def test_backdated_crisis_stay_past_its_cap_is_signalled_at_once(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    # Started 29 days ago: the cap (2026-11-01) has passed on the day the stay is registered.
    referral_id, _, _ = await placed(intake, capacity, care_type="crisis", role="strategic", start_date="2026-10-04")
    [signal] = await of_type(intake, "crisis_cap_exceeded")
    assert signal["referral_id"] == referral_id
    assert signal["detail"]["crisis_end_date"] == "2026-11-01"


async def test_crisis_signals_end_with_the_stay(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _, headers = await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-20"))
    ended = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-20", "reason": "returned_home"}, headers=headers
    )
    assert ended.status_code == 200
    clock.set(at("2026-12-05"))
    assert await of_type(intake, "crisis_cap_approaching") == []
    assert await of_type(intake, "crisis_cap_exceeded") == []


async def test_background_sweep_opens_crisis_signals_without_anyone_asking(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-22"))
    assert await evaluate_crisis_caps(intake_app) == 0
    clock.set(at("2026-11-23"))
    assert await evaluate_crisis_caps(intake_app) == 1
    assert await evaluate_crisis_caps(intake_app) == 0
    assert len(await of_type(intake, "crisis_cap_approaching")) == 1


async def test_concurrent_evaluations_open_one_signal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-23"))
    results = await asyncio.gather(
        *(evaluate_crisis_caps(intake_app) for _ in range(4)),
        *(intake.get("/v1/signals", headers=COORDINATOR) for _ in range(4)),
    )
    assert sum(r for r in results if isinstance(r, int)) <= 1
    assert all(r.status_code == 200 for r in results if isinstance(r, httpx.Response))
    assert len(await of_type(intake, "crisis_cap_approaching")) == 1


async def test_acknowledged_crisis_warning_is_not_raised_again(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-23"))
    [signal] = await of_type(intake, "crisis_cap_approaching")
    response = await intake.post(
        f"/v1/signals/{signal['id']}/acknowledge",
        json={"analysis": "Gezinshuis gevonden, overplaatsing volgende week."},
        headers=COORDINATOR,
    )
    assert response.status_code == 200
    clock.set(at("2026-11-25"))
    assert [(s["id"], s["status"]) for s in await of_type(intake, "crisis_cap_approaching")] == [
        (signal["id"], "acknowledged")
    ]


async def test_extension_answers_the_warning_and_a_new_one_opens_near_the_new_cap(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _, _ = await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-11-23"))
    [warning] = await of_type(intake, "crisis_cap_approaching")
    extended = await intake.post(
        f"/v1/referrals/{referral_id}/extend-crisis",
        json={"days": 14, "reason": "Wacht op plek in gezinshuis."},
        headers=COORDINATOR,
    )
    assert extended.status_code == 200
    assert extended.json()["placement"]["crisis_end_date"] == "2026-12-14"
    assert extended.json()["signals"] == []
    [answered] = await of_type(intake, "crisis_cap_approaching")
    assert answered["id"] == warning["id"]
    assert answered["status"] == "acknowledged"
    assert answered["acknowledged_by"] == "coco"
    assert answered["acknowledged_at"] == "2026-11-23T09:00:00Z"
    assert "Wacht op plek in gezinshuis." in answered["analysis"]
    # Not before the new cap comes within seven days.
    clock.set(at("2026-12-06"))
    assert await of_type(intake, "crisis_cap_approaching", status="open") == []
    clock.set(at("2026-12-07"))
    [renewed] = await of_type(intake, "crisis_cap_approaching", status="open")
    assert renewed["detail"]["crisis_end_date"] == "2026-12-14"


async def test_extension_past_the_cap_closes_the_exceeded_signal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _, _ = await placed(intake, capacity, care_type="crisis", role="strategic")
    clock.set(at("2026-12-02"))
    [exceeded] = await of_type(intake, "crisis_cap_exceeded")
    url = f"/v1/referrals/{referral_id}/extend-crisis"
    await intake.post(url, json={"days": 21, "reason": "Rechter beslist."}, headers=COORDINATOR)
    assert await of_type(intake, "crisis_cap_exceeded", status="open") == []
    [closed] = await of_type(intake, "crisis_cap_exceeded")
    assert closed["id"] == exceeded["id"]


async def test_child_in_crisis_is_placed_despite_earlier_crisis_days_and_that_is_signalled(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, role="strategic", care_type="crisis", capacity=2)
    headers = provider_headers(provider_id)
    clock.set(at("2026-09-01"))
    first = await submitted(intake, referral_body(care_type="crisis"))
    await intake.post(f"/v1/referrals/{first['id']}/accept", json={"start_date": "2026-09-01"}, headers=headers)
    clock.set(at("2026-09-28"))
    await intake.post(
        f"/v1/referrals/{first['id']}/end", json={"end_date": "2026-09-28", "reason": "returned_home"}, headers=headers
    )
    # 27 earlier crisis days: under the cap, no signal for the next crisis stay.
    clock.set(at("2026-10-10"))
    second = await submitted(intake, referral_body(care_type="crisis"))
    await intake.post(f"/v1/referrals/{second['id']}/accept", json={"start_date": "2026-10-10"}, headers=headers)
    assert await of_type(intake, "crisis_cap_exceeded") == []
    clock.set(at("2026-10-11"))
    ended = await intake.post(
        f"/v1/referrals/{second['id']}/end", json={"end_date": "2026-10-11", "reason": "returned_home"}, headers=headers
    )
    assert ended.status_code == 200
    # 28 earlier crisis days: the child is still given a place, and the coordinator is told.
    clock.set(at("2026-11-02"))
    third = await submitted(intake, referral_body(care_type="crisis"))
    assert third["status"] == "proposed"
    accepted = await intake.post(
        f"/v1/referrals/{third['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers
    )
    assert accepted.status_code == 200
    assert accepted.json()["placement"]["crisis_end_date"] == "2026-11-30"
    [signal] = await of_type(intake, "crisis_cap_exceeded")
    assert signal["referral_id"] == third["id"]
    assert signal["detail"]["earlier_crisis_days"] == 28


# --- onward placements, stacking, region, waiting -------------------------------------------------


async def test_onward_placement_opens_for_a_new_referral_while_the_child_is_placed(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    current_id, provider_id, _ = await placed(intake, capacity)
    # Another child's referral does not concern this one.
    await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    assert await of_type(intake, "onward_placement") == []
    new = await submitted(intake, referral_body(care_type="family_home", notes="Groep kan haar niet meer aan."))
    [signal] = await of_type(intake, "onward_placement")
    assert signal["referral_id"] == new["id"]
    assert signal["detail"]["current_referral_id"] == current_id
    assert signal["detail"]["current_provider_id"] == provider_id
    assert signal["detail"]["reason"] == "Groep kan haar niet meer aan."
    # The referrer sees the signals about its referral: this one, and that no place was found yet.
    assert sorted(s["type"] for s in new["signals"]) == ["onward_placement", "unmatched"]
    # A second new referral for the same stay is the same condition: still one open signal.
    await submitted(intake, referral_body(care_type="foster_care"))
    assert len(await of_type(intake, "onward_placement")) == 1


async def test_no_onward_placement_for_a_child_that_is_only_proposed(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity)
    first = await submitted(intake)
    assert first["status"] == "proposed"
    await submitted(intake, referral_body(care_type="family_home"))
    assert await of_type(intake, "onward_placement") == []


async def test_repeated_placements_open_with_the_second_stay_ended_within_a_year(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, capacity=3)
    headers = provider_headers(provider_id)

    async def stay(start: str, end: str) -> str:
        clock.set(at(start))
        referral = await submitted(intake)
        await intake.post(f"/v1/referrals/{referral['id']}/accept", json={"start_date": start}, headers=headers)
        clock.set(at(end))
        response = await intake.post(
            f"/v1/referrals/{referral['id']}/end", json={"end_date": end, "reason": "returned_home"}, headers=headers
        )
        assert response.status_code == 200, response.text
        return str(referral["id"])

    await stay("2025-09-01", "2025-10-01")
    # More than 365 days after the first ended: one stay in the window.
    await stay("2026-10-01", "2026-10-03")
    assert await of_type(intake, "repeated_placements") == []
    third = await stay("2026-10-20", "2026-11-02")
    [signal] = await of_type(intake, "repeated_placements")
    assert signal["referral_id"] == third
    assert signal["detail"]["ended_stays"] == 2


async def test_breakdown_opens_placement_breakdown_and_other_end_reasons_do_not(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    calm_id, _, calm_headers = await placed(intake, capacity)
    await intake.post(
        f"/v1/referrals/{calm_id}/end", json={"end_date": "2026-11-02", "reason": "returned_home"}, headers=calm_headers
    )
    assert await of_type(intake, "placement_breakdown") == []
    broken_id, provider_id, headers = await placed(intake, capacity, bsn=OTHER_VALID_BSN)
    await intake.post(
        f"/v1/referrals/{broken_id}/end", json={"end_date": "2026-11-02", "reason": "breakdown"}, headers=headers
    )
    [signal] = await of_type(intake, "placement_breakdown")
    assert signal["referral_id"] == broken_id
    assert signal["detail"]["provider_id"] == provider_id


async def test_stacking_opens_when_a_second_stay_overlaps_the_first(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_id, _, _ = await placed(intake, capacity)
    second_id, _, _ = await placed(intake, capacity, care_type="foster_care", start_date="2026-10-30")
    [signal] = await of_type(intake, "stacking")
    assert signal["referral_id"] == second_id
    assert signal["detail"]["other_referral_id"] == first_id


async def test_a_stay_that_begins_the_day_the_last_one_ended_is_not_stacking(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_id, _, first_headers = await placed(intake, capacity, start_date="2026-10-01")
    await intake.post(
        f"/v1/referrals/{first_id}/end",
        json={"end_date": "2026-10-30", "reason": "onward_placement"},
        headers=first_headers,
    )
    await placed(intake, capacity, care_type="foster_care", start_date="2026-10-30")
    assert await of_type(intake, "stacking") == []


async def test_out_of_region_opens_for_a_placement_outside_the_region_only(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await placed(intake, capacity)
    assert await of_type(intake, "out_of_region") == []
    body = with_client(bsn=OTHER_VALID_BSN)
    body["out_of_region"] = {"criterion": "safety", "justification": "Dreiging vanuit het netwerk in Den Haag."}
    outside_id, provider_id, _ = await placed(intake, capacity, body=body, municipality_code="GM0344")
    [signal] = await of_type(intake, "out_of_region")
    assert signal["referral_id"] == outside_id
    assert signal["detail"]["provider_id"] == provider_id
    assert signal["detail"]["criterion"] == "safety"


async def test_unmatched_opens_once_for_a_waiting_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    ground = {"criterion": "expertise", "justification": "Traumabehandeling is in de regio niet beschikbaar."}
    waiting = await submitted(intake, referral_body(out_of_region=ground))
    assert waiting["status"] == "unmatched"
    [signal] = await of_type(intake, "unmatched")
    assert signal["referral_id"] == waiting["id"]
    assert signal["detail"]["care_type"] == "residential"
    # Matched again without a place: the same condition, still one open signal. The free place outside
    # the region passes the hard rules (so the child is asked about again) but lacks the expertise.
    await provider_with_unit(capacity, municipality_code="GM0599", specialisms=[])
    assert await rematch_waiting(intake_app) == 1
    assert len(await of_type(intake, "unmatched")) == 1


# --- placement at risk ----------------------------------------------------------------------------


async def test_provider_of_the_placement_reports_it_at_risk(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, provider_id, headers = await placed(intake, capacity)
    url = f"/v1/referrals/{referral_id}/signals"
    response = await intake.post(url, json={"type": "placement_at_risk", "note": "Loopt steeds weg."}, headers=headers)
    assert response.status_code == 201, response.text
    signal = response.json()
    assert (signal["type"], signal["status"], signal["referral_id"]) == ("placement_at_risk", "open", referral_id)
    assert signal["detail"]["note"] == "Loopt steeds weg."
    assert signal["detail"]["provider_id"] == provider_id
    # A second report while the first is open adds to it.
    again = await intake.post(url, json={"type": "placement_at_risk", "note": "Nu ook schorsing."}, headers=headers)
    assert again.status_code == 200
    assert again.json()["id"] == signal["id"]
    assert [n["note"] for n in again.json()["detail"]["notes"]] == ["Loopt steeds weg.", "Nu ook schorsing."]
    assert [s["id"] for s in await of_type(intake, "placement_at_risk")] == [signal["id"]]
    # The provider sees it on its referral.
    referral = (await intake.get(f"/v1/referrals/{referral_id}", headers=headers)).json()
    assert [s["type"] for s in referral["signals"]] == ["placement_at_risk"]


async def test_only_the_provider_of_the_placement_may_report_a_risk(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_provider, _ = await provider_with_unit(capacity, municipality_code="GM0518")
    second_provider, _ = await provider_with_unit(capacity, municipality_code="GM0503")
    stranger, _ = await provider_with_unit(capacity, care_type="crisis")
    referral = await submitted(intake)
    await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={"reason": "vol"}, headers=provider_headers(first_provider)
    )
    await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(second_provider),
    )
    url = f"/v1/referrals/{referral['id']}/signals"
    body = {"type": "placement_at_risk", "note": "Zorgen."}
    assert (await intake.post(url, json=body, headers=provider_headers(first_provider))).status_code == 403
    assert (await intake.post(url, json=body, headers=provider_headers(stranger))).status_code == 404
    assert (await intake.post(url, json=body, headers=COORDINATOR)).status_code == 403
    assert (await intake.post(url, json=body, headers=REFERRER)).status_code == 403
    assert (await intake.post(url, json=body)).status_code == 401
    assert await of_type(intake, "placement_at_risk") == []


async def test_a_provider_may_raise_no_other_signal_type(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _, headers = await placed(intake, capacity)
    url = f"/v1/referrals/{referral_id}/signals"
    for body in ({"type": "stacking", "note": "x"}, {"type": "nonsense", "note": "x"}):
        response = await intake.post(url, json=body, headers=headers)
        assert response.status_code == 422
        assert response.headers["content-type"].startswith("application/problem+json")
        assert [e["field"] for e in response.json()["errors"]] == ["type"]
    missing_note = await intake.post(url, json={"type": "placement_at_risk", "note": ""}, headers=headers)
    assert [e["field"] for e in missing_note.json()["errors"]] == ["note"]


async def test_a_risk_to_a_stay_that_ended_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    referral_id, _, headers = await placed(intake, capacity)
    await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-02", "reason": "other"}, headers=headers
    )
    response = await intake.post(
        f"/v1/referrals/{referral_id}/signals", json={"type": "placement_at_risk", "note": "Te laat."}, headers=headers
    )
    assert response.status_code == 409


# --- acknowledging and listing --------------------------------------------------------------------


async def test_acknowledgement_keeps_who_when_and_the_analysis_and_happens_once(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await submitted(intake)
    [signal] = await listed(intake)
    clock.set(at("2026-11-03"))
    analysis = "Geen plek in de regio; strategische partners gevraagd een plek te maken."
    url = f"/v1/signals/{signal['id']}/acknowledge"
    response = await intake.post(url, json={"analysis": analysis}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    done = response.json()
    assert (done["status"], done["analysis"], done["acknowledged_by"], done["acknowledged_at"]) == (
        "acknowledged",
        analysis,
        "coco",
        "2026-11-03T09:00:00Z",
    )
    twice = await intake.post(url, json={"analysis": "Nogmaals bekeken."}, headers=COORDINATOR)
    assert twice.status_code == 409
    [kept] = await listed(intake)
    assert kept["analysis"] == analysis
    assert await listed(intake, status="open") == []


async def test_acknowledgement_needs_an_analysis_and_a_coordinator(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _, headers = await placed(intake, capacity)
    await intake.post(
        f"/v1/referrals/{referral_id}/signals", json={"type": "placement_at_risk", "note": "Zorgen."}, headers=headers
    )
    [signal] = await listed(intake)
    url = f"/v1/signals/{signal['id']}/acknowledge"
    for analysis in ("", "   te kort "):
        response = await intake.post(url, json={"analysis": analysis}, headers=COORDINATOR)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["analysis"]
    good = {"analysis": "Gesprek met aanbieder gevoerd, extra begeleiding ingezet."}
    assert (await intake.post(url, json=good, headers=headers)).status_code == 403
    assert (await intake.post(url, json=good, headers=REFERRER)).status_code == 403
    missing = await intake.post("/v1/signals/no-such-signal/acknowledge", json=good, headers=COORDINATOR)
    assert missing.status_code == 404
    assert (await listed(intake, status="open"))[0]["id"] == signal["id"]


async def test_signal_list_is_for_coordinators_newest_first_with_filters_and_pages(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = await submitted(intake)
    clock.advance(timedelta(minutes=1))
    second = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    clock.advance(timedelta(minutes=1))
    referral_id, _, headers = await placed(intake, capacity, bsn="100000009", care_type="crisis")
    await intake.post(
        f"/v1/referrals/{referral_id}/signals", json={"type": "placement_at_risk", "note": "Zorgen."}, headers=headers
    )
    assert [s["referral_id"] for s in await listed(intake)] == [referral_id, second["id"], first["id"]]
    assert [s["referral_id"] for s in await listed(intake, type="unmatched")] == [second["id"], first["id"]]
    page = (await intake.get("/v1/signals", params={"limit": 1, "offset": 1}, headers=COORDINATOR)).json()
    assert page["total"] == 3
    assert [s["referral_id"] for s in page["items"]] == [second["id"]]
    for params in ({"type": "bogus"}, {"status": "closed"}, {"limit": 0}, {"offset": -1}):
        response = await intake.get("/v1/signals", params=params, headers=COORDINATOR)
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [next(iter(params))]
    assert (await intake.get("/v1/signals", headers=headers)).status_code == 403
    assert (await intake.get("/v1/signals", headers=REFERRER)).status_code == 403
    assert (await intake.get("/v1/signals")).status_code == 401


async def test_reading_signals_is_written_to_the_access_log(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    waiting = await submitted(intake)
    await listed(intake)
    log = (await intake.get(f"/v1/referrals/{waiting['id']}/access-log", headers=COORDINATOR)).json()["items"]
    assert ("read_signals", "coco") in [(e["action"], e["sub"]) for e in log]


async def test_a_referrer_sees_only_the_signals_about_its_own_referral(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await placed(intake, capacity)
    new = await submitted(intake, referral_body(care_type="family_home"))
    by_referrer = (await intake.get(f"/v1/referrals/{new['id']}", headers=REFERRER)).json()
    assert sorted(s["type"] for s in by_referrer["signals"]) == ["onward_placement", "unmatched"]
    assert all(s["client_key"] is None for s in by_referrer["signals"])
    by_coordinator = (await intake.get(f"/v1/referrals/{new['id']}", headers=COORDINATOR)).json()
    assert sorted(s["type"] for s in by_coordinator["signals"]) == ["onward_placement", "unmatched"]
    assert all(s["client_key"] for s in by_coordinator["signals"])
