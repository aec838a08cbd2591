"""The access log as the security officer reads it: filtered by actor, referral, action and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.errors import InvalidInput
from intake.access_log.schemas import AccessLogItemOut, AccessLogPage
from intake.access_log.store import AUDIT_READ, record
from intake.context import Context
from intake.db import access_log, referrals

# The period filters accept dates and moments within this window; outside it nothing was logged.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)


def period_bound(value: str | None, field: str, *, end: bool) -> datetime | None:
    """A `from` or `to` filter: a date (the whole day counts) or an ISO 8601 moment (UTC when it names
    no offset). Returns the moment from which (`end`: up to which, exclusive) entries count."""
    if value is None:
        return None
    try:
        whole_day = len(value) == 10
        if whole_day:
            moment = datetime.combine(date.fromisoformat(value), time(), tzinfo=UTC)
        else:
            moment = as_utc(datetime.fromisoformat(value))
    except (ValueError, OverflowError) as exc:
        raise InvalidInput(field, "must be a date (2026-11-02) or a moment (2026-11-02T09:00:00Z)") from exc
    if not EARLIEST <= moment.date() <= LATEST:
        raise InvalidInput(field, f"must lie between {EARLIEST.isoformat()} and {LATEST.isoformat()}")
    if end:
        # Both ends are included: up to the end of the day, or up to and including the moment.
        moment += timedelta(days=1) if whole_day else timedelta(microseconds=1)
    return moment


def period(date_from: str | None, date_to: str | None) -> tuple[datetime | None, datetime | None]:
    since = period_bound(date_from, "from", end=False)
    until = period_bound(date_to, "to", end=True)
    if since is not None and until is not None and since >= until:
        raise InvalidInput("from", "must lie before to")
    return since, until


@dataclass(frozen=True)
class AccessLogFilter:
    actor: str | None = None
    referral_id: str | None = None
    action: str | None = None
    since: datetime | None = None
    until: datetime | None = None

    def conditions(self) -> list[sa.ColumnElement[bool]]:
        found: list[sa.ColumnElement[bool]] = []
        if self.actor is not None:
            found.append(access_log.c.sub == self.actor)
        if self.referral_id is not None:
            found.append(access_log.c.referral_id == self.referral_id)
        if self.action is not None:
            found.append(access_log.c.action == self.action)
        if self.since is not None:
            found.append(access_log.c.at >= self.since)
        if self.until is not None:
            found.append(access_log.c.at < self.until)
        return found


def render(row: sa.RowMapping) -> AccessLogItemOut:
    return AccessLogItemOut(
        id=int(row["seq"]),
        at=as_utc(row["at"]),
        actor=row["sub"],
        actor_role=row["role"],
        actor_org=row["org"],
        action=row["action"],
        referral_id=row["referral_id"],
    )


async def _client_key_of(session: AsyncSession, referral_id: str) -> str | None:
    key: str | None = await session.scalar(sa.select(referrals.c.client_key).where(referrals.c.id == referral_id))
    return key


async def list_access_log(
    ctx: Context, principal: Principal, wanted: AccessLogFilter, limit: int, offset: int
) -> AccessLogPage:
    """The access log across referrals, newest first. Reading it is itself logged: one entry per read,
    naming the referral when the read was about one."""
    conditions = wanted.conditions()
    query = (
        sa.select(access_log)
        .where(*conditions)
        .order_by(access_log.c.at.desc(), access_log.c.seq.desc())
        .limit(limit)
        .offset(offset)
    )
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(sa.select(sa.func.count()).select_from(access_log).where(*conditions)) or 0)
        rows = (await session.execute(query)).mappings().all()
        about = wanted.referral_id
        client_key = await _client_key_of(session, about) if about is not None else None
        await record(session, principal, AUDIT_READ, ctx.now(), [(about, client_key)])
    return AccessLogPage(
        items=[render(row) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=offset + limit if offset + limit < total else None,
    )
