"""The readable reference of a referral (`2026-0042`): the next number of the year, given out as the
submission's transaction commits."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from common.db import dialect_insert
from intake.db import referral_numbers, referrals
from intake.domain import referral_reference

_PENDING = "referral_numbers.pending"
_n = referral_numbers.c
_TAKE = (
    sa.update(referral_numbers)
    .where(_n.year == sa.bindparam("for_year"))
    .values(last_number=_n.last_number + sa.bindparam("count"))
    .returning(_n.last_number)
)
_SET_REFERENCE = (
    sa.update(referrals)
    .where(referrals.c.id == sa.bindparam("referral_id"))
    .values(reference=sa.bindparam("reference"))
    .execution_options(synchronize_session=False)
)


def number_at_commit(session: AsyncSession, referral_id: str, today: date) -> None:
    """Give the referral just stored the next reference of `today`'s year when the transaction
    commits. The year's row is shared by every submission: raised last, it is locked only for the
    moment of the commit, not while the rest of the submission (signals, the match request, the
    access log) runs, so submissions at once do not queue behind each other. Until then the
    referral's `reference` is empty; nothing reads it within the submission's transaction."""
    pending: list[tuple[int, str]] = session.info.setdefault(_PENDING, [])
    pending.append((today.year, referral_id))


# First of the listeners: the year's row is always locked before the per-day totals' rows, so that
# two transactions never wait for each other in a circle.
@event.listens_for(Session, "before_commit", insert=True)
def _number_pending(session: Session) -> None:
    """The referrals stored in the transaction, numbered in the order they were stored: the year's
    row raised by their count and read back in one statement (a rollback gives the numbers back).
    The first referral of a year creates the row; two of them racing both end up raising the one
    row. (An event of the synchronous session: under asyncio it runs where it may still execute
    statements.)"""
    pending: list[tuple[int, str]] = session.info.pop(_PENDING, [])
    for year in sorted({year for year, _ in pending}):
        ids = [referral_id for of_year, referral_id in pending if of_year == year]
        last = session.execute(_TAKE, {"for_year": year, "count": len(ids)}).scalar()
        if last is None:
            first_of_year = dialect_insert(session.get_bind().dialect.name, referral_numbers)
            first_of_year = first_of_year.on_conflict_do_nothing(index_elements=["year"])
            session.execute(first_of_year, {"year": year, "last_number": 0})
            last = session.execute(_TAKE, {"for_year": year, "count": len(ids)}).scalar_one()
        first = int(last) - len(ids) + 1
        session.execute(
            _SET_REFERENCE,
            [
                {"referral_id": referral_id, "reference": referral_reference(year, first + offset)}
                for offset, referral_id in enumerate(ids)
            ],
        )
