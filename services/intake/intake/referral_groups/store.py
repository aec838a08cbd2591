"""A group's rows: the group, its children in the order they were submitted, and its match attempts."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from contracts.matching import MatchingFactors
from intake.context import Row
from intake.db import match_requests, referral_groups, referrals
from intake.domain import Status

_LOAD = sa.select(referral_groups).where(referral_groups.c.id == sa.bindparam("group_id"))

# The children still looking for a place that a group request asks about.
WITHOUT_PLACE = (Status.pending.value, Status.unmatched.value)


async def load_group(session: AsyncSession, group_id: str, *, lock: bool = False) -> Row | None:
    query = _LOAD.with_for_update() if lock else _LOAD
    return (await session.execute(query, {"group_id": group_id})).mappings().first()


async def children_of(session: AsyncSession, group: Row, *, lock: bool = False) -> list[Row]:
    """The children's referrals, in the order they were submitted."""
    query = sa.select(referrals).where(referrals.c.group_id == group["id"])
    if lock:
        query = query.with_for_update()
    found = {row["id"]: row for row in (await session.execute(query)).mappings().all()}
    return [found[referral_id] for referral_id in group["referral_ids"] if referral_id in found]


async def kept_together(
    session: AsyncSession, group_id: str | None, factors: MatchingFactors = MatchingFactors.ALL
) -> bool:
    """Whether the child's siblings are matched with it as one group: not when split, nor under the
    `baseline` matching factors, which match every child on its own (docs/matching.md)."""
    if group_id is None or factors is MatchingFactors.BASELINE:
        return False
    return bool(
        await session.scalar(sa.select(referral_groups.c.keep_together).where(referral_groups.c.id == group_id))
    )


async def raise_attempt(session: AsyncSession, group: Row) -> int | None:
    """The group's next attempt number, raised conditionally so that of two replicas queueing the same
    group at once only one succeeds (None for the other)."""
    attempt = int(group["match_attempts"]) + 1
    raised = await session.execute(
        sa.update(referral_groups)
        .where(referral_groups.c.id == group["id"], referral_groups.c.match_attempts == group["match_attempts"])
        .values(match_attempts=attempt)
    )
    return attempt if raised.rowcount == 1 else None  # type: ignore[attr-defined]


async def close_group_requests(session: AsyncSession, group_id: str, now: datetime, why: str) -> None:
    await session.execute(
        sa.update(match_requests)
        .where(match_requests.c.group_id == group_id, match_requests.c.done_at.is_(None))
        .values(done_at=now, last_error=why)
    )


async def has_open_request(session: AsyncSession, group_id: str) -> bool:
    found = await session.scalar(
        sa.select(sa.func.count())
        .select_from(match_requests)
        .where(match_requests.c.group_id == group_id, match_requests.c.done_at.is_(None))
    )
    return bool(found)
