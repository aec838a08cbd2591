"""A referral's life over real HTTP: proposed → placed → ended, decline, withdraw, crisis cap."""

from datetime import timedelta

import httpx
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    OTHER_VALID_BSN,
    REFERRER,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    unit_state,
    with_client,
)

from common.clock import ManualClock


async def test_referral_is_proposed_to_a_fitting_unit_and_the_place_is_held(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    assert referral["status"] == "proposed"
    assert referral["proposal"]["unit_id"] == unit["id"]
    assert referral["proposal"]["provider_id"] == provider_id
    assert referral["proposal"]["in_region"] is True
    # Non-crisis proposals are held for 72 hours.
    assert referral["proposal"]["expires_at"] == "2026-11-05T09:00:00Z"
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1


async def test_crisis_proposal_is_held_for_four_hours(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity, role="strategic", care_type="crisis")
    referral = await submitted(intake, referral_body(care_type="crisis"))
    assert referral["proposal"]["expires_at"] == "2026-11-02T13:00:00Z"


async def test_accept_places_the_child_and_occupies_the_place(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-01"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 200, response.text
    placed = response.json()
    assert placed["status"] == "placed"
    assert placed["proposal"] is None
    assert placed["placement"] == {
        "unit_id": unit["id"],
        "provider_id": provider_id,
        "in_region": True,
        "start_date": "2026-11-01",
        "end_date": None,
        "end_reason": None,
        "crisis_end_date": None,
        "crisis_days_left": None,
        "crisis_extensions": None,
        "contracted": True,
    }
    # Once placed, the provider of the placement sees the BSN.
    assert placed["client"]["bsn"] == "111222333"
    state = await unit_state(capacity, unit["id"])
    assert (state["occupied"], state["reserved"]) == (1, 0)


async def test_accept_with_a_start_date_in_the_future_is_422(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-03"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["start_date"]


async def test_accept_may_lie_60_days_back_but_not_61(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    url = f"/v1/referrals/{referral['id']}/accept"
    too_early = await intake.post(url, json={"start_date": "2026-09-02"}, headers=provider_headers(provider_id))
    assert too_early.status_code == 422
    assert [e["field"] for e in too_early.json()["errors"]] == ["start_date"]
    ok = await intake.post(url, json={"start_date": "2026-09-03"}, headers=provider_headers(provider_id))
    assert ok.status_code == 200, ok.text


async def test_accept_by_a_provider_it_was_not_proposed_to_is_404(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity)
    stranger, _ = await provider_with_unit(capacity, care_type="foster_care")
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=provider_headers(stranger)
    )
    assert response.status_code == 404


async def test_accept_by_a_referrer_is_403(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=REFERRER
    )
    assert response.status_code == 403


async def test_accept_of_an_unmatched_referral_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity, role="strategic", care_type="foster_care")
    referral = await submitted(intake)
    assert referral["status"] == "unmatched"
    # A strategic partner may see the waiting child, but there is no proposal to accept.
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 409


async def test_accepting_twice_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    url = f"/v1/referrals/{referral['id']}/accept"
    assert (await intake.post(url, json={"start_date": "2026-11-02"}, headers=provider_headers(provider_id))).is_success
    again = await intake.post(url, json={"start_date": "2026-11-02"}, headers=provider_headers(provider_id))
    assert again.status_code == 409


async def test_decline_releases_the_place_and_matches_again_without_that_unit(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_provider, first_unit = await provider_with_unit(capacity, municipality_code="GM0518")
    second_provider, second_unit = await provider_with_unit(capacity, municipality_code="GM0503")
    referral = await submitted(intake)
    assert referral["proposal"]["unit_id"] == first_unit["id"]  # closest to home comes first
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/decline",
        json={"reason": "Groep is vol met jongeren met vergelijkbare problematiek."},
        headers=provider_headers(first_provider),
    )
    assert response.status_code == 200, response.text
    again = response.json()
    assert again["status"] == "proposed"
    assert again["proposal"]["unit_id"] == second_unit["id"]
    assert (await unit_state(capacity, first_unit["id"]))["reserved"] == 0
    assert (await unit_state(capacity, second_unit["id"]))["reserved"] == 1
    # The provider that declined still sees the referral it was once offered, the new one too.
    for provider_id in (first_provider, second_provider):
        seen = await intake.get(f"/v1/referrals/{referral['id']}", headers=provider_headers(provider_id))
        assert seen.status_code == 200


async def test_decline_of_the_only_fitting_unit_leaves_the_child_unmatched(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=3)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={"reason": "Past niet."}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 200
    assert response.json()["status"] == "unmatched"
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


async def test_decline_after_accept_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    headers = provider_headers(provider_id)
    await intake.post(f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    response = await intake.post(f"/v1/referrals/{referral['id']}/decline", json={"reason": "x"}, headers=headers)
    assert response.status_code == 409


async def test_decline_with_an_empty_reason_is_422(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={"reason": ""}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]


async def test_referrer_withdraws_a_proposed_referral_and_the_place_is_released(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "withdrawn"
    assert response.json()["proposal"] is None
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


async def test_coordinator_withdraws_an_unmatched_referral(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=COORDINATOR)
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"


async def test_withdraw_by_another_referrer_is_404(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=OTHER_REFERRER)
    assert response.status_code == 404


async def test_withdraw_by_a_provider_is_403(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=provider_headers(provider_id))
    assert response.status_code == 403


async def test_withdraw_of_a_placed_child_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 409


async def test_withdrawing_twice_is_409(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 409


async def placed_referral(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, **unit: str
) -> tuple[str, str, dict[str, str]]:
    care_type = unit.get("care_type", "residential")
    provider_id, created = await provider_with_unit(capacity, role="strategic", **unit)  # type: ignore[arg-type]
    referral = await submitted(intake, referral_body(care_type=care_type))
    headers = provider_headers(provider_id)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers
    )
    assert response.status_code == 200, response.text
    return referral["id"], created["id"], headers


async def test_provider_ends_a_stay_and_the_place_is_free_again(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, unit_id, headers = await placed_referral(intake, capacity)
    clock.advance(timedelta(days=10))
    response = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-12", "reason": "returned_home"}, headers=headers
    )
    assert response.status_code == 200, response.text
    ended = response.json()
    assert ended["status"] == "ended"
    assert ended["placement"]["end_date"] == "2026-11-12"
    assert ended["placement"]["end_reason"] == "returned_home"
    assert (await unit_state(capacity, unit_id))["occupied"] == 0


async def test_referrer_and_coordinator_may_end_a_stay(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    referral_id, _unit_id, _headers = await placed_referral(intake, capacity)
    response = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-02", "reason": "other"}, headers=REFERRER
    )
    assert response.status_code == 200
    again = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-02", "reason": "other"}, headers=COORDINATOR
    )
    assert again.status_code == 409


async def test_end_with_an_unknown_reason_is_422(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    referral_id, _unit_id, headers = await placed_referral(intake, capacity)
    response = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-02", "reason": "bored"}, headers=headers
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["reason"]


async def test_end_in_the_future_or_before_the_start_is_422(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _unit_id, headers = await placed_referral(intake, capacity)
    for end_date in ("2026-11-03", "2026-11-01"):
        response = await intake.post(
            f"/v1/referrals/{referral_id}/end", json={"end_date": end_date, "reason": "other"}, headers=headers
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["end_date"]


async def test_end_of_a_proposal_is_409(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/end", json={"end_date": "2026-11-02", "reason": "other"}, headers=COORDINATOR
    )
    assert response.status_code == 409


async def test_end_by_another_provider_that_once_had_the_proposal_is_403(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_provider, _ = await provider_with_unit(capacity, municipality_code="GM0518")
    second_provider, _ = await provider_with_unit(capacity, municipality_code="GM0503")
    referral = await submitted(intake)
    await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={"reason": "vol"}, headers=provider_headers(first_provider)
    )
    await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(second_provider),
    )
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/end",
        json={"end_date": "2026-11-02", "reason": "other"},
        headers=provider_headers(first_provider),
    )
    assert response.status_code == 403


async def test_crisis_placement_carries_its_cap_and_days_left_from_the_clock(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _unit_id, headers = await placed_referral(intake, capacity, care_type="crisis")
    clock.advance(timedelta(days=5))
    response = await intake.get(f"/v1/referrals/{referral_id}", headers=headers)
    placement = response.json()["placement"]
    assert placement["crisis_end_date"] == "2026-11-30"
    assert placement["crisis_days_left"] == 23
    assert placement["crisis_extensions"] == []


async def test_coordinator_extends_a_crisis_stay_and_each_extension_stays_visible(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _unit_id, _headers = await placed_referral(intake, capacity, care_type="crisis")
    url = f"/v1/referrals/{referral_id}/extend-crisis"
    first = await intake.post(url, json={"days": 14, "reason": "Wacht op gezinshuis."}, headers=COORDINATOR)
    assert first.status_code == 200, first.text
    assert first.json()["placement"]["crisis_end_date"] == "2026-12-14"
    second = await intake.post(url, json={"days": 7, "reason": "Overdracht."}, headers=COORDINATOR)
    placement = second.json()["placement"]
    assert placement["crisis_end_date"] == "2026-12-21"
    assert placement["crisis_days_left"] == 49
    assert [(e["days"], e["previous_end_date"], e["new_end_date"]) for e in placement["crisis_extensions"]] == [
        (14, "2026-11-30", "2026-12-14"),
        (7, "2026-12-14", "2026-12-21"),
    ]
    assert placement["crisis_extensions"][0]["reason"] == "Wacht op gezinshuis."


async def test_extend_crisis_days_outside_1_to_90_is_422(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _unit_id, _headers = await placed_referral(intake, capacity, care_type="crisis")
    for days in (0, 91):
        response = await intake.post(
            f"/v1/referrals/{referral_id}/extend-crisis", json={"days": days, "reason": "x"}, headers=COORDINATOR
        )
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == ["days"]


async def test_extend_crisis_of_a_non_crisis_stay_is_409(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral_id, _unit_id, _headers = await placed_referral(intake, capacity)
    response = await intake.post(
        f"/v1/referrals/{referral_id}/extend-crisis", json={"days": 7, "reason": "x"}, headers=COORDINATOR
    )
    assert response.status_code == 409


async def test_extend_crisis_by_the_provider_is_403(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    referral_id, _unit_id, headers = await placed_referral(intake, capacity, care_type="crisis")
    response = await intake.post(
        f"/v1/referrals/{referral_id}/extend-crisis", json={"days": 7, "reason": "x"}, headers=headers
    )
    assert response.status_code == 403


async def test_a_provider_that_had_the_child_in_the_last_year_counts_as_known(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, capacity=2)
    headers = provider_headers(provider_id)
    first = await submitted(intake)
    await intake.post(f"/v1/referrals/{first['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    await intake.post(
        f"/v1/referrals/{first['id']}/end", json={"end_date": "2026-11-02", "reason": "returned_home"}, headers=headers
    )
    same_child = await submitted(intake)
    other_child = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    assert "known provider" in same_child["proposal"]["reasons"]
    assert "known provider" not in other_child["proposal"]["reasons"]


async def test_coordinator_reads_the_decisions_matching_took(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    response = await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    [decision] = response.json()["items"]
    assert decision["outcome"] == "proposed"
    assert decision["referral_id"] == referral["id"]
    assert decision["request_id"] == f"{referral['id']}:attempt-1"
    assert [c["unit_id"] for c in decision["candidates"] if c["chosen"]] == [unit["id"]]
    by_provider = await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=provider_headers(provider_id))
    assert by_provider.status_code == 403
