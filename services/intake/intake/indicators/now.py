"""The indicators of this moment, whatever the period: the children waiting now, the crisis stays now,
the open signals and the occupancy of the places (from capacity)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import ProblemError
from common.logging import get_logger
from contracts.vocabulary import CareType
from intake import clients
from intake.context import Context
from intake.db import referrals, signals
from intake.domain import WITHOUT_PLACE, Status
from intake.indicators.schemas import CrisisStay, Indicator, count, ratio
from intake.indicators.sql import Dialect, median
from intake.signals.rules import SignalStatus, SignalType

log = get_logger("regiepunt.intake.kpis")


async def waiting_indicators(session: AsyncSession, sql: Dialect, today: date) -> list[Indicator]:
    r = referrals.c
    waiting = int(await session.scalar(sa.select(sa.func.count()).where(r.status.in_(WITHOUT_PLACE))) or 0)
    waited = sql.days_between(sa.literal(today, sa.Date), sql.day_of(r.created_at))
    median_waiting = await median(session, sa.select(waited).where(r.status.in_(WITHOUT_PLACE)))
    return [
        count("children_waiting", "Children waiting now without a place (not proposed, not placed)", waiting),
        Indicator(
            name="median_waiting_days",
            label="Median days the children waiting now have waited",
            value=median_waiting,
            numerator=None,
            denominator=float(waiting),
            unit="days",
        ),
    ]


async def crisis(session: AsyncSession, sql: Dialect, today: date) -> tuple[list[Indicator], list[CrisisStay]]:
    r = referrals.c
    in_crisis = sa.and_(r.status == Status.placed.value, r.crisis_end_date.is_not(None))
    days_left = sql.days_between(r.crisis_end_date, sa.literal(today, sa.Date))
    in_crisis_now, total_left, past_cap = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.sum(days_left), sa.func.sum(sa.case((days_left < 0, 1), else_=0))).where(
                in_crisis
            )
        )
    ).one()
    stays = (
        await session.execute(
            sa.select(r.id, r.placement_provider_id, r.start_date, r.crisis_end_date)
            .where(in_crisis)
            .order_by(r.crisis_end_date, r.id)
        )
    ).all()
    listed = [
        CrisisStay(
            referral_id=referral_id,
            provider_id=provider_id,
            start_date=sql.as_date(start),
            crisis_end_date=sql.as_date(end),
            crisis_days_left=(sql.as_date(end) - today).days,
        )
        for referral_id, provider_id, start, end in stays
    ]
    indicators = [
        count("crisis_stays", "Crisis stays now", int(in_crisis_now or 0)),
        ratio("crisis_average_days_left", "Average days left before the crisis cap", total_left, in_crisis_now, "days"),
        ratio("crisis_stays_past_cap", "Crisis stays past their cap now", past_cap, in_crisis_now, "percent"),
    ]
    return indicators, listed


async def signal_indicators(session: AsyncSession) -> list[Indicator]:
    counts: dict[str, int] = dict(
        (
            await session.execute(
                sa.select(signals.c.type, sa.func.count())
                .where(signals.c.status == SignalStatus.open.value, signals.c.resolved_at.is_(None))
                .group_by(signals.c.type)
            )
        ).all()
    )
    return [
        count(
            f"open_signals_{signal_type.value}",
            f"Open signals whose condition still holds: {signal_type.value}",
            int(counts.get(signal_type.value, 0)),
        )
        for signal_type in SignalType
    ]


async def occupancy(ctx: Context) -> list[Indicator]:
    """Occupied places against capacity per care type, from capacity's summary."""
    try:
        rows = await clients.availability_summary(ctx.capacity)
    except ProblemError as exc:
        log.warning("occupancy_unavailable", error=exc.detail)
        return [
            Indicator(
                name=f"occupancy_{care_type.value}",
                label=f"Occupancy of {care_type.value} places (capacity cannot be reached)",
                value=None,
                numerator=None,
                denominator=None,
                unit="percent",
            )
            for care_type in CareType
        ]
    totals: dict[str, list[int]] = {care_type.value: [0, 0] for care_type in CareType}
    for row in rows:
        occupied_capacity = totals.setdefault(row.care_type, [0, 0])
        occupied_capacity[0] += row.occupied
        occupied_capacity[1] += row.capacity
    return [
        ratio(f"occupancy_{care_type}", f"Occupied {care_type} places against capacity", occupied, capacity, "percent")
        for care_type, (occupied, capacity) in totals.items()
    ]
