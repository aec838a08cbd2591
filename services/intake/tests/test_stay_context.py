"""What each stay stores from the child's other stays (intake.indicators.stays) stays right through the real API as
stays start, end, are extended or never begin, and migration 0006 fills it the same way from the stays
there are."""

import asyncio
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
from intake.indicators import stays
from intake.indicators.stays import FAR_FUTURE, Stay, StayContext, stay_contexts

CHILD, OTHER_CHILD = "100000009", "100000010"
MIGRATION = Path(__file__).resolve().parents[1] / "intake" / "migrations" / "versions" / "0006_stay_context.py"


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


class Child:
    def __init__(self, intake: httpx.AsyncClient, clock: ManualClock, bsn: str) -> None:
        self.intake = intake
        self.clock = clock
        self.bsn = bsn

    async def refer(self, when: str, care_type: str) -> dict[str, Any]:
        self.clock.set(at(when))
        body = referral_body(care_type=care_type)
        body["client"] = {**body["client"], "bsn": self.bsn}
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

    async def after_a_pause(session: AsyncSession, client_key: str) -> None:
        await asyncio.sleep(0.05)
        await refresh(session, client_key)

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
