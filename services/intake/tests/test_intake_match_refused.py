"""Needs are codes within one limit that intake and matching share, and a match request that matching
refuses ends the child unmatched with a signal instead of being retried as if matching were down."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import COORDINATOR, SERVICE, peer_replaced, provider_with_unit, referral_body, submit, submitted
from pydantic import TypeAdapter, ValidationError

from contracts.matching import DecisionRequest
from contracts.vocabulary import MAX_NEEDS, Needs, load_vocabulary
from intake.db import match_requests, referrals
from intake.schemas import ReferralIn
from intake.workers import process_outbox

GOOD_NEEDS = ["trauma", "eating_disorder", "self-harm", "ab"]
BAD_NEEDS = ["Trauma", "bsn 999990615", "trauma2", "a", "x" * 61, " trauma", "trauma\n", "", "traumá"]


@pytest.mark.parametrize("need", BAD_NEEDS)
async def test_a_need_that_is_not_a_code_is_refused_naming_its_index(intake: httpx.AsyncClient, need: str) -> None:
    response = await submit(intake, referral_body(needs=["trauma", "autism", "attachment", need]))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == ["needs.3"]


async def test_more_needs_than_the_limit_are_refused(intake: httpx.AsyncClient) -> None:
    known = [term.code for term in load_vocabulary().needs]
    codes = (known * (MAX_NEEDS // len(known) + 1))[: MAX_NEEDS + 1]
    response = await submit(intake, referral_body(needs=codes))
    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == ["needs"]
    accepted = await submit(intake, referral_body(needs=codes[:MAX_NEEDS]))
    assert accepted.status_code == 201, accepted.text


def test_intake_and_matching_accept_exactly_the_same_needs() -> None:
    """One definition: whatever intake stores, matching takes, and the other way round."""
    for needs in ([*GOOD_NEEDS], *([need] for need in BAD_NEEDS), ["trauma"] * (MAX_NEEDS + 1)):
        verdicts = []
        for validate in (_intake_takes, _matching_takes, _shared_takes):
            verdicts.append(validate(needs))
        assert len(set(verdicts)) == 1, (needs, verdicts)
    assert _intake_takes(GOOD_NEEDS)


def _intake_takes(needs: list[str]) -> bool:
    return _valid(ReferralIn, referral_body(needs=needs))


def _matching_takes(needs: list[str]) -> bool:
    body: dict[str, Any] = {
        "request_id": "r:attempt-1",
        "referral_id": "r",
        "client_key": "k",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
        "needs": needs,
        "hold_until": "2026-11-09T09:00:00+00:00",
    }
    return _valid(DecisionRequest, body)


def _shared_takes(needs: list[str]) -> bool:
    try:
        TypeAdapter(Needs).validate_python(needs)
    except ValidationError:
        return False
    return True


def _valid(model: Any, body: dict[str, Any]) -> bool:
    try:
        model.model_validate(body)
    except ValidationError:
        return False
    return True


async def test_a_request_matching_refuses_ends_the_child_unmatched_with_a_signal_not_retried(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity)
    async with peer_replaced(intake_app, "matching"):
        pending = await submitted(intake)
    assert pending["status"] == "pending"
    # A referral stored before needs were codes: matching refuses to take it.
    async with intake_app.state.database.transaction() as session:
        await session.execute(
            sa.update(referrals).where(referrals.c.id == pending["id"]).values(needs=["Trauma na huiselijk geweld"])
        )

    assert await process_outbox(intake_app) == 1
    refused = (await intake.get(f"/v1/referrals/{pending['id']}", headers=COORDINATOR)).json()
    assert refused["status"] == "unmatched"
    assert [signal["type"] for signal in refused["signals"]] == ["unmatched"]
    async with intake_app.state.database.read() as session:
        request = (
            (await session.execute(sa.select(match_requests).where(match_requests.c.referral_id == pending["id"])))
            .mappings()
            .one()
        )
        reasons = await session.scalar(sa.select(referrals.c.unmatched_reasons).where(referrals.c.id == pending["id"]))
    assert request["done_at"] is not None
    assert "422" in request["last_error"]
    assert "Trauma" not in request["last_error"]
    assert reasons == ["request_refused"]
    signals = (await intake.get("/v1/signals", params={"type": "unmatched"}, headers=COORDINATOR)).json()["items"]
    assert [signal["detail"]["reasons"] for signal in signals] == [["request_refused"]]
    # Nothing is left to retry.
    assert await process_outbox(intake_app) == 0


async def test_matching_refuses_a_need_that_is_not_a_code(matching: httpx.AsyncClient) -> None:
    body: dict[str, Any] = {
        "request_id": "r:attempt-1",
        "referral_id": "r",
        "client_key": "k",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
        "needs": ["trauma", "bsn 999990615"],
        "hold_until": "2026-11-09T09:00:00+00:00",
    }
    response = await matching.post("/v1/decisions", json=body, headers=SERVICE)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["needs.1"]
