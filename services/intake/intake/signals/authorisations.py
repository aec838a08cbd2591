"""The court authorisations of children placed in closed youth care that are about to lapse: the SQL
twin of signals.rules.authorisation_expiring over every placement, opening one signal per placement."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from intake.context import Context
from intake.db import referrals, signals
from intake.domain import Status
from intake.signals.rules import SignalType
from intake.signals.store import day, open_signal

_r = referrals.c
_COLUMNS = (
    _r.id,
    _r.client_key,
    _r.placement_provider_id,
    _r.court_authorisation_kind,
    _r.court_authorisation_valid_until,
)


def _condition_key() -> sa.ColumnElement[str]:
    """signals.rules.condition_key of the signal (type, child, the placement), spelled in SQL."""
    return sa.literal(f"{SignalType.authorisation_expiring.value}:") + _r.client_key + ":" + _r.id


# Built once: every round of the workers and every read of the signals runs it. The placements whose
# authorisation lapses by `horizon`, not raised before.
_DUE = sa.select(*_COLUMNS).where(
    _r.status == Status.placed.value,
    _r.court_authorisation_valid_until <= sa.bindparam("horizon", type_=_r.court_authorisation_valid_until.type),
    ~sa.exists().where(signals.c.condition_key == _condition_key()),
)


async def evaluate_authorisations(ctx: Context) -> int:
    """Open `authorisation_expiring` for every placement whose authorisation lapses within
    `authorisation_warning_days`, once per placement (also after it was acknowledged). Safe to run
    in several replicas at once. Returns how many were opened."""
    today, now = ctx.today(), ctx.now()
    warning_days = ctx.settings.authorisation_warning_days
    async with ctx.database.read() as session:
        due = (await session.execute(_DUE, {"horizon": today + timedelta(days=warning_days)})).mappings().all()
    if not due:
        return 0
    opened = 0
    async with ctx.database.transaction() as session:
        for row in due:
            valid_until = row["court_authorisation_valid_until"]
            opened += await open_signal(
                session,
                SignalType.authorisation_expiring,
                referral_id=row["id"],
                client_key=row["client_key"],
                scope=row["id"],
                detail={
                    "provider_id": row["placement_provider_id"],
                    "kind": row["court_authorisation_kind"],
                    "valid_until": day(valid_until),
                    "days_left": (valid_until - today).days,
                },
                now=now,
            )
    return opened
