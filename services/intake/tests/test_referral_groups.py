"""Siblings referred together, through HTTP with intake, matching and capacity wired as in production:
kept together in one unit or in units of one provider in one municipality, all places held at once or
none, matched again as a whole when one proposal is declined or expires, waiting together until the
waiting list finds a joint place, and split only with a recorded reason."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    REFERRER,
    create_provider,
    create_unit,
    fresh_bsn,
    peer_replaced,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    unit_state,
)

from common.clock import ManualClock
from intake.workers import expire_proposals, process_group_outbox, process_outbox, rematch_waiting

SPLIT = {"code": "different_care_needs", "justification": "De jongste heeft een eigen behandelplek nodig."}


def sibling(**overrides: Any) -> dict[str, Any]:
    body = referral_body(**overrides)
    body["client"] = {**body["client"], "bsn": fresh_bsn()}
    return body


def group_body(count: int = 2, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"referrals": [sibling() for _ in range(count)], "keep_together": True, "split": None}
    body.update(overrides)
    return body


async def submit_group(
    intake: httpx.AsyncClient, body: dict[str, Any] | None = None, *, key: str | None = None, headers: Any = None
) -> httpx.Response:
    sent = dict(headers or REFERRER)
    if key is not None:
        sent["Idempotency-Key"] = key
    return await intake.post("/v1/referral-groups", json=body or group_body(), headers=sent)


async def submitted_group(intake: httpx.AsyncClient, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await submit_group(intake, body)
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    return group


async def read_group(intake: httpx.AsyncClient, group_id: str) -> dict[str, Any]:
    response = await intake.get(f"/v1/referral-groups/{group_id}", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    group: dict[str, Any] = response.json()
    return group


def proposed_units(group: dict[str, Any]) -> list[str | None]:
    return [r["proposal"]["unit_id"] if r["proposal"] else None for r in group["referrals"]]


async def test_siblings_are_proposed_one_unit_with_places_for_all(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=1, municipality_code="GM0518")
    _provider, roomy = await provider_with_unit(capacity, capacity=3, municipality_code="GM0503")
    group = await submitted_group(intake, group_body(3))
    assert group["status"] == "proposed" and group["keep_together"] is True and group["split"] is None
    assert proposed_units(group) == [roomy["id"]] * 3
    assert all(r["group_id"] == group["id"] and r["status"] == "proposed" for r in group["referrals"])
    assert group["referrals"][0]["proposal"]["reasons"][-1] == "together with 2 siblings in one unit"
    assert (await unit_state(capacity, roomy["id"]))["available"] == 0
    alone = await submitted(intake)
    assert alone["group_id"] is None
    one = await intake.get(f"/v1/referrals/{group['referrals'][1]['id']}", headers=REFERRER)
    assert one.json()["group_id"] == group["id"]


async def test_siblings_share_units_of_one_provider_in_one_municipality(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity)
    first = await create_unit(capacity, provider_id, capacity=1)
    second = await create_unit(capacity, provider_id, capacity=1, name="Groep De Eik")
    group = await submitted_group(intake)
    assert group["status"] == "proposed"
    assert sorted(proposed_units(group)) == sorted([first["id"], second["id"]])  # type: ignore[type-var]


async def test_siblings_are_not_split_over_providers_and_wait_together(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _a, first = await provider_with_unit(capacity, capacity=1)
    _b, second = await provider_with_unit(capacity, capacity=1)
    group = await submitted_group(intake)
    assert group["status"] == "waiting"
    assert [r["status"] for r in group["referrals"]] == ["unmatched", "unmatched"]
    assert all(r["signals"][0]["type"] == "unmatched" for r in group["referrals"])
    assert (await unit_state(capacity, first["id"]))["reserved"] == 0
    assert (await unit_state(capacity, second["id"]))["reserved"] == 0
    decisions = await intake.get(f"/v1/referral-groups/{group['id']}/decisions", headers=COORDINATOR)
    assert decisions.status_code == 200, decisions.text
    [decision] = decisions.json()["items"]
    assert decision["outcome"] == "unmatched" and decision["options"] == []
    assert decision["reasons"][-1] == "the children wait together: joint duty to place of the partners"
    # A partner may not take one of them alone: that would split them without a recorded reason.
    partner = await create_provider(capacity, role="strategic")
    unit = await create_unit(capacity, partner, capacity=1)
    offered = await intake.post(
        f"/v1/referrals/{group['referrals'][0]['id']}/offer",
        json={"unit_id": unit["id"]},
        headers=provider_headers(partner),
    )
    assert offered.status_code == 409


async def test_a_decline_releases_the_siblings_and_matches_the_group_again(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    home_provider, home = await provider_with_unit(capacity, capacity=2, municipality_code="GM0518")
    _other, other = await provider_with_unit(capacity, capacity=2, municipality_code="GM0503")
    group = await submitted_group(intake)
    assert proposed_units(group) == [home["id"], home["id"]]
    declined = await intake.post(
        f"/v1/referrals/{group['referrals'][0]['id']}/decline",
        json={"reason": "Past niet bij de groep."},
        headers=provider_headers(home_provider),
    )
    assert declined.status_code == 200, declined.text
    again = await read_group(intake, group["id"])
    assert again["status"] == "proposed"
    assert proposed_units(again) == [other["id"], other["id"]]
    assert (await unit_state(capacity, home["id"]))["reserved"] == 0
    assert (await unit_state(capacity, other["id"]))["reserved"] == 2


async def test_an_expired_proposal_releases_the_siblings_and_matches_the_group_again(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _home_provider, home = await provider_with_unit(capacity, capacity=2, municipality_code="GM0518")
    _other, other = await provider_with_unit(capacity, capacity=2, municipality_code="GM0503")
    group = await submitted_group(intake)
    assert proposed_units(group) == [home["id"], home["id"]]
    clock.advance(timedelta(hours=73))
    assert await expire_proposals(intake_app) >= 1
    again = await read_group(intake, group["id"])
    assert proposed_units(again) == [other["id"], other["id"]]
    assert (await unit_state(capacity, home["id"]))["reserved"] == 0


async def test_waiting_together_then_placed_together_then_closed(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    group = await submitted_group(intake)
    assert group["status"] == "waiting"
    assert await rematch_waiting(intake_app) == 0
    # One place comes free: not enough for both, so neither is asked about alone.
    await provider_with_unit(capacity, capacity=1)
    await rematch_waiting(intake_app)
    assert (await read_group(intake, group["id"]))["status"] == "waiting"
    provider_id, roomy = await provider_with_unit(capacity, capacity=2, municipality_code="GM0503")
    assert await rematch_waiting(intake_app) == 1
    proposed = await read_group(intake, group["id"])
    assert proposed["status"] == "proposed"
    assert proposed_units(proposed) == [roomy["id"], roomy["id"]]
    headers = provider_headers(provider_id)
    first, second = (r["id"] for r in proposed["referrals"])
    accepted = await intake.post(f"/v1/referrals/{first}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    assert (await read_group(intake, group["id"]))["status"] == "proposed"
    await intake.post(f"/v1/referrals/{second}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    assert (await read_group(intake, group["id"]))["status"] == "placed"
    for referral_id in (first, second):
        ended = await intake.post(
            f"/v1/referrals/{referral_id}/end",
            json={"end_date": "2026-11-02", "reason": "returned_home"},
            headers=headers,
        )
        assert ended.status_code == 200, ended.text
    assert (await read_group(intake, group["id"]))["status"] == "closed"


async def test_a_split_at_submission_matches_each_child_and_asks_a_coordinator_to_look(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _a, first = await provider_with_unit(capacity, capacity=1)
    _b, second = await provider_with_unit(capacity, capacity=1)
    body = group_body(keep_together=False, split=SPLIT)
    group = await submitted_group(intake, body)
    assert group["keep_together"] is False and group["split"]["code"] == "different_care_needs"
    assert group["status"] == "proposed"
    assert sorted(proposed_units(group)) == sorted([first["id"], second["id"]])  # type: ignore[type-var]
    signals = (await intake.get("/v1/signals", params={"type": "siblings_split"}, headers=COORDINATOR)).json()
    [signal] = signals["items"]
    assert signal["detail"]["group_id"] == group["id"]
    assert signal["detail"]["split_code"] == "different_care_needs"
    assert SPLIT["justification"] not in str(signal)
    # The child's right of access shows the group and the split recorded for it.
    bsn = body["referrals"][0]["client"]["bsn"]
    access = await intake.post("/v1/subject-access", json={"bsn": bsn}, headers=_auditor())
    assert access.status_code == 200, access.text
    [kept] = access.json()["referrals"]
    assert kept["group"]["id"] == group["id"]
    assert kept["group"]["split_justification"] == SPLIT["justification"]


async def test_a_split_later_matches_the_waiting_children_each_on_their_own(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    _a, first = await provider_with_unit(capacity, capacity=1)
    _b, second = await provider_with_unit(capacity, capacity=1)
    group = await submitted_group(intake)
    assert group["status"] == "waiting"
    url = f"/v1/referral-groups/{group['id']}/split"
    assert (await intake.post(url, json=SPLIT, headers=OTHER_REFERRER)).status_code == 404
    bad = await intake.post(url, json={"code": "too_far", "justification": "kort"}, headers=REFERRER)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["code", "justification"]
    split = await intake.post(url, json={**SPLIT, "code": "no_joint_place_in_time"}, headers=REFERRER)
    assert split.status_code == 200, split.text
    after = split.json()
    assert after["keep_together"] is False and after["status"] == "proposed"
    assert sorted(proposed_units(after)) == sorted([first["id"], second["id"]])  # type: ignore[type-var]
    signals = (await intake.get("/v1/signals", params={"type": "siblings_split"}, headers=COORDINATOR)).json()
    assert [s["detail"]["split_code"] for s in signals["items"]] == ["no_joint_place_in_time"]
    assert (await intake.post(url, json=SPLIT, headers=COORDINATOR)).status_code == 409


async def test_a_repeated_submission_answers_the_first_answer(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=2)
    body = group_body()
    first = await submit_group(intake, body, key="gezin-1")
    again = await submit_group(intake, body, key="gezin-1")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    other = await submit_group(intake, group_body(), key="gezin-1")
    assert other.status_code == 409
    single = await intake.post(
        "/v1/referrals", json=referral_body(), headers={**REFERRER, "Idempotency-Key": "gezin-1"}
    )
    assert single.status_code == 409


async def test_a_group_is_seen_by_its_referrer_and_coordinators_only(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, capacity=2)
    group = await submitted_group(intake)
    url = f"/v1/referral-groups/{group['id']}"
    assert (await intake.get(url, headers=REFERRER)).status_code == 200
    assert (await intake.get(url, headers=COORDINATOR)).status_code == 200
    assert (await intake.get(url, headers=OTHER_REFERRER)).status_code == 404
    assert (await intake.get(url, headers=provider_headers(provider_id))).status_code == 403
    assert (await intake.get("/v1/referral-groups/no-such-group", headers=COORDINATOR)).status_code == 404
    log = await intake.get(f"/v1/referrals/{group['referrals'][0]['id']}/access-log", headers=COORDINATOR)
    assert "read" in [entry["action"] for entry in log.json()["items"]]
    refused = await intake.get("/v1/access-log", params={"action": "read_refused"}, headers=_auditor())
    assert [entry["referral_id"] for entry in refused.json()["items"]][-2:] != []


def _auditor() -> dict[str, str]:
    from common.testing import bearer

    return bearer("auditor", org="Regiepunt Haaglanden", sub="sec")


async def test_every_bad_field_is_named_by_the_childs_place(intake: httpx.AsyncClient) -> None:
    body = group_body(3)
    body["referrals"][1]["client"]["bsn"] = "123456789"
    body["referrals"][2]["client"]["municipality_code"] = "GM0599"
    response = await submit_group(intake, body)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [
        "referrals[1].client.bsn",
        "referrals[2].client.municipality_code",
    ]
    body = group_body()
    body["referrals"][0]["care_type"] = "castle"
    response = await submit_group(intake, body)
    assert [e["field"] for e in response.json()["errors"]] == ["referrals[0].care_type"]
    for changes, field in (
        ({"keep_together": False}, "split"),
        ({"keep_together": False, "split": {**SPLIT, "code": "cheaper"}}, "split.code"),
        ({"split": SPLIT}, "keep_together"),
        ({"referrals": [sibling()]}, "referrals"),
        ({"referrals": [sibling() for _ in range(7)]}, "referrals"),
    ):
        response = await submit_group(intake, group_body(**changes))
        assert response.status_code == 422, changes
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_two_groups_racing_for_the_last_places_one_gets_all_the_other_waits(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity)
    first = await create_unit(capacity, provider_id, capacity=2)
    second = await create_unit(capacity, provider_id, capacity=1, name="Groep De Eik")
    answers = await asyncio.gather(*(submit_group(intake, group_body(3)) for _ in range(3)))
    groups = [answer.json() for answer in answers]
    assert sorted(group["status"] for group in groups) == ["proposed", "waiting", "waiting"]
    for group in groups:
        statuses = {r["status"] for r in group["referrals"]}
        assert statuses in ({"proposed"}, {"unmatched"})
    assert (await unit_state(capacity, first["id"]))["reserved"] == 2
    assert (await unit_state(capacity, second["id"]))["reserved"] == 1


async def test_siblings_stored_while_matching_is_down_are_matched_together_by_the_outbox(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _provider, roomy = await provider_with_unit(capacity, capacity=2)
    async with peer_replaced(intake_app, "matching"):
        group = await submitted_group(intake)
    assert group["status"] == "waiting"
    assert [r["status"] for r in group["referrals"]] == ["pending", "pending"]
    # The referrals' own outbox step leaves the group's request to the group's step.
    assert await process_outbox(intake_app) == 0
    clock.advance(timedelta(seconds=10))
    assert await process_group_outbox(intake_app) == 1
    matched = await read_group(intake, group["id"])
    assert matched["status"] == "proposed"
    assert proposed_units(matched) == [roomy["id"], roomy["id"]]
    assert await process_group_outbox(intake_app) == 0
