"""The readable reference of a referral (`2026-0042`): the next number of the year, given out in the
submission's transaction."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import insert_or_skip
from intake.db import referral_numbers
from intake.domain import referral_reference

_n = referral_numbers.c
_NEXT = (
    sa.update(referral_numbers)
    .where(_n.year == sa.bindparam("for_year"))
    .values(last_number=_n.last_number + 1)
    .returning(_n.last_number)
)


async def next_reference(session: AsyncSession, today: date) -> str:
    """The next reference of `today`'s year. The year's row is raised by one and read back in one
    statement, which locks it until the submission commits (PostgreSQL) or runs under the database's
    one writer (SQLite): two submissions never get the same number, and a submission that rolls back
    gives its number back. The first referral of a year creates the row; two of them racing both end
    up raising the one row."""
    number = (await session.execute(_NEXT, {"for_year": today.year})).scalar()
    if number is None:
        await session.execute(insert_or_skip(session, referral_numbers, "year"), {"year": today.year, "last_number": 0})
        number = (await session.execute(_NEXT, {"for_year": today.year})).scalar_one()
    return referral_reference(today.year, int(number))
