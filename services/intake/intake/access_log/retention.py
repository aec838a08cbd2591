"""The access log is kept five years (REGIEPUNT_ACCESS_LOG_RETENTION_YEARS), then removed.

On PostgreSQL it is partitioned by month (migration 0015): a month past the retention is removed by
dropping its partition, which the append-only trigger does not stand in the way of and which costs no
row-by-row delete; the months ahead get their partitions here before their first entry. On SQLite,
one table, old entries are deleted.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.logging import get_logger
from intake.context import Context
from intake.db import access_log

log = get_logger("regiepunt.intake.access_log")

PARTITION = re.compile(r"^access_log_y(\d{4})m(\d{2})$")
MONTHS_AHEAD = 2
# Built once: every round of the workers runs it on SQLite.
_DELETE_BEFORE = sa.delete(access_log).where(access_log.c.at < sa.bindparam("cutoff"))


def retention_cutoff(now: datetime, years: int) -> datetime:
    """Entries before this moment are past the retention."""
    day = min(now.day, 28) if now.month == 2 else now.day
    return now.replace(year=now.year - years, day=day)


def month_start(year: int, month: int) -> datetime:
    return datetime(year + (month - 1) // 12, (month - 1) % 12 + 1, 1, tzinfo=UTC)


def partition_name(month: date | datetime) -> str:
    return f"access_log_y{month.year:04d}m{month.month:02d}"


async def keep_access_log(ctx: Context) -> int:
    """Remove what is past the retention and prepare the months ahead; how many partitions were
    dropped (PostgreSQL) or entries deleted (SQLite)."""
    now = ctx.now()
    cutoff = retention_cutoff(now, ctx.settings.access_log_retention_years)
    async with ctx.database.transaction() as session:
        if session.get_bind().dialect.name != "postgresql":
            result = await session.execute(_DELETE_BEFORE, {"cutoff": cutoff})
            return int(getattr(result, "rowcount", 0) or 0)
        if not await _partitioned(session):
            return 0
        await _create_months_ahead(session, now)
        return await _drop_months_before(session, cutoff)


async def _partitioned(session: AsyncSession) -> bool:
    kind = await session.scalar(sa.text("SELECT relkind::text FROM pg_class WHERE relname = 'access_log'"))
    return bool(kind == "p")


async def _partitions(session: AsyncSession) -> list[str]:
    rows = await session.execute(
        sa.text(
            "SELECT child.relname FROM pg_inherits "
            "JOIN pg_class child ON child.oid = pg_inherits.inhrelid "
            "JOIN pg_class parent ON parent.oid = pg_inherits.inhparent "
            "WHERE parent.relname = 'access_log'"
        )
    )
    return [str(name) for name in rows.scalars()]


async def _create_months_ahead(session: AsyncSession, now: datetime) -> None:
    existing = set(await _partitions(session))
    for offset in range(MONTHS_AHEAD + 1):
        start = month_start(now.year, now.month + offset)
        end = month_start(start.year, start.month + 1)
        name = partition_name(start)
        if name in existing:
            continue
        # Entries of that month already in the default partition would make the new partition's
        # creation fail; they stay where they are, and the month is covered by the default.
        caught = await session.scalar(
            sa.text("SELECT EXISTS (SELECT 1 FROM access_log_default WHERE at >= :start AND at < :end)"),
            {"start": start, "end": end},
        )
        if caught:
            continue
        await session.execute(
            sa.text(
                f"CREATE TABLE {name} PARTITION OF access_log "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )
        )


async def _drop_months_before(session: AsyncSession, cutoff: datetime) -> int:
    dropped = 0
    for name in await _partitions(session):
        match = PARTITION.match(name)
        if match is None:
            continue
        end = month_start(int(match[1]), int(match[2]) + 1)
        if end <= cutoff:
            await session.execute(sa.text(f'DROP TABLE "{name}"'))
            log.info("access_log_month_dropped", partition=name)
            dropped += 1
    return dropped
