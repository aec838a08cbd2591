"""Signals whose condition has gone: the sweep that sets `resolved_at` (signals.rules.condition_holds
over every live signal), run by the workers and before every read of the signal list."""

from __future__ import annotations

import sqlalchemy as sa

from intake.context import Context
from intake.db import LIVE_CONDITIONS, referrals, signals
from intake.signals.rules import condition_holds, related_referral_ids

_STAY_COLUMNS = (
    referrals.c.id,
    referrals.c.status,
    referrals.c.crisis_end_date,
    referrals.c.end_date,
    referrals.c.court_authorisation_valid_until,
)
# Enough ids for one IN (...) on every database, well under SQLite's limit of bound parameters.
_CHUNK = 500
# Built once: every round of the workers and every read of the signals runs them. The live signals'
# condition is the index's predicate word for word, its types written in the statement: with them
# bound as parameters, a generic plan cannot know that the partial index answers it.
_LIVE = sa.select(signals.c.id, signals.c.type, signals.c.referral_id, signals.c.detail).where(sa.text(LIVE_CONDITIONS))
_STAYS = sa.select(*_STAY_COLUMNS).where(referrals.c.id.in_(sa.bindparam("ids", expanding=True)))
_RESOLVE = sa.update(signals).where(
    signals.c.id.in_(sa.bindparam("ids", expanding=True)), signals.c.resolved_at.is_(None)
)


async def resolve_signals(ctx: Context) -> int:
    """Set `resolved_at` on every live signal whose condition no longer holds. Live signals are few
    (tens to hundreds, not the history), so the rule runs here rather than in SQL. Idempotent and safe
    in several replicas at once: the update touches only signals still live. Returns how many were resolved."""
    today, now = ctx.today(), ctx.now()
    settings = ctx.settings
    async with ctx.database.read() as session:
        live = (await session.execute(_LIVE)).all()
        wanted = sorted(
            {related for row in live for related in related_referral_ids(row.type, row.referral_id, row.detail or {})}
        )
        stays: dict[str, sa.RowMapping] = {}
        for start in range(0, len(wanted), _CHUNK):
            found = await session.execute(_STAYS, {"ids": wanted[start : start + _CHUNK]})
            stays.update({row["id"]: row for row in found.mappings()})
    gone = [
        row.id
        for row in live
        if not condition_holds(
            row.type,
            row.referral_id,
            row.detail or {},
            stays,
            today,
            authorisation_warning_days=settings.authorisation_warning_days,
            repeated_window_days=settings.repeated_placements_window_days,
            repeated_min_stays=settings.repeated_placements_min_stays,
        )
    ]
    if not gone:
        return 0
    resolved = 0
    async with ctx.database.transaction() as session:
        for start in range(0, len(gone), _CHUNK):
            result = await session.execute(_RESOLVE, {"ids": gone[start : start + _CHUNK], "resolved_at": now})
            resolved += int(result.rowcount or 0)  # type: ignore[attr-defined]
    return resolved


async def bring_up_to_date(ctx: Context) -> None:
    """The signals as of this moment: the time-driven ones that came due opened, those whose condition
    has gone resolved. Every read of the signals and the indicators runs this first."""
    from intake.signals.authorisations import evaluate_authorisations
    from intake.signals.store import evaluate_crisis_caps

    await evaluate_crisis_caps(ctx)
    await evaluate_authorisations(ctx)
    await resolve_signals(ctx)
