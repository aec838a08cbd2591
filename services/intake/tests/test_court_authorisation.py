"""Closed youth care needs a court: a secure referral carries the court's authorisation, and a placement
whose authorisation is about to lapse raises `authorisation_expiring`, once per placement."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_VALID_BSN,
    VALID_BSN,
    provider_headers,
    provider_with_unit,
    referral_body,
    submit,
    submitted,
)

from common.clock import ManualClock
from intake import workers
from intake.signals.rules import authorisation_expiring

TODAY = date(2026, 11, 2)  # the tests' clock


def authorisation(*, decided: date = TODAY - timedelta(days=30), valid: date = TODAY + timedelta(days=60)) -> Any:
    return {"kind": "machtiging", "decided_on": decided.isoformat(), "valid_until": valid.isoformat()}


async def test_a_secure_referral_without_the_courts_authorisation_is_refused(intake: httpx.AsyncClient) -> None:
    response = await submit(intake, referral_body(care_type="secure", court_authorisation=None))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["court_authorisation"]


async def test_a_secure_referral_with_it_is_taken_and_shows_it(intake: httpx.AsyncClient) -> None:
    sent = {"kind": "spoedmachtiging", "decided_on": "2026-11-01", "valid_until": "2026-11-29"}
    referral = await submitted(intake, referral_body(care_type="secure", court_authorisation=sent))

    assert referral["court_authorisation"] == sent
    read = await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)
    assert read.json()["court_authorisation"] == sent


def court_order(
    kind: str = "machtiging", decided_on: str = "2026-10-01", valid_until: str | None = "2027-04-01"
) -> Any:
    given = {"kind": kind, "decided_on": decided_on, "valid_until": valid_until}
    return {key: value for key, value in given.items() if value is not None}


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        (court_order(kind="beschikking"), "court_authorisation.kind"),
        (court_order(valid_until="2026-10-01"), "court_authorisation.valid_until"),  # not after the decision
        (court_order(valid_until="2026-09-01"), "court_authorisation.valid_until"),  # before the decision
        (court_order(decided_on="2026-12-01"), "court_authorisation.decided_on"),  # not decided yet
        (court_order(decided_on="2026-05-01", valid_until="2026-11-01"), "court_authorisation.valid_until"),  # lapsed
        (court_order(valid_until=None), "court_authorisation.valid_until"),
        (court_order(decided_on="gisteren"), "court_authorisation.decided_on"),
    ],
)
async def test_an_inconsistent_authorisation_is_refused_naming_the_field(
    intake: httpx.AsyncClient, sent: dict[str, str], field: str
) -> None:
    response = await submit(intake, referral_body(care_type="secure", court_authorisation=sent))

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def placed_in_secure_care(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, valid_until: date, bsn: str = VALID_BSN
) -> dict[str, Any]:
    await provider_with_unit(capacity, care_type="secure", capacity=2)
    body = referral_body(care_type="secure", court_authorisation=authorisation(valid=valid_until))
    body["client"]["bsn"] = bsn
    referral = await submitted(intake, body)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": TODAY.isoformat()},
        headers=provider_headers(referral["proposal"]["provider_id"]),
    )
    assert accepted.status_code == 200, accepted.text
    return referral


async def expiring(intake: httpx.AsyncClient) -> list[dict[str, Any]]:
    response = await intake.get("/v1/signals", params={"type": "authorisation_expiring"}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_placement_whose_authorisation_lapses_within_14_days_is_signalled_once(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    valid_until = TODAY + timedelta(days=30)
    referral = await placed_in_secure_care(intake, capacity, valid_until)
    assert await workers.evaluate_authorisations(intake_app) == 0
    assert await expiring(intake) == []

    clock.advance(timedelta(days=15))  # 15 days left
    assert await workers.evaluate_authorisations(intake_app) == 0
    clock.advance(timedelta(days=1))  # 14 days left
    assert await workers.evaluate_authorisations(intake_app) == 1

    [signal] = await expiring(intake)
    assert signal["referral_id"] == referral["id"]
    assert signal["detail"] == {
        "provider_id": referral["proposal"]["provider_id"],
        "kind": "machtiging",
        "valid_until": valid_until.isoformat(),
        "days_left": 14,
    }
    # Once per placement: not again on the next rounds, nor after a coordinator acknowledged it.
    assert await workers.evaluate_authorisations(intake_app) == 0
    acknowledged = await intake.post(
        f"/v1/signals/{signal['id']}/acknowledge",
        json={"analysis": "Nieuwe machtiging is bij de kinderrechter aangevraagd."},
        headers=COORDINATOR,
    )
    assert acknowledged.status_code == 200, acknowledged.text
    clock.advance(timedelta(days=7))
    assert await workers.evaluate_authorisations(intake_app) == 0
    assert [s["status"] for s in await expiring(intake)] == ["acknowledged"]


async def test_the_signal_list_is_up_to_date_without_the_workers(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral = await placed_in_secure_care(intake, capacity, TODAY + timedelta(days=3))
    later = await placed_in_secure_care(intake, capacity, TODAY + timedelta(days=90), bsn=OTHER_VALID_BSN)

    listed = await expiring(intake)

    assert [s["referral_id"] for s in listed] == [referral["id"]]
    assert later["id"] not in {s["referral_id"] for s in listed}


async def test_a_waiting_or_ended_secure_referral_is_not_signalled(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    waiting = await submitted(intake, referral_body(care_type="secure", court_authorisation=authorisation(valid=TODAY)))
    assert waiting["status"] == "unmatched"
    ended = await placed_in_secure_care(intake, capacity, TODAY + timedelta(days=5), bsn=OTHER_VALID_BSN)
    done = await intake.post(
        f"/v1/referrals/{ended['id']}/end",
        json={"end_date": TODAY.isoformat(), "reason": "returned_home"},
        headers=COORDINATOR,
    )
    assert done.status_code == 200, done.text

    assert await workers.evaluate_authorisations(intake_app) == 0
    assert await expiring(intake) == []


@pytest.mark.parametrize("days_left", [-3, 0, 13, 14, 15, 40])
async def test_the_sweep_holds_to_the_rule(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, days_left: int
) -> None:
    valid_until = TODAY + timedelta(days=max(days_left, 1))
    await placed_in_secure_care(intake, capacity, valid_until)
    clock: ManualClock = intake_app.state.clock
    clock.advance(timedelta(days=max(days_left, 1) - days_left))

    opened = await workers.evaluate_authorisations(intake_app)

    assert opened == int(authorisation_expiring(valid_until, clock.now().date(), warning_days=14))


def test_the_rule_counts_the_days_left() -> None:
    assert authorisation_expiring(date(2026, 11, 16), date(2026, 11, 2), 14)
    assert not authorisation_expiring(date(2026, 11, 17), date(2026, 11, 2), 14)
    assert authorisation_expiring(date(2026, 11, 1), date(2026, 11, 2), 14)  # lapsed already
    assert authorisation_expiring(date(2026, 11, 5), date(2026, 11, 2), 3)
