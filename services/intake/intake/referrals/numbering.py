"""The readable reference of a referral (`2026-0042`): the next number of the year, given out in the
submission's transaction.

On PostgreSQL each year's numbers come from a sequence of its own (`referral_number_2026`), which
hands a number to each submission without locking anything: a row counting the year's numbers would
be locked by every submission until it commits, and submissions at once would queue behind each other
(they did, for seconds, under make bench's mix). A number taken by a submission that then fails is
not given again: the numbers of a year may have gaps, never repeats. SQLite has one writer at a time
anyway, so there the year's row in `referral_numbers` counts, and a rollback gives its number back.
"""

from __future__ import annotations

import weakref
from datetime import date

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

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
# The years whose sequence this process has seen, per database.
_YEARS_WITH_SEQUENCE: weakref.WeakKeyDictionary[Engine, set[int]] = weakref.WeakKeyDictionary()


def sequence_name(year: int) -> str:
    return f"referral_number_{int(year):04d}"


async def next_reference(session: AsyncSession, today: date) -> str:
    """The next reference of `today`'s year."""
    if session.get_bind().dialect.name == "postgresql":
        number = await _next_from_sequence(session, today.year)
    else:
        number = await _next_from_row(session, today.year)
    return referral_reference(today.year, number)


async def _next_from_row(session: AsyncSession, year: int) -> int:
    """The year's row raised by one and read back in one statement, under the database's one writer.
    The first referral of a year creates the row."""
    number = (await session.execute(_NEXT, {"for_year": year})).scalar()
    if number is None:
        await session.execute(insert_or_skip(session, referral_numbers, "year"), {"year": year, "last_number": 0})
        number = (await session.execute(_NEXT, {"for_year": year})).scalar_one()
    return int(number)


async def _next_from_sequence(session: AsyncSession, year: int) -> int:
    bind = session.bind
    assert isinstance(bind, AsyncEngine), "a session of common.db.Database is bound to its engine"
    seen = _YEARS_WITH_SEQUENCE.setdefault(bind.sync_engine, set())
    if year not in seen:
        await create_year_sequence(bind, year)
        seen.add(year)
    return int((await session.execute(sa.text(f"SELECT nextval('{sequence_name(year)}')"))).scalar_one())


async def create_year_sequence(engine: AsyncEngine, year: int) -> None:
    """The year's sequence, made by the first submission of the year in its own short transaction (the
    submission's own goes on meanwhile). It continues from the year's row where one was kept (numbers
    given out before the sequences, and on SQLite), and belongs to that row's column, so that clearing
    the table restarts it. Two processes making it at once: the table lock lets one make it, and the
    other finds it made."""
    name = sequence_name(year)
    async with engine.begin() as connection:
        await connection.execute(sa.text("LOCK TABLE referral_numbers IN SHARE ROW EXCLUSIVE MODE"))
        if await connection.scalar(sa.text("SELECT to_regclass(:name)"), {"name": name}) is not None:
            return
        given = await connection.scalar(sa.select(_n.last_number).where(_n.year == year))
        await connection.execute(
            sa.text(f"CREATE SEQUENCE {name} START WITH {int(given or 0) + 1} OWNED BY referral_numbers.last_number")
        )
