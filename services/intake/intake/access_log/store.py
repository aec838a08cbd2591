"""The access log's one insert: every read or change of a child's file, and every refused read, is
written through here.

A refused read of a referral answers 404 like a read of an id that names nothing, so that ids cannot be
probed; both are written to the access log, so that a probe for other children's files is seen."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.errors import NotFound
from intake.context import Context, Row
from intake.db import access_log

# Built once: nearly every request writes it.
_INSERT = sa.insert(access_log)

READ_REFUSED = "read_refused"
AUDIT_READ = "audit_read"
SUBJECT_ACCESS = "subject_access"


class ReferralNotVisible(NotFound):
    """The caller asked for a referral it may not see, or for an id that names none. Answered 404 by the
    app, which writes the refusal to the access log in its own transaction: the use case's own
    transaction is rolled back by then, so the refusal survives it."""

    def __init__(self, principal: Principal, referral_id: str, client_key: str | None) -> None:
        super().__init__(f"No referral {referral_id} that you may see.")
        self.principal = principal
        self.referral_id = referral_id
        self.client_key = client_key


def entry(
    principal: Principal, action: str, now: datetime, referral_id: str | None = None, client_key: str | None = None
) -> dict[str, Any]:
    return {
        "at": now,
        "sub": principal.sub,
        "role": principal.role,
        "org": principal.org,
        "action": action,
        "referral_id": referral_id,
        "client_key": client_key,
    }


async def record(
    session: AsyncSession,
    principal: Principal,
    action: str,
    now: datetime,
    about: Iterable[tuple[str | None, str | None]],
) -> None:
    """One entry per (referral id, client key) in `about`, in the caller's transaction."""
    entries = [entry(principal, action, now, referral_id, client_key) for referral_id, client_key in about]
    if entries:
        await session.execute(_INSERT, entries)


async def record_selected(
    session: AsyncSession, principal: Principal, action: str, now: datetime, about: sa.Select[Any]
) -> None:
    """One entry per row of `about` (a SELECT of referral id and client key), written by the database in
    one statement: for exports of every child's record."""
    rows = about.add_columns(
        sa.literal(now, sa.DateTime(timezone=True)),
        sa.literal(principal.sub, sa.String),
        sa.literal(principal.role, sa.String),
        sa.literal(principal.org, sa.String),
        sa.literal(action, sa.String),
    )
    columns = ["referral_id", "client_key", "at", "sub", "role", "org", "action"]
    await session.execute(sa.insert(access_log).from_select(columns, rows))


async def record_referrals(
    session: AsyncSession, principal: Principal, action: str, rows: Iterable[Row], now: datetime
) -> None:
    """One entry per referral of `rows` (rows of the referrals table)."""
    await record(session, principal, action, now, ((row["id"], row["client_key"]) for row in rows))


def _as_asked(referral_id: str) -> str:
    """The id as the caller asked it, as far as the column holds it (an id longer than any referral's
    names none; what it began with is enough to see the probe)."""
    return referral_id.replace("\x00", "")[: access_log.c.referral_id.type.length]  # type: ignore[attr-defined]


async def record_refusal(ctx: Context, refusal: ReferralNotVisible) -> None:
    async with ctx.database.transaction() as session:
        about = (_as_asked(refusal.referral_id), refusal.client_key)
        await record(session, refusal.principal, READ_REFUSED, ctx.now(), [about])
