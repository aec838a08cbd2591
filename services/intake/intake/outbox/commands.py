"""The capacity commands as stored: a change capacity must also make, written in the transaction of
the change here and sent after it commits (outbox.capacity_commands)."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from intake.context import Context
from intake.db import capacity_commands, match_requests

# The kinds of capacity commands: end a stay there; complete an accept (confirm the held place, then
# record the placement here); release the places held for a referral that nobody will take up.
END_OCCUPANCY = "end_occupancy"

CONFIRM_ACCEPT = "confirm_accept"

RELEASE_HOLDS = "release_holds"

# Built once, with their values bound at execution: every accept, end of stay and withdrawal writes them.
_INSERT = sa.insert(capacity_commands)
_CLOSE = (
    sa.update(capacity_commands)
    .where(capacity_commands.c.id == sa.bindparam("command_id"), capacity_commands.c.done_at.is_(None))
    .values(attempts=capacity_commands.c.attempts + 1)
)
_CLOSED_REQUESTS = sa.select(match_requests.c.request_id).where(
    match_requests.c.referral_id == sa.bindparam("for_referral"), match_requests.c.done_at.is_not(None)
)


def _capacity_command(
    ctx: Context, referral_id: str, kind: str, target_id: str, payload: dict[str, Any], *, delay: timedelta
) -> dict[str, Any]:
    now = ctx.now()
    return {
        "id": str(uuid.uuid4()),
        "referral_id": referral_id,
        "kind": kind,
        "target_id": target_id,
        "payload": payload,
        "created_at": now,
        "attempts": 0,
        "next_attempt_at": now + delay,
    }


async def store_capacity_command(
    ctx: Context, referral_id: str, kind: str, target_id: str, payload: dict[str, Any], *, delay: timedelta
) -> str:
    """A command stored on its own, before the call it stands for is made."""
    values = _capacity_command(ctx, referral_id, kind, target_id, payload, delay=delay)
    async with ctx.database.transaction() as session:
        await session.execute(_INSERT, values)
    return str(values["id"])


async def close_capacity_command(ctx: Context, command_id: str, error: str | None) -> None:
    async with ctx.database.transaction() as session:
        await session.execute(_CLOSE, {"command_id": command_id, "done_at": ctx.now(), "last_error": error})


async def queue_holds_release(
    session: AsyncSession,
    ctx: Context,
    referral_id: str,
    *,
    keep: str | None = None,
    request_ids: list[str] | None = None,
    closed_requests: bool = False,
) -> str:
    """Queue, in the caller's transaction, the release of the places held for a referral except
    `keep`: those of the named match requests, of its closed requests (`closed_requests`: a request
    still open may be about to propose the place it holds), or every one (neither)."""
    if closed_requests:
        request_ids = list((await session.scalars(_CLOSED_REQUESTS, {"for_referral": referral_id})).all())
    values = _capacity_command(
        ctx,
        referral_id,
        RELEASE_HOLDS,
        referral_id,
        {"keep_reservation_id": keep, "request_ids": request_ids},
        delay=timedelta(0),
    )
    await session.execute(_INSERT, values)
    return str(values["id"])
