"""Signals: the coordinator's tasks about a child — the crisis cap, onward placements, stacking, and
the rest of API.md's types. Event-driven signals open in the transaction of their event; time-driven
ones (the crisis cap) are evaluated on every read of the list and by the background sweep."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.db import insert_or_skip
from common.errors import Conflict, Forbidden, NotFound
from intake.context import Context
from intake.db import access_log, referrals, signals
from intake.domain import Status
from intake.schemas import SignalOut, SignalPage
from intake.settings import IntakeSettings

Row = sa.RowMapping


class SignalType(StrEnum):
    crisis_cap_approaching = "crisis_cap_approaching"
    crisis_cap_exceeded = "crisis_cap_exceeded"
    onward_placement = "onward_placement"
    repeated_placements = "repeated_placements"
    placement_breakdown = "placement_breakdown"
    placement_at_risk = "placement_at_risk"
    out_of_region = "out_of_region"
    unmatched = "unmatched"
    stacking = "stacking"


class SignalStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"


CRISIS_CAP_TYPES = (SignalType.crisis_cap_approaching, SignalType.crisis_cap_exceeded)
# Statuses of a referral that is still looking for a place: for a child in crisis, its follow-up.
WAITING = (Status.pending.value, Status.proposed.value, Status.unmatched.value)
# Free-text fields of a signal's detail; they stay out of exports (they may name the child).
FREE_TEXT_DETAIL = ("reason", "notes", "note")


class SignalAlreadyAcknowledged(Conflict):
    """An acknowledged signal keeps its first analysis."""


def condition_key(signal_type: SignalType, client_key: str, scope: str) -> str:
    """What makes two signals "the same condition": the type, the child, and what about the child."""
    return f"{signal_type.value}:{client_key}:{scope}"


# --- opening ---------------------------------------------------------------------------------------


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
    values = {
        "id": str(uuid.uuid4()),
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
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


async def on_referral_submitted(session: AsyncSession, row: Row, recent_stays: Iterable[Row], now: datetime) -> None:
    """A new referral for a child who is still placed: the child is about to move on. `recent_stays` are
    the child's other current or recent stays, as the submission read them."""
    for stay in recent_stays:
        if stay["status"] != Status.placed:
            continue
        await open_signal(
            session,
            SignalType.onward_placement,
            referral_id=row["id"],
            client_key=row["client_key"],
            scope=stay["id"],
            detail={
                "current_referral_id": stay["id"],
                "current_provider_id": stay["placement_provider_id"],
                "current_unit_id": stay["placement_unit_id"],
                "current_care_type": stay["care_type"],
                "current_start_date": _day(stay["start_date"]),
                "new_care_type": row["care_type"],
                "reason": row["notes"],
            },
            now=now,
        )


async def on_unmatched(session: AsyncSession, row: Row, reasons: list[str], now: datetime) -> None:
    """No place found: the joint duty of the strategic and tactical partners begins."""
    await open_signal(
        session,
        SignalType.unmatched,
        referral_id=row["id"],
        client_key=row["client_key"],
        scope=row["id"],
        detail={"care_type": row["care_type"], "target_group": row["target_group"], "reasons": reasons},
        now=now,
    )


async def on_placed(session: AsyncSession, settings: IntakeSettings, stay: Row, today: date, now: datetime) -> None:
    """A stay began: outside the region, overlapping another stay, or after a year of crisis days."""
    if stay["placement_in_region"] is False:
        await open_signal(
            session,
            SignalType.out_of_region,
            referral_id=stay["id"],
            client_key=stay["client_key"],
            scope=stay["id"],
            detail={
                "provider_id": stay["placement_provider_id"],
                "unit_id": stay["placement_unit_id"],
                "criterion": stay["out_of_region_criterion"],
            },
            now=now,
        )
    others = (
        (
            await session.execute(
                sa.select(referrals).where(
                    referrals.c.client_key == stay["client_key"],
                    referrals.c.id != stay["id"],
                    referrals.c.start_date.is_not(None),
                    referrals.c.status.in_((Status.placed.value, Status.ended.value)),
                )
            )
        )
        .mappings()
        .all()
    )
    for other in others:
        # The new stay has no end yet, so it overlaps every stay that had not ended when it began.
        if other["end_date"] is None or other["end_date"] > stay["start_date"]:
            pair = sorted((stay["id"], other["id"]))
            await open_signal(
                session,
                SignalType.stacking,
                referral_id=stay["id"],
                client_key=stay["client_key"],
                scope=":".join(pair),
                detail={
                    "provider_id": stay["placement_provider_id"],
                    "start_date": _day(stay["start_date"]),
                    "other_referral_id": other["id"],
                    "other_provider_id": other["placement_provider_id"],
                    "other_start_date": _day(other["start_date"]),
                    "other_end_date": _day(other["end_date"]),
                },
                now=now,
            )
    if stay["crisis_end_date"] is not None:
        await _check_earlier_crisis_days(session, settings, stay, others, today, now)


async def _check_earlier_crisis_days(
    session: AsyncSession, settings: IntakeSettings, stay: Row, others: Iterable[Row], today: date, now: datetime
) -> None:
    """A child in crisis is never refused because of earlier crisis days; past the cap, a signal."""
    since = stay["start_date"] - timedelta(days=settings.crisis_history_days)
    earlier = 0
    for other in others:
        if other["crisis_end_date"] is None or other["start_date"] >= stay["start_date"]:
            continue
        last = min(other["end_date"] or today, stay["start_date"])
        first = max(other["start_date"], since)
        earlier += max((last - first).days, 0)
    if earlier >= settings.crisis_cap_days:
        await open_signal(
            session,
            SignalType.crisis_cap_exceeded,
            referral_id=stay["id"],
            client_key=stay["client_key"],
            scope=f"history:{stay['id']}",
            detail={
                "earlier_crisis_days": earlier,
                "window_days": settings.crisis_history_days,
                "cap_days": settings.crisis_cap_days,
                "crisis_end_date": _day(stay["crisis_end_date"]),
            },
            now=now,
        )


async def on_stay_ended(session: AsyncSession, settings: IntakeSettings, stay: Row, today: date, now: datetime) -> None:
    """A stay ended: in a breakdown, or as one of too many stays in a year."""
    if stay["end_reason"] == "breakdown":
        await open_signal(
            session,
            SignalType.placement_breakdown,
            referral_id=stay["id"],
            client_key=stay["client_key"],
            scope=stay["id"],
            detail={
                "provider_id": stay["placement_provider_id"],
                "care_type": stay["care_type"],
                "start_date": _day(stay["start_date"]),
                "end_date": _day(stay["end_date"]),
            },
            now=now,
        )
    since = today - timedelta(days=settings.repeated_placements_window_days)
    ended = list(
        (
            await session.execute(
                sa.select(referrals.c.id)
                .where(
                    referrals.c.client_key == stay["client_key"],
                    referrals.c.status == Status.ended.value,
                    referrals.c.end_date >= since,
                )
                .order_by(referrals.c.end_date, referrals.c.id)
            )
        ).scalars()
    )
    if len(ended) >= settings.repeated_placements_min_stays:
        await open_signal(
            session,
            SignalType.repeated_placements,
            referral_id=stay["id"],
            client_key=stay["client_key"],
            scope="",
            detail={
                "ended_stays": len(ended),
                "window_days": settings.repeated_placements_window_days,
                "referral_ids": ended,
            },
            now=now,
        )


async def on_crisis_extended(
    session: AsyncSession, principal: Principal, stay: Row, days: int, reason: str, new_end: date, now: datetime
) -> None:
    """The coordinator moved the cap: the warnings about the old date are answered by the extension's
    reason. A new warning opens when the new date comes near."""
    keys = [
        condition_key(signal_type, stay["client_key"], f"{stay['id']}:{stay['crisis_end_date'].isoformat()}")
        for signal_type in CRISIS_CAP_TYPES
    ]
    await session.execute(
        sa.update(signals)
        .where(signals.c.open_key.in_(keys))
        .values(
            status=SignalStatus.acknowledged.value,
            open_key=None,
            analysis=f"Crisis stay extended by {days} days to {new_end.isoformat()}: {reason}",
            acknowledged_by=principal.sub,
            acknowledged_at=now,
        )
    )


def _crisis_condition_key(signal_type: SignalType) -> sa.ColumnElement[str]:
    """condition_key() of a crisis-cap signal, spelled in SQL so that the database finds the due ones."""
    r = referrals.c
    return sa.literal(f"{signal_type.value}:") + r.client_key + ":" + r.id + ":" + sa.cast(r.crisis_end_date, sa.String)


def _not_raised(signal_type: SignalType) -> sa.ColumnElement[bool]:
    # A condition once raised is not raised again, also after it was acknowledged.
    return ~sa.exists().where(signals.c.condition_key == _crisis_condition_key(signal_type))


async def evaluate_crisis_caps(ctx: Context) -> int:
    """Open the time-driven signals of the crisis cap that are due now. Safe to run in several replicas
    and from several requests at once. Returns how many were opened."""
    today, now = ctx.today(), ctx.now()
    horizon = today + timedelta(days=ctx.settings.crisis_warning_days)
    r = referrals.c
    columns = (r.id, r.client_key, r.crisis_end_date, r.start_date, r.placement_provider_id)
    in_crisis = sa.and_(r.status == Status.placed.value, r.crisis_end_date.is_not(None))
    follow_up = referrals.alias("follow_up")
    has_follow_up = sa.exists().where(follow_up.c.client_key == r.client_key, follow_up.c.status.in_(WAITING))
    async with ctx.database.read() as session:
        exceeded = (
            await session.execute(
                sa.select(*columns).where(
                    in_crisis, r.crisis_end_date < today, _not_raised(SignalType.crisis_cap_exceeded)
                )
            )
        ).mappings()
        due = [(SignalType.crisis_cap_exceeded, row) for row in exceeded]
        approaching = (
            await session.execute(
                sa.select(*columns).where(
                    in_crisis,
                    r.crisis_end_date >= today,
                    r.crisis_end_date <= horizon,
                    ~has_follow_up,
                    _not_raised(SignalType.crisis_cap_approaching),
                )
            )
        ).mappings()
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
                    "start_date": _day(row["start_date"]),
                    "crisis_end_date": _day(row["crisis_end_date"]),
                    "crisis_days_left": (row["crisis_end_date"] - today).days,
                },
                now=now,
            )
    return opened


# --- reading and acknowledging --------------------------------------------------------------------


def render(row: Row, *, show_client_key: bool = True) -> SignalOut:
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
    )


def export_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """A signal's detail without its free text, for analysis outside the point."""
    return {key: value for key, value in (detail or {}).items() if key not in FREE_TEXT_DETAIL}


async def open_signals_about(
    session: AsyncSession, principal: Principal, rows: list[Row]
) -> dict[str, list[SignalOut]]:
    """The open signals to show on each referral: a coordinator sees every open signal about the
    child; a referrer or provider only those raised about that referral."""
    if not rows:
        return {}
    coordinator = principal.role in ("coordinator", "service")
    query = sa.select(signals).where(signals.c.status == SignalStatus.open.value)
    if coordinator:
        query = query.where(signals.c.client_key.in_({row["client_key"] for row in rows}))
    else:
        query = query.where(signals.c.referral_id.in_([row["id"] for row in rows]))
    found = (await session.execute(query.order_by(signals.c.created_at, signals.c.id))).mappings().all()
    shown: dict[str, list[SignalOut]] = {}
    for row in rows:
        shown[row["id"]] = [
            render(signal, show_client_key=coordinator)
            for signal in found
            if (signal["client_key"] == row["client_key"] if coordinator else signal["referral_id"] == row["id"])
        ]
    return shown


async def log_signal_access(
    session: AsyncSession, principal: Principal, action: str, found: Iterable[Row], now: datetime
) -> None:
    entries = [
        {
            "at": now,
            "sub": principal.sub,
            "role": principal.role,
            "org": principal.org,
            "action": action,
            "referral_id": row["referral_id"],
            "client_key": row["client_key"],
        }
        for row in found
    ]
    if entries:
        await session.execute(sa.insert(access_log), entries)


def _require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator works the signals.")


async def list_signals(
    ctx: Context,
    principal: Principal,
    *,
    type: SignalType | str | None = None,
    status: SignalStatus | str | None = None,
    limit: int = 50,
    offset: int = 0,
    caps_evaluated: bool = False,
) -> SignalPage:
    """The signals, newest first, up to date at this moment: due crisis-cap signals open first
    (`caps_evaluated` when the caller has just done that, as the indicators do)."""
    _require_coordinator(principal)
    if not caps_evaluated:
        await evaluate_crisis_caps(ctx)
    conditions = []
    if type is not None:
        conditions.append(signals.c.type == SignalType(type).value)
    if status is not None:
        conditions.append(signals.c.status == SignalStatus(status).value)
    async with ctx.database.transaction() as session:
        total = await session.scalar(sa.select(sa.func.count()).select_from(signals).where(*conditions))
        found = list(
            (
                await session.execute(
                    sa.select(signals)
                    .where(*conditions)
                    .order_by(signals.c.created_at.desc(), signals.c.id.desc())
                    .limit(limit)
                    .offset(offset)
                )
            )
            .mappings()
            .all()
        )
        await log_signal_access(session, principal, "read_signals", found, ctx.now())
    return SignalPage(items=[render(row) for row in found], total=int(total or 0), limit=limit, offset=offset)


async def acknowledge(ctx: Context, principal: Principal, signal_id: str, analysis: str) -> SignalOut:
    """Close a signal with the coordinator's explanatory analysis, keeping who and when."""
    _require_coordinator(principal)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        closed = await session.execute(
            sa.update(signals)
            .where(signals.c.id == signal_id, signals.c.status == SignalStatus.open.value)
            .values(
                status=SignalStatus.acknowledged.value,
                open_key=None,
                analysis=analysis,
                acknowledged_by=principal.sub,
                acknowledged_at=now,
            )
        )
        row = (await session.execute(sa.select(signals).where(signals.c.id == signal_id))).mappings().first()
        if row is None:
            raise NotFound(f"No signal {signal_id}.")
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            raise SignalAlreadyAcknowledged(f"Signal {signal_id} was already acknowledged by {row['acknowledged_by']}.")
        await log_signal_access(session, principal, "acknowledge_signal", [row], now)
        return render(row)
