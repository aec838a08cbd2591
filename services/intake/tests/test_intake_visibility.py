"""Who sees which referral, when the BSN is shown, and how lists page."""

import httpx
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    OTHER_VALID_BSN,
    REFERRER,
    REFERRER_ORG,
    SERVICE,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    with_client,
)


async def test_referrer_reads_its_own_referral_with_the_bsn(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    response = await intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER)
    assert response.status_code == 200
    assert response.json()["client"]["bsn"] == "111222333"
    assert response.json()["referrer_org"] == REFERRER_ORG


async def test_another_referrers_referral_is_404(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    response = await intake.get(f"/v1/referrals/{referral['id']}", headers=OTHER_REFERRER)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_unknown_referral_is_404(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/v1/referrals/00000000-0000-0000-0000-000000000000", headers=COORDINATOR)
    assert response.status_code == 404


async def test_reading_without_a_token_is_401(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    assert (await intake.get(f"/v1/referrals/{referral['id']}")).status_code == 401
    assert (await intake.get("/v1/referrals")).status_code == 401


async def test_service_tokens_do_not_read_referrals(intake: httpx.AsyncClient) -> None:
    assert (await intake.get("/v1/referrals", headers=SERVICE)).status_code == 403


async def test_coordinator_sees_every_referral_but_never_the_bsn(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    response = await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)
    assert response.status_code == 200
    assert response.json()["client"]["bsn"] is None
    listed = (await intake.get("/v1/referrals", headers=COORDINATOR)).json()["items"]
    assert [item["client"]["bsn"] for item in listed] == [None]


async def test_proposed_provider_sees_the_referral_without_the_bsn_until_placed(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    headers = provider_headers(provider_id)
    proposed = await intake.get(f"/v1/referrals/{referral['id']}", headers=headers)
    assert proposed.status_code == 200
    assert proposed.json()["client"]["bsn"] is None
    await intake.post(f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    placed = await intake.get(f"/v1/referrals/{referral['id']}", headers=headers)
    assert placed.json()["client"]["bsn"] == "111222333"


async def test_provider_never_involved_gets_404(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity)
    bystander, _ = await provider_with_unit(capacity, care_type="foster_care")
    referral = await submitted(intake)
    response = await intake.get(f"/v1/referrals/{referral['id']}", headers=provider_headers(bystander))
    assert response.status_code == 404
    listed = await intake.get("/v1/referrals", headers=provider_headers(bystander))
    assert listed.json()["items"] == []


async def test_referrer_lists_only_its_own_referrals(intake: httpx.AsyncClient) -> None:
    mine = await submitted(intake)
    theirs = await submitted(intake, with_client(bsn=OTHER_VALID_BSN), headers=OTHER_REFERRER)
    own = (await intake.get("/v1/referrals", headers=REFERRER)).json()["items"]
    assert [item["id"] for item in own] == [mine["id"]]
    other = (await intake.get("/v1/referrals", headers=OTHER_REFERRER)).json()["items"]
    assert [item["id"] for item in other] == [theirs["id"]]


async def test_list_filters_on_status(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await provider_with_unit(capacity)
    proposed = await submitted(intake)
    unmatched = await submitted(intake, referral_body(care_type="secure"))
    for status, expected in (("proposed", proposed), ("unmatched", unmatched)):
        response = await intake.get("/v1/referrals", params={"status": status}, headers=COORDINATOR)
        assert [item["id"] for item in response.json()["items"]] == [expected["id"]]
    assert (await intake.get("/v1/referrals", params={"status": "placed"}, headers=COORDINATOR)).json()["items"] == []


async def test_list_with_an_unknown_status_is_422(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/v1/referrals", params={"status": "lost"}, headers=COORDINATOR)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["status"]


async def test_list_pages_newest_first(intake: httpx.AsyncClient, clock) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    ids = []
    for _ in range(5):
        ids.append((await submitted(intake))["id"])
        clock.advance(timedelta(minutes=1))
    first = (await intake.get("/v1/referrals", params={"limit": 2}, headers=COORDINATOR)).json()
    assert [item["id"] for item in first["items"]] == [ids[4], ids[3]]
    assert first["next_offset"] == 2
    last = (await intake.get("/v1/referrals", params={"limit": 2, "offset": 4}, headers=COORDINATOR)).json()
    assert [item["id"] for item in last["items"]] == [ids[0]]
    assert last["next_offset"] is None


async def test_list_limit_above_200_is_422(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/v1/referrals", params={"limit": 201}, headers=COORDINATOR)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["limit"]


async def test_strategic_and_tactical_providers_list_waiting_children_without_bsn(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    strategic, _ = await provider_with_unit(capacity, role="strategic", care_type="foster_care")
    tactical, _ = await provider_with_unit(capacity, role="tactical", care_type="foster_care")
    waiting = await submitted(intake)
    assert waiting["status"] == "unmatched"
    for provider_id in (strategic, tactical):
        response = await intake.get(
            "/v1/referrals", params={"status": "unmatched"}, headers=provider_headers(provider_id)
        )
        items = response.json()["items"]
        assert [item["id"] for item in items] == [waiting["id"]]
        assert items[0]["client"]["bsn"] is None


async def test_operational_providers_do_not_see_waiting_children(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    operational, _ = await provider_with_unit(capacity, role="operational", care_type="foster_care")
    waiting = await submitted(intake)
    headers = provider_headers(operational)
    response = await intake.get("/v1/referrals", params={"status": "unmatched"}, headers=headers)
    assert response.json()["items"] == []
    assert (await intake.get(f"/v1/referrals/{waiting['id']}", headers=headers)).status_code == 404
