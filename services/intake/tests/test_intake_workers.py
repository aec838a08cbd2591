"""The background steps, called one at a time: the outbox retry, proposal expiry, the waiting list."""

from datetime import datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_VALID_BSN,
    peer_replaced,
    provider_headers,
    provider_with_unit,
    referral_body,
    submit,
    submitted,
    unit_state,
    with_client,
)

from common.clock import ManualClock
from intake.db import match_requests
from intake.workers import expire_proposals, process_outbox, rematch_waiting


async def test_referral_is_stored_pending_when_matching_is_down_and_matched_by_the_outbox(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    _provider_id, unit = await provider_with_unit(capacity)
    async with peer_replaced(intake_app, "matching"):
        response = await submit(intake)
    assert response.status_code == 201, response.text
    pending = response.json()
    assert pending["status"] == "pending"
    assert pending["proposal"] is None
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0

    assert await process_outbox(intake_app) == 1
    matched = (await intake.get(f"/v1/referrals/{pending['id']}", headers=COORDINATOR)).json()
    assert matched["status"] == "proposed"
    assert matched["proposal"]["unit_id"] == unit["id"]
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1
    # Nothing is left to do, and running again matches nobody twice.
    assert await process_outbox(intake_app) == 0
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1


async def test_outbox_waits_before_trying_a_failed_request_again(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await provider_with_unit(capacity)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
        # The worker's own failed attempt pushes the next one back.
        assert await process_outbox(intake_app) == 0
    assert await process_outbox(intake_app) == 0
    clock.advance(timedelta(minutes=1))
    assert await process_outbox(intake_app) == 1
    matched = (await intake.get(f"/v1/referrals/{pending['id']}", headers=COORDINATOR)).json()
    assert matched["status"] == "proposed"


async def test_withdrawn_pending_referral_is_not_matched_later(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    _provider_id, unit = await provider_with_unit(capacity)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
    await intake.post(f"/v1/referrals/{pending['id']}/withdraw", headers=COORDINATOR)
    assert await process_outbox(intake_app) == 0
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 0


async def test_expired_proposal_releases_the_place_and_matches_again_without_that_unit(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    _first_provider, first_unit = await provider_with_unit(capacity, municipality_code="GM0518")
    _second_provider, second_unit = await provider_with_unit(capacity, municipality_code="GM0503")
    referral = await submitted(intake)
    assert referral["proposal"]["unit_id"] == first_unit["id"]

    clock.advance(timedelta(hours=71))
    assert await expire_proposals(intake_app) == 0
    clock.advance(timedelta(hours=1))
    assert await expire_proposals(intake_app) == 1

    again = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert again["status"] == "proposed"
    assert again["proposal"]["unit_id"] == second_unit["id"]
    assert again["proposal"]["expires_at"] == "2026-11-08T09:00:00Z"
    assert (await unit_state(capacity, first_unit["id"]))["reserved"] == 0
    assert (await unit_state(capacity, second_unit["id"]))["reserved"] == 1
    assert await expire_proposals(intake_app) == 0


async def test_accepting_an_expired_proposal_is_409(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    clock.advance(timedelta(hours=73))
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-05"},
        headers=provider_headers(provider_id),
    )
    assert response.status_code == 409


async def test_waiting_children_are_matched_again_when_a_place_comes_free_longest_waiting_first(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    older = await submitted(intake)
    clock.advance(timedelta(hours=1))
    newer = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    assert older["status"] == newer["status"] == "unmatched"
    # The first run learns the epoch; with no free place anywhere nobody is asked about again.
    assert await rematch_waiting(intake_app) == 0
    assert await rematch_waiting(intake_app) == 0

    # One place came free: the longest-waiting child it admits is asked about, the other is not.
    provider_id, unit = await provider_with_unit(capacity, capacity=1)
    assert await rematch_waiting(intake_app) == 1
    got = (await intake.get(f"/v1/referrals/{older['id']}", headers=COORDINATOR)).json()
    still = (await intake.get(f"/v1/referrals/{newer['id']}", headers=COORDINATOR)).json()
    assert got["status"] == "proposed"
    assert got["proposal"]["unit_id"] == unit["id"]
    assert still["status"] == "unmatched"
    decisions = await intake.get(f"/v1/referrals/{newer['id']}/decision", headers=COORDINATOR)
    assert len(decisions.json()["items"]) == 1
    # The provider now sees the child it was proposed.
    assert (await intake.get(f"/v1/referrals/{older['id']}", headers=provider_headers(provider_id))).status_code == 200


class TickingClock:
    """Moves one second on every reading, so that the order of steps shows in the stored times."""

    def __init__(self, start: datetime) -> None:
        self._now = start

    def now(self) -> datetime:
        self._now += timedelta(seconds=1)
        return self._now


async def test_waiting_crisis_children_go_first(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    ordinary = await submitted(intake)
    clock.advance(timedelta(hours=1))
    crisis_body = referral_body(care_type="crisis")
    crisis_body["client"] = with_client(bsn=OTHER_VALID_BSN)["client"]
    crisis = await submitted(intake, crisis_body)
    assert ordinary["status"] == crisis["status"] == "unmatched"
    await provider_with_unit(capacity)
    await provider_with_unit(capacity, role="strategic", care_type="crisis")

    intake_app.state.clock = TickingClock(clock.now())
    assert await rematch_waiting(intake_app) == 2
    intake_app.state.clock = clock

    proposed_at = {}
    for referral in (ordinary, crisis):
        log = (await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR)).json()["items"]
        [proposed_at[referral["id"]]] = [entry["at"] for entry in log if entry["action"] == "propose"]
    assert proposed_at[crisis["id"]] < proposed_at[ordinary["id"]]


async def test_waiting_children_are_asked_about_again_only_for_a_care_type_with_a_free_place(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    residential = await submitted(intake)
    crisis_body = referral_body(care_type="crisis")
    crisis_body["client"] = with_client(bsn=OTHER_VALID_BSN)["client"]
    crisis = await submitted(intake, crisis_body)
    assert residential["status"] == crisis["status"] == "unmatched"

    await provider_with_unit(capacity, capacity=1)
    assert await rematch_waiting(intake_app) == 1

    async def decisions(referral_id: str) -> int:
        response = await intake.get(f"/v1/referrals/{referral_id}/decision", headers=COORDINATOR)
        return len(response.json()["items"])

    assert await decisions(residential["id"]) == 2
    assert await decisions(crisis["id"]) == 1
    got = (await intake.get(f"/v1/referrals/{residential['id']}", headers=COORDINATOR)).json()
    assert got["status"] == "proposed"


async def test_waiting_children_are_asked_about_again_only_when_a_free_place_admits_them(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    async def child(bsn: str, birth_date: str, target_group: str, ground: str | None = None) -> dict[str, Any]:
        body = referral_body(target_group=target_group)
        body["client"] = {**body["client"], "bsn": bsn, "birth_date": birth_date}
        if ground:
            body["out_of_region"] = {"criterion": ground, "justification": "Dreiging vanuit het netwerk in de regio."}
        return await submitted(intake, body)

    fits = await child("100000009", "2012-05-01", "jo")
    too_young = await child("100000010", "2020-01-01", "jo")
    no_free_group = await child("100000022", "2012-05-01", "lvb")
    only_outside = await child("100000034", "2012-05-01", "ggz")
    may_leave = await child("100000046", "2012-05-01", "ggz", "safety")
    assert await rematch_waiting(intake_app) == 0  # no place anywhere yet

    await provider_with_unit(capacity, target_groups=["jo"], capacity=2)
    await provider_with_unit(capacity, target_groups=["ggz"], municipality_code="GM0599")
    assert await rematch_waiting(intake_app) == 2

    async def decisions(referral: dict[str, Any]) -> int:
        response = await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=COORDINATOR)
        return len(response.json()["items"])

    assert [await decisions(r) for r in (fits, too_young, no_free_group, only_outside, may_leave)] == [2, 1, 1, 1, 2]
    for referral in (fits, may_leave):
        got = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
        assert got["status"] == "proposed"


async def test_a_child_refused_while_a_place_was_free_is_not_asked_again_until_a_place_changes(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    ground = {"criterion": "expertise", "justification": "Traumabehandeling is in de regio niet beschikbaar."}
    waiting = await submitted(intake, referral_body(out_of_region=ground))
    assert waiting["status"] == "unmatched"
    clock.advance(timedelta(minutes=1))
    # Admits the child by the hard rules, but outside the region and without the expertise it needs.
    await provider_with_unit(capacity, municipality_code="GM0599", specialisms=[])
    clock.advance(timedelta(minutes=1))
    assert await rematch_waiting(intake_app) == 1

    # Other places came free, of kinds that do not admit the child (another care type; part-time care
    # only, which the child did not ask for), and the place outside was already free when the child was
    # refused: matching is not asked again.
    clock.advance(timedelta(minutes=1))
    await provider_with_unit(capacity, care_type="crisis")
    await provider_with_unit(capacity, part_time=True)
    assert await rematch_waiting(intake_app) == 0

    clock.advance(timedelta(minutes=1))
    _, unit = await provider_with_unit(capacity)
    assert await rematch_waiting(intake_app) == 1
    got = (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()
    assert got["status"] == "proposed" and got["proposal"]["unit_id"] == unit["id"]


async def test_a_waiting_child_without_any_match_request_counts_as_never_asked(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    waiting = await submitted(intake)
    # As a referral loaded by other means than the API may stand: unmatched, with no request on record.
    async with intake_app.state.database.transaction() as session:
        await session.execute(sa.delete(match_requests).where(match_requests.c.referral_id == waiting["id"]))

    await provider_with_unit(capacity)
    assert await rematch_waiting(intake_app) == 1
    got = (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()
    assert got["status"] == "proposed"
