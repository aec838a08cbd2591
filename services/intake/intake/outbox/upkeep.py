"""The outboxes over time: how far behind they are (metrics), and their done rows deleted after a week."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from fastapi import FastAPI

from common.clock import as_utc
from intake.context import Context
from intake.db import capacity_commands, match_requests, referrals
from intake.domain import Status

OUTBOXES = {"match_requests": match_requests, "capacity_commands": capacity_commands}
# Built once: every round of the workers runs them.
_FORGET_DONE = [
    sa.delete(table).where(
        table.c.done_at.is_not(None), table.c.done_at < sa.bindparam("before", type_=table.c.done_at.type)
    )
    for table in OUTBOXES.values()
]


async def forget_done_outbox_rows(ctx: Context) -> int:
    """Delete the outbox rows done longer ago than the retention (REGIEPUNT_OUTBOX_DONE_RETENTION_DAYS):
    they only said that a call was made."""
    before = ctx.now() - timedelta(days=ctx.settings.outbox_done_retention_days)
    deleted = 0
    async with ctx.database.transaction() as session:
        for forget in _FORGET_DONE:
            result = await session.execute(forget, {"before": before})
            deleted += int(getattr(result, "rowcount", 0) or 0)
    return deleted


def measure_outboxes(app: FastAPI) -> None:
    """Gauges read at each scrape: rows waiting in each outbox and the age of the oldest, and the
    proposals that lapse within the notice time without an answer."""
    metrics = app.state.metrics
    backlog = metrics.gauge("regiepunt_outbox_backlog", "Outbox rows not yet done.", ("outbox",))
    oldest = metrics.gauge(
        "regiepunt_outbox_oldest_age_seconds", "Age of the oldest outbox row not yet done (0 when none).", ("outbox",)
    )
    expiring = metrics.gauge(
        "regiepunt_proposals_expiring_soon",
        "Proposals still unanswered that lapse within REGIEPUNT_PROPOSAL_EXPIRING_NOTICE_MINUTES.",
    )

    async def refresh() -> None:
        ctx = Context.of(app)
        now = ctx.now()
        async with ctx.database.read() as session:
            for name, table in OUTBOXES.items():
                count, first = (
                    await session.execute(
                        sa.select(sa.func.count(), sa.func.min(table.c.created_at)).where(table.c.done_at.is_(None))
                    )
                ).one()
                backlog.labels(metrics.service, name).set(count)
                age = (now - as_utc(first)).total_seconds() if first is not None else 0.0
                oldest.labels(metrics.service, name).set(max(age, 0.0))
            soon = now + timedelta(minutes=ctx.settings.proposal_expiring_notice_minutes)
            expiring_count = await session.scalar(
                sa.select(sa.func.count()).where(
                    referrals.c.status == Status.proposed, referrals.c.proposal_expires_at <= soon
                )
            )
        expiring.labels(metrics.service).set(expiring_count or 0)

    metrics.on_scrape(refresh)
