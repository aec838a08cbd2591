"""Idempotency-Key on POST /v1/referrals: a repeated request gets the first answer, nothing new."""

import asyncio
from datetime import timedelta

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import COORDINATOR, OTHER_REFERRER, provider_with_unit, referral_body, submit, with_client

from common.clock import ManualClock
from intake.db import idempotency_keys


async def test_same_key_and_body_answers_the_first_answer_and_creates_nothing(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=3)
    first = await submit(intake, key="verwijzing-42")
    again = await submit(intake, key="verwijzing-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = (await intake.get("/v1/referrals", headers=COORDINATOR)).json()["items"]
    assert [item["id"] for item in listed] == [first.json()["id"]]
    units = (await capacity.get("/v1/units", headers=COORDINATOR)).json()["items"]
    assert [u["reserved"] for u in units] == [1]


async def test_same_key_with_another_body_is_409(intake: httpx.AsyncClient) -> None:
    first = await submit(intake, key="verwijzing-43")
    assert first.status_code == 201
    other = await submit(intake, with_client(birth_date="2013-05-01"), key="verwijzing-43")
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")


async def test_keys_of_different_referrers_do_not_collide(intake: httpx.AsyncClient) -> None:
    first = await submit(intake, key="1")
    second = await submit(intake, referral_body(care_type="secure"), key="1", headers=OTHER_REFERRER)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]


async def test_without_a_key_every_post_creates_a_referral(intake: httpx.AsyncClient) -> None:
    first = await submit(intake)
    second = await submit(intake)
    assert first.json()["id"] != second.json()["id"]


async def _forget_the_answer(intake_app: FastAPI, key: str) -> None:
    """As it stands while the first request with this key is still being matched: no answer kept yet."""
    async with intake_app.state.database.transaction() as session:
        await session.execute(
            sa.update(idempotency_keys).where(idempotency_keys.c.key == key).values(status_code=None, response=None)
        )


async def test_repeat_while_the_first_request_runs_is_409_with_retry_after_not_the_state_of_the_moment(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await provider_with_unit(capacity)
    first = await submit(intake, key="verwijzing-44")
    assert first.status_code == 201
    await _forget_the_answer(intake_app, "verwijzing-44")

    again = await submit(intake, key="verwijzing-44")
    assert again.status_code == 409, again.text
    assert again.headers["content-type"].startswith("application/problem+json")
    assert again.headers["retry-after"] == "1"
    assert again.json()["status"] == 409

    # A first request that never kept its answer (its process died) is over once its lease ran out.
    clock.advance(timedelta(seconds=intake_app.state.settings.outbox_lease_seconds + 1))
    later = await submit(intake, key="verwijzing-44")
    assert later.status_code == 201
    assert later.json()["id"] == first.json()["id"]
    assert later.json()["status"] == "proposed"


async def test_concurrent_repeats_get_the_first_answer_or_409_never_another_one(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=3)
    answers = await asyncio.gather(*(submit(intake, key="verwijzing-45") for _ in range(4)))
    created = [answer for answer in answers if answer.status_code == 201]
    assert created, [answer.text for answer in answers]
    assert all(answer.status_code in (201, 409) for answer in answers)
    assert all(answer.headers["retry-after"] == "1" for answer in answers if answer.status_code == 409)
    assert {answer.json()["id"] for answer in created} == {created[0].json()["id"]}
    assert all(answer.json() == created[0].json() for answer in created)
    units = (await capacity.get("/v1/units", headers=COORDINATOR)).json()["items"]
    assert [u["reserved"] for u in units] == [1]
