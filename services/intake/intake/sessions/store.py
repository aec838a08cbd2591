"""Browser sessions in intake's database: one row per signed-in browser, keyed by its cookie's hash."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from intake.db import browser_sessions


async def insert_session(
    session: AsyncSession,
    key: str,
    principal: Principal,
    *,
    id_token: str | None,
    now: datetime,
    expires_at: datetime,
) -> None:
    await session.execute(
        sa.insert(browser_sessions).values(
            id=key,
            sub=principal.sub,
            role=principal.role,
            org=principal.org,
            referrer_type=principal.referrer_type,
            provider_id=principal.provider_id,
            id_token=id_token,
            created_at=now,
            expires_at=expires_at,
            last_seen_at=now,
        )
    )


async def live_session(session: AsyncSession, key: str, now: datetime) -> sa.RowMapping | None:
    """The session's row while it has not expired; an expired row signs nobody in, swept or not."""
    query = sa.select(browser_sessions).where(browser_sessions.c.id == key, browser_sessions.c.expires_at > now)
    return (await session.execute(query)).mappings().first()


async def mark_seen(session: AsyncSession, key: str, now: datetime) -> None:
    await session.execute(sa.update(browser_sessions).where(browser_sessions.c.id == key).values(last_seen_at=now))


async def delete_session(session: AsyncSession, key: str) -> sa.RowMapping | None:
    """Deletes the session and returns what it held (its ID token is the hint for the provider's logout)."""
    query = sa.delete(browser_sessions).where(browser_sessions.c.id == key).returning(*browser_sessions.c)
    return (await session.execute(query)).mappings().first()


# Built once: every round of the workers runs it.
_DELETE_EXPIRED = sa.delete(browser_sessions).where(browser_sessions.c.expires_at <= sa.bindparam("now"))


async def delete_expired(session: AsyncSession, now: datetime) -> int:
    deleted = await session.execute(_DELETE_EXPIRED, {"now": now})
    return int(deleted.rowcount or 0)  # type: ignore[attr-defined]
