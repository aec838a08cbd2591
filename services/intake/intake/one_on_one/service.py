"""Use cases of one-on-one supervision: the provider of a placement records the hours of a week, and
the parties of the referral read them."""

from __future__ import annotations

import functools
from typing import Any

import sqlalchemy as sa

from common.auth import Principal
from common.clock import as_utc
from common.db import dialect_insert
from common.errors import Forbidden
from contracts import lists
from intake import domain
from intake.access_log.store import record_referrals
from intake.context import Context, Row
from intake.db import one_on_one_hours
from intake.domain import Status
from intake.one_on_one import rules
from intake.one_on_one.schemas import OneOnOneIn, OneOnOneList, OneOnOneOut
from intake.referrals.visibility import visible


@functools.cache
def _record_week(dialect: str) -> Any:
    """The week's hours inserted, or replacing those recorded before: built once per dialect, the
    values bound at execution."""
    statement = dialect_insert(dialect, one_on_one_hours)
    return statement.on_conflict_do_update(
        index_elements=[one_on_one_hours.c.referral_id, one_on_one_hours.c.week],
        set_={key: statement.excluded[key] for key in ("hours", "provider_id", "recorded_by", "recorded_at")},
    )


_WEEK = sa.select(one_on_one_hours).where(
    one_on_one_hours.c.referral_id == sa.bindparam("for_referral"),
    one_on_one_hours.c.week == sa.bindparam("for_week"),
)


def _out(row: Row) -> OneOnOneOut:
    return OneOnOneOut(
        referral_id=row["referral_id"],
        week=row["week"],
        week_start=row["week_start"],
        hours=row["hours"],
        recorded_at=as_utc(row["recorded_at"]),
    )


def _require_placed_with(principal: Principal, row: Row) -> None:
    """The child must have a stay, and the one recording must be its provider."""
    domain.require_status(row["status"], (Status.placed, Status.ended), "record one-on-one hours for")
    if not principal.acts_for_provider(row["placement_provider_id"]):
        raise Forbidden("Only the provider of the placement may record its one-on-one hours.")


async def record_hours(ctx: Context, principal: Principal, referral_id: str, body: OneOnOneIn) -> OneOnOneOut:
    """The hours of one ISO week; recording the week again replaces them (idempotent per week)."""
    monday = rules.week_start(body.week)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id, lock=True)
        _require_placed_with(principal, row)
        rules.check_week_of_stay(monday, row["start_date"], row["end_date"], ctx.today())
        values = {
            "referral_id": referral_id,
            "week": body.week,
            "week_start": monday,
            "hours": body.hours,
            "provider_id": row["placement_provider_id"],
            "recorded_by": principal.sub,
            "recorded_at": now,
        }
        await session.execute(_record_week(session.get_bind().dialect.name), values)
        await record_referrals(session, principal, "record_one_on_one", [row], now)
        stored = (await session.execute(_WEEK, {"for_referral": referral_id, "for_week": body.week})).mappings().one()
    return _out(stored)


async def hours_of(ctx: Context, principal: Principal, referral_id: str) -> OneOnOneList:
    """The recorded weeks of a child, latest first, for whoever may see the referral."""
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id)
        rows = (
            (
                await session.execute(
                    sa.select(one_on_one_hours)
                    .where(one_on_one_hours.c.referral_id == referral_id)
                    .order_by(one_on_one_hours.c.week_start.desc())
                )
            )
            .mappings()
            .all()
        )
        await record_referrals(session, principal, "read_one_on_one", [row], ctx.now())
    items = [_out(r) for r in rows]
    return OneOnOneList(items=items, **lists.whole(len(items)))
