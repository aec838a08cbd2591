"""What the indicators need to know about each stay from the child's other stays, derived in the
transaction that changes a stay, so that reading the indicators never has to look across the history."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.vocabulary import CareType
from intake.db import referrals
from intake.indicators import days

# Group care: what "foster care ending in residential care" counts as residential.
RESIDENTIAL_CARE_TYPES = (CareType.RESIDENTIAL.value, CareType.SECURE.value, CareType.CLINICAL.value)
# The end of a stay that still runs, where the latest end of several stays is taken.
FAR_FUTURE = date(9999, 12, 31)

# Built once, with their values bound at execution: every stay that starts or ends runs them. The
# UPDATE sets the columns named in the values it is given.
_LOCK_CHILD = (
    sa.select(*days.COLUMNS)
    .where(referrals.c.client_key == sa.bindparam("client_key"))
    .order_by(referrals.c.id)
    .with_for_update()
)
_CHILD_STAYS = sa.select(*days.COLUMNS, referrals.c.earlier_stays_end).where(
    referrals.c.client_key == sa.bindparam("client_key")
)
_STORE_CONTEXT = sa.update(referrals).where(referrals.c.id == sa.bindparam("stay_id"))


@dataclass(frozen=True)
class Stay:
    id: str
    care_type: str
    start_date: date
    end_date: date | None


@dataclass(frozen=True)
class StayContext:
    """earlier_stays_end: the latest end among the child's stays begun before this one (in the order of
    start date, then id), FAR_FUTURE while one of them runs; a stay overlaps an earlier one when this
    lies after its start. next_residential_start: the first start of a residential stay of the child
    begun after this one, from which the foster-care follow-on is read."""

    earlier_stays_end: date | None = None
    next_residential_start: date | None = None


def stay_contexts(stays: Iterable[Stay]) -> dict[str, StayContext]:
    """The context of each of one child's stays; a child has a handful, so plain loops will do."""
    ordered = sorted(stays, key=lambda stay: (stay.start_date, stay.id))
    residential_starts = sorted(stay.start_date for stay in ordered if stay.care_type in RESIDENTIAL_CARE_TYPES)
    contexts: dict[str, StayContext] = {}
    latest_end: date | None = None
    for stay in ordered:
        next_residential = next((start for start in residential_starts if start > stay.start_date), None)
        contexts[stay.id] = StayContext(earlier_stays_end=latest_end, next_residential_start=next_residential)
        end = stay.end_date or FAR_FUTURE
        latest_end = end if latest_end is None else max(latest_end, end)
    return contexts


async def lock_child(session: AsyncSession, client_key: str) -> None:
    """Lock every referral of the child, in id order, before one of its stays changes: the change
    rewrites the context of the child's other stays, so two changes to one child take turns, and the
    fixed order keeps them from deadlocking. What the child's referrals add to the per-day totals is
    remembered here, for `refresh_child` to write the difference."""
    rows = (await session.execute(_LOCK_CHILD, {"client_key": client_key})).mappings()
    days.remember(session, rows)


async def refresh_child(session: AsyncSession, client_key: str) -> set[str]:
    """Store the context of each of the child's stays as it follows from the stays now; only rows whose
    context changed are written, and their ids returned. Then the per-day totals take the difference the
    change made, against what was remembered when the child was locked."""
    rows = (await session.execute(_CHILD_STAYS, {"client_key": client_key})).mappings().all()
    contexts = stay_contexts(
        Stay(row["id"], row["care_type"], row["start_date"], row["end_date"])
        for row in rows
        if row["start_date"] is not None
    )
    now = []
    rewritten: set[str] = set()
    for row in rows:
        context = contexts.get(row["id"], StayContext())
        if (row["earlier_stays_end"], row["next_residential_start"]) != (
            context.earlier_stays_end,
            context.next_residential_start,
        ):
            await session.execute(
                _STORE_CONTEXT,
                {
                    "stay_id": row["id"],
                    "earlier_stays_end": context.earlier_stays_end,
                    "next_residential_start": context.next_residential_start,
                },
            )
            rewritten.add(row["id"])
        now.append({**row, "next_residential_start": context.next_residential_start})
    await days.settle(session, now)
    return rewritten
