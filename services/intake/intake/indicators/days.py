"""Per-day totals of what the indicators count, kept in the transaction of every change that alters
them, so that a period's indicators add up one row per day and figure instead of reading the stays.

Each referral adds to a few rows of `indicator_days`, keyed by measure, day, value and detail (the
shape of each measure is told at its constant below). A stay change works out what the child's stays
add before the change (when the child is locked, `remember`) and after it (once each stay's context is
derived again, `settle`), and adds the difference, written as the transaction commits. Intake
migration 0019 fills the table from the stays there are, by the same rules in SQL; the tests compare
the two.

Figures that depend on a setting (the follow-on days, the young-adult age and the days within which
a young adult leaves) keep the value the setting is compared against, not the outcome, so a changed
setting needs no new totals. Only the young adults are kept from an age on (`YOUNGEST_YOUNG_ADULT`):
below it the indicators read the stays instead.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql as postgresql_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from common.clock import as_utc
from contracts.vocabulary import CareType
from intake.db import indicator_days, referrals

# day: the UTC day the referral was received; value: 1 when the child was heard, else 0.
RECEIVED = "received"
# day: the stay's end; value: 1 for foster care, else 0; total_days: the days of the stays.
ENDED = "ended"
# day: the end of a foster-care stay; value: days from that end to the next residential start of the
# child (negative when it began before); only for foster-care stays followed by residential care.
FOLLOW_ON = "follow_on"
# day: the stay's start; value: days from referral (UTC day) to that start, 0 when it began earlier.
STARTED = "started"
# day: the stay's start; counted when the provider lies inside the region.
IN_REGION = "in_region"
# day: the stay's start; counted when the stay is part-time.
PART_TIME = "part_time"
# day: the stay's start; value: 1 when the region contracted the provider, 0 when not; none unknown.
CONTRACTED = "contracted"
# day: the stay's start; value: the child's age in whole years at that start; detail: the days of the
# stay once it ended, -1 while it runs; only from YOUNGEST_YOUNG_ADULT on.
YOUNG = "young"
YOUNGEST_YOUNG_ADULT = 16
RUNNING = -1

MEASURES = (RECEIVED, ENDED, FOLLOW_ON, STARTED, IN_REGION, PART_TIME, CONTRACTED, YOUNG)

# (measure, day, value, detail)
Key = tuple[str, date, int, int]
# stays, total_days
Amount = tuple[int, int]

# What a referral's part in the totals is worked out from.
COLUMNS = (
    referrals.c.id,
    referrals.c.care_type,
    referrals.c.start_date,
    referrals.c.end_date,
    referrals.c.next_residential_start,
    referrals.c.created_at,
    referrals.c.child_heard,
    referrals.c.placement_in_region,
    referrals.c.part_time,
    referrals.c.placement_contracted,
    referrals.c.birth_date,
)

_REMEMBERED = "indicator_days.before"
_PENDING = "indicator_days.pending"


def plus_years(day: date, years: int, postgresql: bool) -> date:
    """`day` moved `years` years on, as the database does it (intake.indicators.sql: plus_years): from 29
    February into a year without one, PostgreSQL lands on 28 February and SQLite on 1 March."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28) if postgresql else date(day.year + years, 3, 1)


def age_at(birth: date, day: date, postgresql: bool) -> int:
    """The most whole years after `birth` that `day` has reached, by the database's rule for 29 February."""
    years = day.year - birth.year
    return years - 1 if plus_years(birth, years, postgresql) > day else years


def contributions(row: Mapping[Any, Any], postgresql: bool) -> dict[Key, Amount]:
    """What one referral adds to the totals, by its stored columns (next_residential_start as derived)."""
    found: dict[Key, Amount] = {}

    def add(measure: str, day: date, value: int = 0, detail: int = 0, total: int = 0) -> None:
        stays, days = found.get((measure, day, value, detail), (0, 0))
        found[(measure, day, value, detail)] = (stays + 1, days + total)

    add(RECEIVED, as_utc(row["created_at"]).date(), 1 if row["child_heard"] is True else 0)
    start, end = row["start_date"], row["end_date"]
    foster = row["care_type"] == CareType.FOSTER_CARE.value
    if end is not None:
        add(ENDED, end, 1 if foster else 0, total=(end - start).days if start is not None else 0)
        if foster and row["next_residential_start"] is not None:
            add(FOLLOW_ON, end, (row["next_residential_start"] - end).days)
    if start is None:
        return found
    add(STARTED, start, max(0, (start - as_utc(row["created_at"]).date()).days))
    if row["placement_in_region"] is True:
        add(IN_REGION, start)
    if row["part_time"] is True:
        add(PART_TIME, start)
    if row["placement_contracted"] is not None:
        add(CONTRACTED, start, 1 if row["placement_contracted"] else 0)
    age = age_at(row["birth_date"], start, postgresql)
    if age >= YOUNGEST_YOUNG_ADULT:
        add(YOUNG, start, age, (end - start).days if end is not None else RUNNING)
    return found


def _summed(rows: Iterable[Mapping[Any, Any]], postgresql: bool) -> dict[Key, Amount]:
    total: dict[Key, Amount] = {}
    for row in rows:
        for key, (stays, days) in contributions(row, postgresql).items():
            before = total.get(key, (0, 0))
            total[key] = (before[0] + stays, before[1] + days)
    return total


def _postgresql(session: AsyncSession) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def remember(session: AsyncSession, rows: Iterable[Mapping[Any, Any]]) -> None:
    """Keep what these referrals (read with COLUMNS under the child's lock) add now, before their stays
    change; `settle` later in the transaction writes the difference."""
    kept: dict[str, Mapping[Any, Any]] = session.info.setdefault(_REMEMBERED, {})
    for row in rows:
        kept.setdefault(row["id"], dict(row))


async def settle(session: AsyncSession, rows: Iterable[Mapping[Any, Any]]) -> None:
    """Write the difference between what these referrals add now and what they added when remembered.
    Every one of them must have been remembered: a stay change that skipped it would drift the totals."""
    rows = list(rows)
    kept: dict[str, Mapping[Any, Any]] = session.info.get(_REMEMBERED, {})
    missing = [row["id"] for row in rows if row["id"] not in kept]
    if missing:
        raise RuntimeError(f"referrals changed without their indicator totals remembered: {missing}")
    postgresql = _postgresql(session)
    before = _summed((kept.pop(row["id"]) for row in rows), postgresql)
    after = _summed(rows, postgresql)
    changes: dict[Key, Amount] = {}
    for key in before.keys() | after.keys():
        was, now = before.get(key, (0, 0)), after.get(key, (0, 0))
        if was != now:
            changes[key] = (now[0] - was[0], now[1] - was[1])
    await add(session, changes)


async def received(session: AsyncSession, row: Mapping[Any, Any]) -> None:
    """A referral just stored: it adds to the day it was received (it has no stay yet)."""
    await add(session, contributions(row, _postgresql(session)))


async def add(session: AsyncSession, changes: Mapping[Key, Amount]) -> None:
    """Add to the rows when the transaction commits. The rows of today are shared by every change of the
    day: written last, each is locked only for the moment of the commit, not while the rest of the
    transaction (signals, notifications, the answer) runs."""
    pending: dict[Key, Amount] = session.info.setdefault(_PENDING, {})
    for key, (stays, days) in changes.items():
        was = pending.get(key, (0, 0))
        pending[key] = (was[0] + stays, was[1] + days)


@event.listens_for(Session, "before_commit")
def _write_pending(session: Session) -> None:
    """The rows added to in the transaction, in key order so that two transactions adding to the same
    days never wait for each other in a circle; rows that come to count nothing are removed. (An event
    of the synchronous session: under asyncio it runs where it may still execute statements.)"""
    pending: dict[Key, Amount] = session.info.pop(_PENDING, {})
    ordered = sorted((key, amount) for key, amount in pending.items() if amount != (0, 0))
    if not ordered:
        return
    session.execute(
        _add_to_days(session.get_bind().dialect.name),
        [
            {"measure": m, "day": day, "value": v, "detail": x, "stays": stays, "total_days": days}
            for (m, day, v, x), (stays, days) in ordered
        ],
    )
    emptied = [key for key, (stays, _) in ordered if stays < 0]
    if emptied:
        session.execute(_REMOVE_EMPTIED, [{"m": m, "d": day, "v": v, "x": x} for m, day, v, x in emptied])


@functools.cache
def _add_to_days(dialect: str) -> Any:
    """The upsert that adds to a day's row, built once per dialect (every stay change commits one)."""
    d = indicator_days.c
    insert = (
        postgresql_dialect.insert(indicator_days) if dialect == "postgresql" else sqlite_dialect.insert(indicator_days)
    )
    return insert.on_conflict_do_update(
        index_elements=[d.measure, d.day, d.value, d.detail],
        set_={"stays": d.stays + insert.excluded.stays, "total_days": d.total_days + insert.excluded.total_days},
    )


_REMOVE_EMPTIED = sa.delete(indicator_days).where(
    indicator_days.c.measure == sa.bindparam("m"),
    indicator_days.c.day == sa.bindparam("d"),
    indicator_days.c.value == sa.bindparam("v"),
    indicator_days.c.detail == sa.bindparam("x"),
    indicator_days.c.stays == 0,
)


async def recomputed(session: AsyncSession) -> dict[Key, Amount]:
    """The totals worked out again from every referral, to check the kept ones against."""
    rows = (await session.execute(sa.select(*COLUMNS))).mappings().all()
    return {key: amount for key, amount in _summed(rows, _postgresql(session)).items() if amount[0]}


async def kept(session: AsyncSession) -> dict[Key, Amount]:
    d = indicator_days.c
    rows = (await session.execute(sa.select(d.measure, d.day, d.value, d.detail, d.stays, d.total_days))).all()
    return {(m, day, v, x): (stays, days) for m, day, v, x, stays, days in rows if stays}
