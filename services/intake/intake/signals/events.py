"""The event-driven signals: each opens in the transaction of its event, as signals.rules decides."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from intake.context import Row
from intake.db import referrals, signals
from intake.domain import Status
from intake.settings import IntakeSettings
from intake.signals import rules
from intake.signals.rules import CRISIS_CAP_TYPES, SignalStatus, SignalType, condition_key
from intake.signals.store import day, open_signal

# Built once: every placement and every end of a stay reads the child's other stays.
_OTHER_STAYS = sa.select(referrals).where(
    referrals.c.client_key == sa.bindparam("client_key"),
    referrals.c.id != sa.bindparam("stay_id"),
    referrals.c.start_date.is_not(None),
    referrals.c.status.in_((Status.placed.value, Status.ended.value)),
)
_ENDED_STAYS = sa.select(referrals.c.id, referrals.c.status, referrals.c.end_date).where(
    referrals.c.client_key == sa.bindparam("client_key"), referrals.c.status == Status.ended.value
)


async def on_referral_submitted(session: AsyncSession, row: Row, recent_stays: Iterable[Row], now: datetime) -> None:
    """A new referral for a child who is still placed: the child is about to move on. `recent_stays` are
    the child's other current or recent stays, as the submission read them."""
    for stay in rules.onward_placement(recent_stays):
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
                "current_start_date": day(stay["start_date"]),
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
    found = await session.execute(_OTHER_STAYS, {"client_key": stay["client_key"], "stay_id": stay["id"]})
    others = found.mappings().all()
    for other in rules.stacking_pairs(stay, others):
        await open_signal(
            session,
            SignalType.stacking,
            referral_id=stay["id"],
            client_key=stay["client_key"],
            scope=rules.stacking_scope(stay["id"], other["id"]),
            detail={
                "provider_id": stay["placement_provider_id"],
                "start_date": day(stay["start_date"]),
                "other_referral_id": other["id"],
                "other_provider_id": other["placement_provider_id"],
                "other_start_date": day(other["start_date"]),
                "other_end_date": day(other["end_date"]),
            },
            now=now,
        )
    if stay["crisis_end_date"] is not None:
        await _check_earlier_crisis_days(session, settings, stay, others, today, now)


async def _check_earlier_crisis_days(
    session: AsyncSession, settings: IntakeSettings, stay: Row, others: Iterable[Row], today: date, now: datetime
) -> None:
    """A child in crisis is never refused because of earlier crisis days; past the cap, a signal."""
    earlier = rules.earlier_crisis_days(stay, others, today, settings.crisis_history_days)
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
                "crisis_end_date": day(stay["crisis_end_date"]),
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
                "start_date": day(stay["start_date"]),
                "end_date": day(stay["end_date"]),
            },
            now=now,
        )
    # The child's ended stays; the rule keeps those within its window.
    ended_stays = (await session.execute(_ENDED_STAYS, {"client_key": stay["client_key"]})).mappings().all()
    ended = rules.repeated_placements(
        ended_stays, today, settings.repeated_placements_window_days, settings.repeated_placements_min_stays
    )
    if ended:
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
            # The cap they were about has moved: their condition has gone.
            resolved_at=now,
        )
    )
