"""A referral's readable reference (`2026-0042`): numbered per year at submission, unique also when
referrers submit at the same moment, and given to referrals stored before by migration 0015 in the
order they were received."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from intake_support import COORDINATOR, REFERRER, fresh_bsn, referral_body, submitted, with_client

from common.clock import ManualClock
from common.db import make_engine
from common.migrations import alembic_config, upgrade_to_head_async
from common.testing import create_database, drop_database
from intake.context import Context
from intake.db import referral_numbers, referrals
from intake.referrals.numbering import next_reference


async def test_references_count_up_per_year_and_begin_again_in_a_new_year(
    intake: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = await submitted(intake, with_client(bsn=fresh_bsn()))
    second = await submitted(intake, with_client(bsn=fresh_bsn()))
    assert (first["reference"], second["reference"]) == ("2026-0001", "2026-0002")
    clock.set(datetime(2027, 1, 1, 0, 5, tzinfo=UTC))
    third = await submitted(intake, with_client(bsn=fresh_bsn()))
    assert third["reference"] == "2027-0001"
    # The reference is on every read, and the siblings of a group get one each.
    read = (await intake.get(f"/v1/referrals/{first['id']}", headers=COORDINATOR)).json()
    assert read["reference"] == "2026-0001"
    group = await intake.post(
        "/v1/referral-groups",
        json={"referrals": [with_client(bsn=fresh_bsn()), with_client(bsn=fresh_bsn())], "keep_together": True},
        headers=REFERRER,
    )
    assert group.status_code == 201, group.text
    assert sorted(child["reference"] for child in group.json()["referrals"]) == ["2027-0002", "2027-0003"]


async def test_referrals_submitted_at_once_get_distinct_references(intake: httpx.AsyncClient) -> None:
    bodies = [with_client(bsn=fresh_bsn()) for _ in range(12)]
    answers = await asyncio.gather(*(intake.post("/v1/referrals", json=body, headers=REFERRER) for body in bodies))
    assert [answer.status_code for answer in answers] == [201] * 12
    references = sorted(answer.json()["reference"] for answer in answers)
    assert references == [f"2026-{n:04d}" for n in range(1, 13)]


async def test_numbers_given_out_in_racing_transactions_never_repeat(
    intake_app: FastAPI, intake: httpx.AsyncClient
) -> None:
    """Twenty transactions take a number at once, each on its own connection (on PostgreSQL they
    truly overlap and wait on the year's row); the first of a new year races to create it."""
    ctx = Context.of(intake_app)

    async def take() -> str:
        async with ctx.database.transaction() as session:
            reference = await next_reference(session, date(2031, 3, 1))
            await asyncio.sleep(0.01)  # hold the number while the others ask
            return reference

    taken = await asyncio.gather(*(take() for _ in range(20)))
    assert sorted(taken) == [f"2031-{n:04d}" for n in range(1, 21)]


async def test_a_number_is_not_held_until_the_submission_commits(intake_app: FastAPI) -> None:
    """A submission that took its number and is still busy holds nothing another one waits for: on
    PostgreSQL the second takes the next number at once (SQLite has one writer: there they run in turn)."""
    ctx = Context.of(intake_app)
    on = date(2032, 5, 1)
    busy_took, other_took = asyncio.Event(), asyncio.Event()
    one_writer = ctx.database.engine.dialect.name == "sqlite"

    async def busy() -> str:
        async with ctx.database.transaction() as session:
            reference = await next_reference(session, on)
            busy_took.set()
            if not one_writer:
                await asyncio.wait_for(other_took.wait(), timeout=10)
        return reference

    async def other() -> str:
        await busy_took.wait()
        async with ctx.database.transaction() as session:
            reference = await asyncio.wait_for(next_reference(session, on), timeout=10)
        other_took.set()
        return reference

    assert await asyncio.gather(busy(), other()) == ["2032-0001", "2032-0002"]


async def test_numbers_continue_from_those_the_year_gave_out_before(intake_app: FastAPI) -> None:
    """A year whose row counted 41 numbers (given out before, or on SQLite) goes on at 42; a number
    taken in a transaction that rolls back is not given again on PostgreSQL, and given again on SQLite."""
    ctx = Context.of(intake_app)
    async with ctx.database.transaction() as session:
        await session.execute(sa.insert(referral_numbers), {"year": 2033, "last_number": 41})
    on = date(2033, 2, 1)
    async with ctx.database.transaction() as session:
        assert await next_reference(session, on) == "2033-0042"
    with contextlib.suppress(LookupError):
        async with ctx.database.transaction() as session:
            assert await next_reference(session, on) == "2033-0043"
            raise LookupError("the submission failed")
    async with ctx.database.transaction() as session:
        after = await next_reference(session, on)
    assert after == ("2033-0043" if ctx.database.engine.dialect.name == "sqlite" else "2033-0044")


async def test_the_migration_numbers_stored_referrals_in_the_order_they_were_received(tmp_path: Path) -> None:
    from intake.main import MIGRATIONS_DIR

    url, pg_name = await create_database("intake_references", tmp_path)
    engine = make_engine(url)
    received = [
        datetime(2025, 12, 31, 23, 0, tzinfo=UTC),
        datetime(2026, 1, 2, 9, 0, tzinfo=UTC),
        datetime(2025, 3, 1, 9, 0, tzinfo=UTC),
        datetime(2026, 1, 1, 9, 0, tzinfo=UTC),
    ]
    ids = [str(uuid.uuid4()) for _ in received]
    body = referral_body()
    try:
        await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "0014")
        columns = [c for c in referrals.c if c.name != "reference"]
        before = sa.table("referrals", *(sa.column(c.name, c.type) for c in columns))
        rows = [
            {
                "id": referral_id,
                "status": "unmatched",
                "referrer_org": "Wijkteam Delft",
                "referrer_sub": "anna",
                "bsn": body["client"]["bsn"],
                "client_key": "k",
                "birth_date": date(2012, 5, 1),
                "municipality_code": "GM0503",
                "care_type": "residential",
                "target_group": "jo",
                "needs": [],
                "part_time": False,
                "excluded_unit_ids": [],
                "match_attempts": 1,
                "created_at": at,
                "updated_at": at,
            }
            for referral_id, at in zip(ids, received, strict=True)
        ]
        async with engine.begin() as connection:
            await connection.execute(sa.insert(before), rows)
        await upgrade_to_head_async(MIGRATIONS_DIR, url)
        async with engine.connect() as connection:
            found = dict((await connection.execute(sa.select(referrals.c.id, referrals.c.reference))).all())
            numbers = dict((await connection.execute(sa.select(referral_numbers))).all())
    finally:
        await engine.dispose()
        await drop_database(pg_name)
    assert [found[referral_id] for referral_id in ids] == ["2025-0002", "2026-0002", "2025-0001", "2026-0001"]
    assert numbers == {2025: 2, 2026: 2}
