"""Signals in the database: opening one once per condition, the crisis cap's SQL twin that finds
the due ones over every child (signals.rules.crisis_cap), and the open signals shown on referrals."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.db import insert_or_skip
from intake.context import Context, Row
from intake.db import referrals, signals
from intake.domain import WAITING, Status
from intake.notifications import events as notification_events
from intake.schemas import SignalOut
from intake.signals.rules import CRISIS_CAP_TYPES, SignalStatus, SignalType, condition_key, crisis_cap

# Built once: a signal of the same condition made live again.
_LIVE_AGAIN = (
    sa.update(signals)
    .where(signals.c.open_key == sa.bindparam("for_open_key"), signals.c.resolved_at.is_not(None))
    .values(resolved_at=None)
)


async def open_signal(
    session: AsyncSession,
    signal_type: SignalType,
    *,
    referral_id: str,
    client_key: str,
    scope: str,
    detail: dict[str, Any],
    now: datetime,
) -> bool:
    """Open a signal unless the same condition is open already. The unique open_key decides, so two
    writers racing on the same condition end with one signal and neither fails. True when opened."""
    key = condition_key(signal_type, client_key, scope)
    signal_id = str(uuid.uuid4())
    values = {
        "id": signal_id,
        "type": signal_type.value,
        "status": SignalStatus.open.value,
        "referral_id": referral_id,
        "client_key": client_key,
        "condition_key": key,
        "open_key": key,
        "detail": detail,
        "created_at": now,
    }
    result = await session.execute(insert_or_skip(session, signals, "open_key"), values)
    opened = bool(result.rowcount == 1)  # type: ignore[attr-defined]
    if opened:
        await notification_events.on_signal_opened(session, signal_id, signal_type.value, now)
    else:
        # The same condition again while its signal is still open (a child unmatched once more after a
        # proposal fell through): it holds again, so the signal is live again.
        await session.execute(_LIVE_AGAIN, {"for_open_key": key})
    return opened


def day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _crisis_condition_key(signal_type: SignalType) -> sa.ColumnElement[str]:
    """condition_key() of a crisis-cap signal, spelled in SQL so that the database finds the due ones."""
    r = referrals.c
    return sa.literal(f"{signal_type.value}:") + r.client_key + ":" + r.id + ":" + sa.cast(r.crisis_end_date, sa.String)


def _not_raised(signal_type: SignalType) -> sa.ColumnElement[bool]:
    # A condition once raised is not raised again, also after it was acknowledged.
    return ~sa.exists().where(signals.c.condition_key == _crisis_condition_key(signal_type))


def _due_crisis_caps() -> tuple[sa.Select[Any], sa.Select[Any]]:
    """The crisis stays past their cap, and those whose cap comes within the warning days (`today`
    and `horizon` bound) while no follow-up waits for the child."""
    r = referrals.c
    columns = (r.id, r.client_key, r.crisis_end_date, r.start_date, r.placement_provider_id)
    in_crisis = sa.and_(r.status == Status.placed.value, r.crisis_end_date.is_not(None))
    follow_up = referrals.alias("follow_up")
    has_follow_up = sa.exists().where(follow_up.c.client_key == r.client_key, follow_up.c.status.in_(WAITING))
    today = sa.bindparam("today", type_=r.crisis_end_date.type)
    exceeded = sa.select(*columns).where(
        in_crisis, r.crisis_end_date < today, _not_raised(SignalType.crisis_cap_exceeded)
    )
    approaching = sa.select(*columns).where(
        in_crisis,
        r.crisis_end_date >= today,
        r.crisis_end_date <= sa.bindparam("horizon", type_=r.crisis_end_date.type),
        ~has_follow_up,
        _not_raised(SignalType.crisis_cap_approaching),
    )
    return exceeded, approaching


# Built once: the workers and every read of the signals run them.
_CAP_EXCEEDED, _CAP_APPROACHING = _due_crisis_caps()


async def evaluate_crisis_caps(ctx: Context) -> int:
    """Open the time-driven signals of the crisis cap that are due now: signals.rules.crisis_cap over
    every crisis stay, spelled in SQL. Safe to run in several replicas and from several requests at
    once. Returns how many were opened."""
    today, now = ctx.today(), ctx.now()
    warning_days = ctx.settings.crisis_warning_days
    horizon = today + timedelta(days=warning_days)
    async with ctx.database.read() as session:
        exceeded = (await session.execute(_CAP_EXCEEDED, {"today": today})).mappings()
        due = [(SignalType.crisis_cap_exceeded, row) for row in exceeded]
        approaching = (await session.execute(_CAP_APPROACHING, {"today": today, "horizon": horizon})).mappings()
        due += [(SignalType.crisis_cap_approaching, row) for row in approaching]
    if not due:
        return 0
    opened = 0
    async with ctx.database.transaction() as session:
        for signal_type, row in due:
            opened += await open_signal(
                session,
                signal_type,
                referral_id=row["id"],
                client_key=row["client_key"],
                scope=f"{row['id']}:{row['crisis_end_date'].isoformat()}",
                detail={
                    "provider_id": row["placement_provider_id"],
                    "start_date": day(row["start_date"]),
                    "crisis_end_date": day(row["crisis_end_date"]),
                    "crisis_days_left": crisis_cap(row["crisis_end_date"], today, warning_days).days_left,
                },
                now=now,
            )
    return opened


def render(row: Row, *, show_client_key: bool = True, crisis_days_left: int | None = None) -> SignalOut:
    """A signal as the API answers it; `crisis_days_left` is the live figure of the stay it is about
    (None unless that is a crisis stay still running), not the one stored in its detail when raised."""
    return SignalOut(
        id=row["id"],
        type=row["type"],
        status=row["status"],
        referral_id=row["referral_id"],
        client_key=row["client_key"] if show_client_key else None,
        created_at=as_utc(row["created_at"]),
        detail=dict(row["detail"] or {}),
        analysis=row["analysis"],
        acknowledged_by=row["acknowledged_by"],
        acknowledged_at=as_utc(row["acknowledged_at"]) if row["acknowledged_at"] is not None else None,
        resolved_at=as_utc(row["resolved_at"]) if row["resolved_at"] is not None else None,
        crisis_days_left=crisis_days_left,
    )


def _open_about(column: sa.Column[str]) -> sa.Select[Any]:
    about = column.in_(sa.bindparam("about", expanding=True))
    return (
        sa.select(signals)
        .where(signals.c.status == SignalStatus.open.value, about)
        .order_by(signals.c.created_at, signals.c.id)
    )


# Built once, keyed by whether a coordinator reads (about the child) or not (about the referral):
# every list of referrals shows them.
_OPEN_ABOUT = {True: _open_about(signals.c.client_key), False: _open_about(signals.c.referral_id)}


async def open_signals_about(
    session: AsyncSession, principal: Principal, rows: list[Row]
) -> dict[str, list[SignalOut]]:
    """The open signals to show on each referral: a coordinator sees every open signal about the
    child; a referrer or provider only those raised about that referral."""
    if not rows:
        return {}
    coordinator = principal.role in ("coordinator", "service")
    if coordinator:
        about = {"about": list({row["client_key"] for row in rows})}
    else:
        about = {"about": [row["id"] for row in rows]}
    found = (await session.execute(_OPEN_ABOUT[coordinator], about)).mappings().all()
    shown: dict[str, list[SignalOut]] = {}
    for row in rows:
        shown[row["id"]] = [
            render(signal, show_client_key=coordinator)
            for signal in found
            if (signal["client_key"] == row["client_key"] if coordinator else signal["referral_id"] == row["id"])
        ]
    return shown


@dataclass(frozen=True)
class SignalCounts:
    """The overview's counts of signals, each by one definition (docs/domain.md, "What the overview counts"):

    - `live[type]`: signals whose condition holds now (`resolved_at` null), acknowledged or not; for
      the crisis-cap types the number of running crisis stays with such a signal, so that "past the
      cap" here and in the crisis stays is one number;
    - `open[type]`: signals that await a coordinator's analysis (status open), live or resolved;
    - `crisis[referral id]`: the live crisis-cap signal of each running crisis stay, the most severe
      (exceeded before approaching): what the crisis stays section marks."""

    live: dict[str, int]
    open: dict[str, int]
    crisis: dict[str, str]


async def signal_counts(session: AsyncSession) -> SignalCounts:
    """The overview's counts, read in one transaction from the signals as they are (bring them up to
    date first: signals.resolution.bring_up_to_date)."""
    s, r = signals.c, referrals.c
    live = s.resolved_at.is_(None)
    crisis_rows = (
        await session.execute(
            sa.select(s.referral_id, s.type)
            .select_from(signals.join(referrals, r.id == s.referral_id))
            .where(
                live,
                s.type.in_([kind.value for kind in CRISIS_CAP_TYPES]),
                r.status == Status.placed.value,
                r.crisis_end_date.is_not(None),
            )
        )
    ).all()
    crisis: dict[str, str] = {}
    for referral_id, signal_type in crisis_rows:
        if crisis.get(referral_id) != SignalType.crisis_cap_exceeded.value:
            crisis[referral_id] = signal_type
    per_type: dict[str, int] = dict(
        (
            await session.execute(
                sa.select(s.type, sa.func.count())
                .where(live, s.type.not_in([kind.value for kind in CRISIS_CAP_TYPES]))
                .group_by(s.type)
            )
        ).all()
    )
    for kind in CRISIS_CAP_TYPES:
        per_type[kind.value] = sum(1 for signal_type in crisis.values() if signal_type == kind.value)
    awaiting: dict[str, int] = dict(
        (
            await session.execute(
                sa.select(s.type, sa.func.count()).where(s.status == SignalStatus.open.value).group_by(s.type)
            )
        ).all()
    )
    every = [kind.value for kind in SignalType]
    return SignalCounts(
        live={kind: int(per_type.get(kind, 0)) for kind in every},
        open={kind: int(awaiting.get(kind, 0)) for kind in every},
        crisis=crisis,
    )
