"""Use cases of a browser's session: open it at sign-in, find it behind a cookie, end it at sign-out, and
sweep the expired ones. Each in one transaction of its own."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from common.auth import Principal
from common.clock import as_utc
from intake.context import Context
from intake.sessions import rules, store

# last_seen_at is written at most this often per session, not on every page a browser asks for.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class BrowserSession:
    key: str
    principal: Principal
    id_token: str | None
    expires_at: datetime


def _of(values: sa.RowMapping) -> BrowserSession:
    principal = Principal(
        sub=values["sub"],
        role=values["role"],
        org=values["org"],
        referrer_type=values["referrer_type"],
        provider_id=values["provider_id"],
    )
    return BrowserSession(values["id"], principal, values["id_token"], as_utc(values["expires_at"]))


async def open_session(
    ctx: Context, principal: Principal, lifetime: timedelta, *, id_token: str | None = None, replaces: str | None = None
) -> str:
    """Stores a new session and returns the cookie value that stands for it. A session the browser
    already had (`replaces`: its cookie) ends here, so that a value planted before sign-in is worth
    nothing after it."""
    cookie_value = secrets.token_urlsafe(32)
    now = ctx.now()
    lifetime = min(lifetime, timedelta(hours=ctx.settings.session_max_hours))
    async with ctx.database.transaction() as session:
        if replaces:
            await store.delete_session(session, rules.session_id(replaces))
        await store.insert_session(
            session, rules.session_id(cookie_value), principal, id_token=id_token, now=now, expires_at=now + lifetime
        )
    return cookie_value


async def session_of(ctx: Context, cookie_value: str) -> BrowserSession | None:
    """The live session behind a cookie, or None (unknown, ended or expired)."""
    key = rules.session_id(cookie_value)
    now = ctx.now()
    async with ctx.database.read() as session:
        row = await store.live_session(session, key, now)
    if row is None:
        return None
    if now - as_utc(row["last_seen_at"]) >= SEEN_RESOLUTION:
        async with ctx.database.transaction() as session:
            await store.mark_seen(session, key, now)
    return _of(row)


async def end_session(ctx: Context, cookie_value: str) -> BrowserSession | None:
    """Deletes the session behind a cookie; returns it as it was, or None when there was none."""
    async with ctx.database.transaction() as session:
        row = await store.delete_session(session, rules.session_id(cookie_value))
    return None if row is None else _of(row)


async def forget_expired_sessions(ctx: Context) -> int:
    """Worker step: delete the sessions past their expiry. Returns how many were deleted."""
    async with ctx.database.transaction() as session:
        return await store.delete_expired(session, ctx.now())
