"""Idempotency-Key answers hold the child's BSN: a key answers for idempotency_key_hours, then it is a
new request, and the workers delete the expired answers."""

from __future__ import annotations

from datetime import timedelta

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import provider_with_unit, submit, with_client

from common.clock import ManualClock
from intake import workers
from intake.db import idempotency_keys


async def _stored_keys(app: FastAPI) -> list[str]:
    async with app.state.database.engine.connect() as connection:
        return list(
            (await connection.scalars(sa.select(idempotency_keys.c.key).order_by(idempotency_keys.c.key))).all()
        )


async def test_a_key_answers_with_its_first_answer_until_it_expires(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await provider_with_unit(capacity, capacity=3)
    first = await submit(intake, key="verwijzing-7")
    clock.advance(timedelta(hours=23, minutes=59))
    again = await submit(intake, key="verwijzing-7")
    assert again.json()["id"] == first.json()["id"]
    clock.advance(timedelta(minutes=2))
    after = await submit(intake, key="verwijzing-7")
    assert after.status_code == 201
    assert after.json()["id"] != first.json()["id"]
    # Stored anew: from now on the key answers with the new referral.
    assert (await submit(intake, key="verwijzing-7")).json()["id"] == after.json()["id"]


async def test_an_expired_key_may_come_with_another_body(intake: httpx.AsyncClient, clock: ManualClock) -> None:
    first = await submit(intake, key="verwijzing-8")
    assert (await submit(intake, with_client(birth_date="2013-05-01"), key="verwijzing-8")).status_code == 409
    clock.advance(timedelta(hours=24, seconds=1))
    other = await submit(intake, with_client(birth_date="2013-05-01"), key="verwijzing-8")
    assert other.status_code == 201
    assert other.json()["id"] != first.json()["id"]


async def test_the_workers_delete_expired_keys_and_keep_the_others(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await submit(intake, key="oud")
    clock.advance(timedelta(hours=20))
    await submit(intake, key="nieuw")
    assert await _stored_keys(intake_app) == ["nieuw", "oud"]
    clock.advance(timedelta(hours=4, seconds=1))
    assert await workers.forget_expired_idempotency_keys(intake_app) == 1
    assert await _stored_keys(intake_app) == ["nieuw"]
    assert workers.forget_expired_idempotency_keys in workers.STEPS


async def test_the_lifetime_of_a_key_is_a_setting(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    settings = intake_app.state.settings
    kept = settings.idempotency_key_hours
    assert kept == 24
    settings.idempotency_key_hours = 0.5
    try:
        await submit(intake, key="kort")
        clock.advance(timedelta(minutes=31))
        assert await workers.forget_expired_idempotency_keys(intake_app) == 1
    finally:
        settings.idempotency_key_hours = kept
