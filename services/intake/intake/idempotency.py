"""Idempotency-Key answers: kept so that a repeated submission gets the first answer, and forgotten after
`idempotency_key_hours`, because an answer holds the child's BSN. An expired key answers nothing: a
request that reuses it is a new request."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import as_utc
from intake.context import Context
from intake.db import idempotency_keys

_KEY = (
    idempotency_keys.c.referrer_org == sa.bindparam("by_org"),
    idempotency_keys.c.key == sa.bindparam("by_key"),
)
_EARLIER = sa.select(idempotency_keys).where(*_KEY)
_FORGET_EXPIRED_KEY = sa.delete(idempotency_keys).where(*_KEY, idempotency_keys.c.created_at < sa.bindparam("before"))
_FORGET_EXPIRED = sa.delete(idempotency_keys).where(idempotency_keys.c.created_at < sa.bindparam("before"))


def _cutoff(now: datetime, hours: float) -> datetime:
    """Keys stored before this moment have expired."""
    return now - timedelta(hours=hours)


async def earlier_answer(
    session: AsyncSession, org: str, key: str, now: datetime, hours: float
) -> sa.RowMapping | None:
    """The stored answer of a key still in force. An expired one is deleted here, in the caller's
    transaction, so that the caller may store the key anew."""
    names = {"by_org": org, "by_key": key}
    earlier = (await session.execute(_EARLIER, names)).mappings().first()
    if earlier is None:
        return None
    before = _cutoff(now, hours)
    if as_utc(earlier["created_at"]) >= before:
        return earlier
    forgotten = await session.execute(_FORGET_EXPIRED_KEY, {**names, "before": before})
    if forgotten.rowcount == 0:  # type: ignore[attr-defined]
        # A request racing this one replaced the expired key first: the key answers as that one does.
        return (await session.execute(_EARLIER, names)).mappings().first()
    return None


async def forget_expired_keys(ctx: Context) -> int:
    """Worker step: delete every key older than its lifetime. Returns how many were deleted."""
    before = _cutoff(ctx.now(), ctx.settings.idempotency_key_hours)
    async with ctx.database.transaction() as session:
        deleted = await session.execute(_FORGET_EXPIRED, {"before": before})
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]
