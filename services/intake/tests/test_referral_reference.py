"""A referral's readable reference (`2026-0042`): numbered per year at submission, unique also when
referrers submit at the same moment, and given to referrals stored before by migration 0015 in the
order they were received."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from intake_support import COORDINATOR, REFERRER, fresh_bsn, referral_body, submitted, with_client
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import ManualClock
from common.db import make_engine
from common.migrations import alembic_config, upgrade_to_head_async
from common.testing import create_database, drop_database
from intake.context import Context
from intake.db import referral_numbers, referrals
from intake.referrals.numbering import number_at_commit


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


async def test_submissions_racing_into_a_new_year_number_one_after_another(
    intake_app: FastAPI, intake: httpx.AsyncClient, clock: ManualClock
) -> None:
    """Twenty submissions at once, the first of a new year: on PostgreSQL their transactions truly
    overlap, race to create the year's row and then take their numbers as they commit."""
    clock.set(datetime(2027, 1, 1, 0, 5, tzinfo=UTC))
    bodies = [with_client(bsn=fresh_bsn()) for _ in range(20)]
    answers = await asyncio.gather(*(intake.post("/v1/referrals", json=body, headers=REFERRER) for body in bodies))
    assert [answer.status_code for answer in answers] == [201] * 20
    assert sorted(answer.json()["reference"] for answer in answers) == [f"2027-{n:04d}" for n in range(1, 21)]
    ctx = Context.of(intake_app)
    async with ctx.database.read() as session:
        last = await session.scalar(sa.select(referral_numbers.c.last_number).where(referral_numbers.c.year == 2027))
    assert last == 20


def _referral_row(referral_id: str, on: date) -> dict[str, Any]:
    """A stored referral as a submission writes it, with only what the table requires."""
    at = datetime(on.year, on.month, on.day, 9, 0, tzinfo=UTC)
    return {
        "id": referral_id,
        "status": "pending",
        "referrer_org": "Wijkteam",
        "referrer_sub": "referrer",
        "bsn": fresh_bsn(),
        "client_key": f"k1.{referral_id}",
        "birth_date": date(2018, 1, 1),
        "municipality_code": "GM0518",
        "care_type": "family_home",
        "target_group": "jo",
        "needs": [],
        "part_time": False,
        "excluded_unit_ids": [],
        "match_attempts": 1,
        "created_at": at,
        "updated_at": at,
    }


async def test_a_submission_takes_the_years_number_only_as_it_commits(intake_app: FastAPI) -> None:
    """The year's row is raised as the transaction commits: on PostgreSQL a submission still busy has
    not locked it, so another one meanwhile takes its number without waiting for it, and the busy one's
    number follows when it commits. A transaction that rolls back gives no number out."""
    ctx = Context.of(intake_app)
    today = date(2032, 5, 1)

    async def store(session: AsyncSession) -> str:
        referral_id = str(uuid.uuid4())
        await session.execute(sa.insert(referrals), _referral_row(referral_id, today))
        number_at_commit(session, referral_id, today)
        return referral_id

    with contextlib.suppress(LookupError):
        async with ctx.database.transaction() as session:
            await store(session)
            raise LookupError("rolled back")
    if ctx.database.engine.dialect.name == "sqlite":
        # One writer at a time: the two can only run one after the other.
        async with ctx.database.transaction() as session:
            first_id = await store(session)
        async with ctx.database.transaction() as session:
            second_id = await store(session)
    else:
        busy_stored, other_done = asyncio.Event(), asyncio.Event()

        async def busy() -> str:
            async with ctx.database.transaction() as session:
                referral_id = await store(session)
                busy_stored.set()
                await asyncio.wait_for(other_done.wait(), timeout=10)
            return referral_id

        async def other() -> str:
            await busy_stored.wait()
            async with ctx.database.transaction() as session:
                referral_id = await asyncio.wait_for(store(session), timeout=10)
            other_done.set()
            return referral_id

        second_id, first_id = await asyncio.gather(busy(), other())
    async with ctx.database.read() as session:
        numbered = dict((await session.execute(sa.select(referrals.c.id, referrals.c.reference))).tuples().all())
    assert (numbered[first_id], numbered[second_id]) == ("2032-0001", "2032-0002")
    assert sorted(ref for ref in numbered.values() if ref and ref.startswith("2032-")) == ["2032-0001", "2032-0002"]


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
