"""What each stay stores from the child's other stays (intake.indicators.stays), and the per-day totals of the
indicators (intake.indicators.days), stay right through the real API as referrals arrive and stays start,
end, are extended or never begin; migrations 0006 and 0019 fill them the same way from the stays there
are."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, date, datetime
from importlib import util
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    create_unit,
    provider_headers,
    referral_body,
    submitted,
)
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import ManualClock
from intake.db import referrals
from intake.indicators import days, stays
from intake.indicators.stays import FAR_FUTURE, Stay, StayContext, stay_contexts

CHILD, OTHER_CHILD = "100000009", "100000010"
VERSIONS = Path(__file__).resolve().parents[1] / "intake" / "migrations" / "versions"
MIGRATION = VERSIONS / "0006_stay_context.py"
DAYS_MIGRATION = VERSIONS / "0019_indicator_days.py"


def migration_module(path: Path) -> Any:
    spec = util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    migration = util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def day(text: str) -> date:
    return date.fromisoformat(text)


# --- the derivation itself ------------------------------------------------------------------------


def test_a_stay_sees_the_latest_end_of_the_stays_begun_before_it() -> None:
    contexts = stay_contexts(
        [
            Stay("b", "residential", day("2026-03-01"), day("2026-04-01")),
            Stay("a", "foster_care", day("2026-01-01"), day("2026-06-01")),
            Stay("c", "crisis", day("2026-05-01"), None),
            Stay("d", "family_home", day("2026-07-01"), None),
        ]
    )
    assert contexts["a"].earlier_stays_end is None
    assert contexts["b"].earlier_stays_end == day("2026-06-01")
    assert contexts["c"].earlier_stays_end == day("2026-06-01")
    # A stay still running reaches every later one.
    assert contexts["d"].earlier_stays_end == FAR_FUTURE


def test_stays_begun_the_same_day_are_ordered_by_id() -> None:
    contexts = stay_contexts(
        [Stay("y", "crisis", day("2026-02-01"), None), Stay("x", "residential", day("2026-02-01"), day("2026-02-10"))]
    )
    assert contexts == {
        "x": StayContext(earlier_stays_end=None, next_residential_start=None),
        "y": StayContext(earlier_stays_end=day("2026-02-10"), next_residential_start=None),
    }


def test_the_next_residential_start_is_the_first_group_stay_begun_later() -> None:
    contexts = stay_contexts(
        [
            Stay("foster", "foster_care", day("2026-01-01"), day("2026-03-01")),
            Stay("clinic", "clinical", day("2026-05-01"), None),
            Stay("group", "residential", day("2026-02-15"), day("2026-04-01")),
            Stay("home", "family_home", day("2026-02-01"), None),
        ]
    )
    assert contexts["foster"].next_residential_start == day("2026-02-15")
    assert contexts["home"].next_residential_start == day("2026-02-15")
    assert contexts["group"].next_residential_start == day("2026-05-01")
    assert contexts["clinic"].next_residential_start is None


# --- through the API ------------------------------------------------------------------------------


def at(moment: str) -> datetime:
    return datetime.fromisoformat(moment).replace(hour=9, tzinfo=UTC)


async def stored(app: FastAPI) -> dict[str, tuple[date | None, date | None]]:
    r = referrals.c
    async with app.state.database.engine.connect() as connection:
        rows = (await connection.execute(sa.select(r.id, r.earlier_stays_end, r.next_residential_start))).all()
    return {row.id: (row.earlier_stays_end, row.next_residential_start) for row in rows}


async def totals_agree(app: FastAPI) -> dict[days.Key, days.Amount]:
    """The per-day totals kept so far equal those worked out again from every referral, in Python and by
    migration 0019's statements (run in a transaction that is rolled back); they are returned."""
    async with app.state.database.read() as session:
        kept = await days.kept(session)
        assert kept == await days.recomputed(session)
    async with app.state.database.engine.connect() as connection:
        transaction = await connection.begin()
        for statement in migration_module(DAYS_MIGRATION).fill_statements(connection.dialect.name):
            await connection.execute(sa.text(statement))
        filled = await days.kept(AsyncSession(bind=connection))
        await transaction.rollback()
    assert filled == kept
    return kept


class Child:
    def __init__(self, intake: httpx.AsyncClient, clock: ManualClock, bsn: str, birth_date: str = "2012-05-01") -> None:
        self.intake = intake
        self.clock = clock
        self.bsn = bsn
        self.birth_date = birth_date

    async def refer(self, when: str, care_type: str, **fields: Any) -> dict[str, Any]:
        self.clock.set(at(when))
        body = referral_body(care_type=care_type, **fields)
        body["client"] = {**body["client"], "bsn": self.bsn, "birth_date": self.birth_date}
        referral = await submitted(self.intake, body)
        assert referral["status"] == "proposed", referral
        return referral

    async def accept(self, when: str, referral: dict[str, Any]) -> None:
        self.clock.set(at(when))
        response = await self.intake.post(
            f"/v1/referrals/{referral['id']}/accept",
            json={"start_date": when},
            headers=provider_headers(referral["proposal"]["provider_id"]),
        )
        assert response.status_code == 200, response.text

    async def end(self, when: str, referral: dict[str, Any]) -> None:
        self.clock.set(at(when))
        response = await self.intake.post(
            f"/v1/referrals/{referral['id']}/end",
            json={"end_date": when, "reason": "onward_placement"},
            headers=COORDINATOR,
        )
        assert response.status_code == 200, response.text


async def region(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="strategic")
    for care_type in ("foster_care", "residential", "crisis"):
        await create_unit(capacity, provider, name=care_type, care_type=care_type, capacity=3, age_min=0)


async def test_the_context_follows_each_stay_change(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await region(capacity)
    child = Child(intake, clock, CHILD)
    foster = await child.refer("2026-09-05", "foster_care")
    await child.accept("2026-09-07", foster)
    assert (await stored(intake_app))[foster["id"]] == (None, None)
    await totals_agree(intake_app)

    # A referral withdrawn before it began is no stay: it changes nothing.
    withdrawn = await child.refer("2026-09-10", "residential")
    response = await intake.post(f"/v1/referrals/{withdrawn['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 200, response.text
    assert (await stored(intake_app))[withdrawn["id"]] == (None, None)
    assert (await stored(intake_app))[foster["id"]] == (None, None)

    # Residential care begins while foster care still runs: it overlaps, and follows the foster stay.
    group = await child.refer("2026-10-03", "residential")
    await child.accept("2026-10-05", group)
    now = await stored(intake_app)
    assert now[foster["id"]] == (None, day("2026-10-05"))
    assert now[group["id"]] == (FAR_FUTURE, None)

    # The foster stay ends: the residential stay's earlier stays now end that day.
    await child.end("2026-10-06", foster)
    now = await stored(intake_app)
    assert now[foster["id"]] == (None, day("2026-10-05"))
    assert now[group["id"]] == (day("2026-10-06"), None)
    await totals_agree(intake_app)

    # A crisis stay on top of the running residential one, then extended: an extension is no stay change.
    crisis = await child.refer("2026-10-20", "crisis")
    await child.accept("2026-10-20", crisis)
    clock.set(at("2026-11-10"))
    response = await intake.post(
        f"/v1/referrals/{crisis['id']}/extend-crisis",
        json={"days": 14, "reason": "Wacht op plek in gezinshuis."},
        headers=COORDINATOR,
    )
    assert response.status_code == 200, response.text
    now = await stored(intake_app)
    assert now[crisis["id"]] == (FAR_FUTURE, None)

    # Ending the residential stay moves the crisis stay's earlier end back from "still running".
    await child.end("2026-11-12", group)
    now = await stored(intake_app)
    assert now[crisis["id"]] == (day("2026-11-12"), None)
    assert now[foster["id"]] == (None, day("2026-10-05"))
    totals = await totals_agree(intake_app)
    # The foster stay ended on 6 October, followed by residential care begun the day before.
    assert totals[(days.FOLLOW_ON, day("2026-10-06"), -1, 0)] == (1, 0)
    assert totals[(days.ENDED, day("2026-10-06"), 1, 0)] == (1, 29)


async def test_the_migration_fills_what_the_stay_changes_store(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await region(capacity)
    child, other = Child(intake, clock, CHILD), Child(intake, clock, OTHER_CHILD)
    first = await child.refer("2026-09-01", "foster_care")
    await child.accept("2026-09-01", first)
    second = await child.refer("2026-09-05", "residential")
    await child.accept("2026-09-05", second)
    await child.end("2026-09-20", first)
    third = await other.refer("2026-09-21", "crisis")
    await other.accept("2026-09-21", third)
    fourth = await child.refer("2026-09-25", "residential")
    await child.accept("2026-09-25", fourth)
    await child.end("2026-10-01", second)
    kept = await stored(intake_app)
    assert kept[fourth["id"]] == (day("2026-10-01"), None)

    spec = util.spec_from_file_location("migration_0006", MIGRATION)
    assert spec is not None and spec.loader is not None
    migration = util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    async with intake_app.state.database.engine.begin() as connection:
        await connection.execute(sa.update(referrals).values(earlier_stays_end=None, next_residential_start=None))
        await connection.execute(sa.text(migration.FILL))
    assert await stored(intake_app) == kept
    await totals_agree(intake_app)


async def test_two_stays_of_one_child_changing_at_once_leave_the_right_context(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await region(capacity)
    child = Child(intake, clock, CHILD)
    foster = await child.refer("2026-09-01", "foster_care")
    await child.accept("2026-09-01", foster)
    group = await child.refer("2026-09-02", "residential")
    await child.accept("2026-09-02", group)
    crisis = await child.refer("2026-09-03", "crisis")
    await child.accept("2026-09-03", crisis)

    # Each change rewrites the context of the other stays; the child's referrals are locked so that
    # neither change works from what the other is about to replace. The pause lets both changes reach
    # their rewrite before either commits, were nothing to keep them apart.
    refresh = stays.refresh_child

    async def after_a_pause(session: AsyncSession, client_key: str) -> set[str]:
        await asyncio.sleep(0.05)
        return await refresh(session, client_key)

    monkeypatch.setattr(stays, "refresh_child", after_a_pause)
    clock.set(at("2026-09-10"))
    ended = await asyncio.gather(
        *(
            intake.post(
                f"/v1/referrals/{referral['id']}/end",
                json={"end_date": end, "reason": "returned_home"},
                headers=COORDINATOR,
            )
            for referral, end in ((foster, "2026-09-08"), (group, "2026-09-09"))
        )
    )
    assert [response.status_code for response in ended] == [200, 200]
    now = await stored(intake_app)
    assert now[group["id"]] == (day("2026-09-08"), None)
    assert now[crisis["id"]] == (day("2026-09-09"), None)
    await totals_agree(intake_app)


# --- the per-day totals ---------------------------------------------------------------------------


def test_a_birthday_on_29_february_comes_as_each_database_moves_it() -> None:
    leap = day("2008-02-29")
    assert days.age_at(leap, day("2026-02-28"), postgresql=True) == 18
    assert days.age_at(leap, day("2026-02-28"), postgresql=False) == 17
    assert days.age_at(leap, day("2026-03-01"), postgresql=False) == 18
    assert days.age_at(day("2008-03-01"), day("2026-02-28"), postgresql=True) == 17


@pytest.fixture
def young_adult_age(intake_app: FastAPI) -> Iterator[Any]:
    settings = intake_app.state.settings
    before = settings.young_adult_age
    yield settings
    settings.young_adult_age = before


async def young_adults(intake: httpx.AsyncClient) -> tuple[Any, ...]:
    response = await intake.get("/v1/kpis", params={"from": "2026-09-01", "to": "2026-11-30"}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    [found] = [i for i in response.json()["indicators"] if i["name"] == "young_adults_leaving_within_6_months"]
    return found["value"], found["numerator"], found["denominator"]


async def test_the_per_day_totals_follow_each_change_and_read_as_the_stays_do(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    clock: ManualClock,
    young_adult_age: Any,
) -> None:
    await region(capacity)
    provider = await create_provider(capacity, role="strategic")
    await create_unit(capacity, provider, name="Kamers", care_type="training_flat", capacity=2, age_min=16, age_max=22)
    # Born on 29 February: 18 on the start of the stay in either database.
    adult = Child(intake, clock, CHILD, birth_date="2008-02-29")
    # 15 when placed: a young adult only where the age is set below 16, which the totals do not keep.
    younger = Child(intake, clock, OTHER_CHILD, birth_date="2011-01-01")

    flat = await adult.refer("2026-09-01", "training_flat", part_time=True)
    await totals_agree(intake_app)
    await adult.accept("2026-09-03", flat)
    foster = await younger.refer("2026-09-02", "foster_care")
    await younger.accept("2026-09-04", foster)
    await totals_agree(intake_app)
    # A referral withdrawn before it began adds to the day it was received only.
    withdrawn = await younger.refer("2026-09-10", "crisis")
    response = await intake.post(f"/v1/referrals/{withdrawn['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 200, response.text
    await totals_agree(intake_app)
    group = await younger.refer("2026-09-20", "residential")
    await younger.accept("2026-09-21", group)
    await younger.end("2026-09-25", foster)
    await adult.end("2026-10-01", flat)
    totals = await totals_agree(intake_app)
    assert totals[(days.YOUNG, day("2026-09-03"), 18, 28)] == (1, 0)
    assert totals[(days.STARTED, day("2026-09-03"), 2, 0)] == (1, 0)
    assert totals[(days.FOLLOW_ON, day("2026-09-25"), -4, 0)] == (1, 0)

    # The kept totals from 16 on; below it the stays are read: the same answer either way.
    assert await young_adults(intake) == (100.0, 1, 1)
    young_adult_age.young_adult_age = 15
    assert await young_adults(intake) == (66.7, 2, 3)
    young_adult_age.young_adult_age = 16
    assert await young_adults(intake) == (100.0, 1, 1)


async def test_migration_0019_counts_ages_by_the_same_rule(intake_app: FastAPI) -> None:
    migration = migration_module(DAYS_MIGRATION)
    async with intake_app.state.database.engine.connect() as connection:
        dialect = connection.dialect.name
        age = (migration._POSTGRESQL if dialect == "postgresql" else migration._SQLITE)["age"]
        cast = "CAST({} AS DATE)" if dialect == "postgresql" else "{}"
        for birth, start in (("2008-02-29", "2026-02-28"), ("2008-02-29", "2026-03-01"), ("2009-06-15", "2026-06-14")):
            found = await connection.scalar(
                sa.text(
                    f"SELECT {age} FROM (SELECT {cast.format(':birth')} AS birth_date,"
                    f" {cast.format(':start')} AS start_date) AS stay"
                ),
                # asyncpg binds dates, SQLite compares the stored text.
                {"birth": day(birth), "start": day(start)}
                if dialect == "postgresql"
                else {"birth": birth, "start": start},
            )
            assert found == days.age_at(day(birth), day(start), postgresql=dialect == "postgresql")
