"""The region's indicators (docs/domain.md), each computed by SQL aggregates in intake's database, with its
numerator and denominator so that the figure can be checked; occupancy comes from capacity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from common.auth import Principal
from common.errors import Forbidden, InvalidInput
from common.logging import get_logger
from intake.context import Context
from intake.db import indicator_days, referrals
from intake.indicators import answers, days, now, voice
from intake.indicators.schemas import Indicator, KpiReport, WeekFlow, ratio
from intake.indicators.sql import Dialect
from intake.signals.resolution import bring_up_to_date

log = get_logger("regiepunt.intake.kpis")


# --- the indicators -------------------------------------------------------------------------------


class _Period:
    def __init__(self, date_from: date, date_to: date) -> None:
        self.date_from = date_from
        self.date_to = date_to
        # Timestamps are compared against the half-open day range [from 00:00, to + 1 day 00:00) UTC.
        self.start = datetime.combine(date_from, time.min, tzinfo=UTC)
        self.end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)

    def holds(self, day: Any) -> ColumnElement[bool]:
        return sa.and_(day >= self.date_from, day <= self.date_to)


def median_of_counts(counts: dict[int, int]) -> float | None:
    """The median of values given as how often each occurs: the middle one, or the mean of the middle two."""
    total = sum(counts.values())
    if total == 0:
        return None
    middle = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value in sorted(counts):
        seen += counts[value]
        found += [value for position in middle if seen - counts[value] <= position < seen]
    return sum(found) / len(found)


@dataclass(frozen=True)
class _StayFigures:
    """The stay indicators; the stays ended and the referrals received per day, for the weekly flow; the
    children in care in the period and those received and heard, which other indicators divide by."""

    indicators: list[Indicator]
    ended_per_day: dict[date, int]
    received_per_day: dict[date, int]
    children_in_care: int
    received: int
    heard: int
    contract_known: int
    contracted: int


def _total(measure: str, condition: ColumnElement[bool] | None = None, column: str = "stays") -> ColumnElement[Any]:
    d = indicator_days.c
    counted = d.measure == measure if condition is None else sa.and_(d.measure == measure, condition)
    return sa.func.coalesce(sa.func.sum(sa.case((counted, d[column]), else_=0)), 0)


async def _young_adults_from_stays(
    session: AsyncSession, sql: Dialect, period: _Period, young_age: int, leave_days: int
) -> tuple[int, int]:
    """The young adults' stays begun in the period, and those that ended within `leave_days`, read from the
    stays: the per-day totals keep them only from days.YOUNGEST_YOUNG_ADULT on."""
    r = referrals.c
    # Adding years to a date is the costly part of this pass, and most children are far younger: a stay
    # is a young adult's only if it begins at least 365 days a year after the birth, a cheap test that
    # rules out nearly every row first.
    young_adult = sa.and_(
        sql.days_between(r.start_date, r.birth_date) >= 365 * young_age,
        sql.plus_years(r.birth_date, young_age) <= r.start_date,
    )
    left_soon = sa.and_(r.end_date.is_not(None), sql.days_between(r.end_date, r.start_date) <= leave_days)
    started, left = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.sum(sa.case((left_soon, 1), else_=0))).where(
                r.start_date.is_not(None), period.holds(r.start_date), young_adult
            )
        )
    ).one()
    return int(started or 0), int(left or 0)


async def _stay_indicators(
    session: AsyncSession, sql: Dialect, period: _Period, settings_follow_on: int, young_age: int, leave_days: int
) -> _StayFigures:
    # What adds up per day is read from the per-day totals (intake.indicators.days), a row per day and
    # figure whatever the history holds; the children in care and their overlapping stays are counted from
    # the stays touching the period, with what a stay needs from the child's other stays stored with it
    # (intake.indicators.stays).
    r, d = referrals.c, indicator_days.c
    in_period = period.holds(d.day)
    per_day = (
        await session.execute(
            sa.select(d.measure, d.day, sa.func.sum(d.stays))
            .where(d.measure.in_((days.ENDED, days.RECEIVED)), in_period)
            .group_by(d.measure, d.day)
        )
    ).all()
    ended_per_day = {sql.as_date(day): int(n) for measure, day, n in per_day if measure == days.ENDED}
    received_per_day = {sql.as_date(day): int(n) for measure, day, n in per_day if measure == days.RECEIVED}
    young_kept = young_age >= days.YOUNGEST_YOUNG_ADULT
    totals = (
        await session.execute(
            sa.select(
                _total(days.ENDED, column="total_days"),
                _total(days.ENDED, d.value == 1),
                _total(days.FOLLOW_ON, d.value <= settings_follow_on),
                _total(days.IN_REGION),
                _total(days.PART_TIME),
                _total(days.CONTRACTED),
                _total(days.CONTRACTED, d.value == 1),
                _total(days.RECEIVED, d.value == 1),
                _total(days.YOUNG, d.value >= young_age),
                _total(days.YOUNG, sa.and_(d.value >= young_age, d.detail >= 0, d.detail <= leave_days)),
            ).where(
                d.measure.in_(
                    (days.ENDED, days.FOLLOW_ON, days.IN_REGION, days.PART_TIME, days.CONTRACTED, days.RECEIVED)
                    + ((days.YOUNG,) if young_kept else ())
                ),
                in_period,
            )
        )
    ).one()
    total_days, foster_ended, to_residential, in_region, part_time, contract_known, contracted, heard = (
        int(n) for n in totals[:8]
    )
    if young_kept:
        young_started, young_left = int(totals[8]), int(totals[9])
    else:
        young_started, young_left = await _young_adults_from_stays(session, sql, period, young_age, leave_days)
    ended = sum(ended_per_day.values())

    # Stays begun in the period, counted per number of days from referral to start, which gives the
    # median as well as their number.
    placed_after = {
        int(value): int(n)
        for value, n in (
            await session.execute(
                sa.select(d.value, sa.func.sum(d.stays)).where(d.measure == days.STARTED, in_period).group_by(d.value)
            )
        ).all()
        if n
    }
    started = sum(placed_after.values())

    # The children in care in the period: the stays touching it (begun by its last day, not ended before
    # its first) counted at each child's first one, the one no earlier stay of the child reaches into the
    # period. The stays touching it are those running now or ended on or after its first day, less those
    # begun after its last day: two sums of the per-day totals and the stays running now, for a period
    # that ends today a year of days whatever the history holds. From them go the later stays: those an
    # earlier stay of the child reaches into the period (its `earlier_stays_end` on or after the first
    # day, read from an index on it). Among those, a child's stays overlap where one begins before the
    # latest end among the earlier ones: the children with such a stay are the stacked ones.
    ended_since, started_after = (
        await session.execute(
            sa.select(
                _total(days.ENDED, d.day >= period.date_from),
                _total(days.STARTED, d.day > period.date_to),
            ).where(
                sa.or_(
                    sa.and_(d.measure == days.ENDED, d.day >= period.date_from),
                    sa.and_(d.measure == days.STARTED, d.day > period.date_to),
                )
            )
        )
    ).one()
    running = await session.scalar(sa.select(sa.func.count()).where(r.end_date.is_(None), r.start_date.is_not(None)))
    touching = int(running or 0) + int(ended_since) - int(started_after)
    reached = sa.and_(
        r.earlier_stays_end >= period.date_from,
        r.start_date <= period.date_to,
        sa.or_(r.end_date.is_(None), r.end_date >= period.date_from),
    )
    # One read of the index range: only the overlapping stays are sorted to count their children once each.
    later, stacked = (
        await session.execute(
            sa.select(
                sa.func.count(),
                sa.func.count(sa.distinct(r.client_key)).filter(r.earlier_stays_end > r.start_date),
            ).where(reached)
        )
    ).one()
    children = touching - int(later or 0)

    indicators = [
        ratio(
            "average_length_of_stay",
            "Average length of stays that ended in the period",
            total_days,
            ended,
            "days",
        ),
        ratio(
            "placed_in_region",
            "Stays begun in the period with a provider inside the region",
            in_region,
            started,
            "percent",
        ),
        ratio("part_time", "Stays begun in the period that are part-time", part_time, started, "percent"),
        ratio(
            "foster_care_to_residential",
            f"Foster-care stays ended in the period followed within {settings_follow_on} days by residential care",
            to_residential,
            foster_ended,
            "percent",
        ),
        ratio(
            "young_adults_leaving_within_6_months",
            f"Stays of young adults ({young_age}+) begun in the period that ended within {leave_days} days",
            young_left,
            young_started,
            "percent",
        ),
        ratio(
            "stacking",
            "Children in care in the period with two overlapping stays",
            stacked,
            children,
            "percent",
        ),
        Indicator(
            name="median_days_referral_to_placement",
            label="Median days from referral to the start of a stay begun in the period",
            value=median_of_counts(placed_after),
            numerator=None,
            denominator=float(started),
            unit="days",
        ),
    ]
    received = sum(received_per_day.values())
    return _StayFigures(
        indicators,
        ended_per_day,
        received_per_day,
        int(children or 0),
        received,
        heard,
        contract_known,
        contracted,
    )


def _per_week(per_day: dict[date, int]) -> dict[date, int]:
    """Counts per day summed per ISO week, keyed by its Monday."""
    weeks: dict[date, int] = {}
    for day, number in per_day.items():
        week = day - timedelta(days=day.weekday())
        weeks[week] = weeks.get(week, 0) + number
    return weeks


def _weekly_flow(period: _Period, stay_figures: _StayFigures) -> list[WeekFlow]:
    ins = _per_week(stay_figures.received_per_day)
    outs = _per_week(stay_figures.ended_per_day)
    first = period.date_from - timedelta(days=period.date_from.weekday())
    weeks = []
    week = first
    while week <= period.date_to:
        weeks.append(WeekFlow(week_start=week, inflow=ins.get(week, 0), outflow=outs.get(week, 0)))
        week += timedelta(days=7)
    return weeks


async def compute_kpis(ctx: Context, principal: Principal, date_from: date, date_to: date) -> KpiReport:
    """Every indicator for the period [date_from, date_to]; the 'now' figures are as of today."""
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator reads the indicators.")
    if date_from > date_to:
        raise InvalidInput("from", "lies after to")
    period = _Period(date_from, date_to)
    # The open-signal counts include the time-driven signals due this moment, without those resolved.
    await bring_up_to_date(ctx)
    settings = ctx.settings
    today = ctx.today()
    async with ctx.database.read() as session:
        sql = Dialect(session.get_bind().dialect.name)
        stay_figures = await _stay_indicators(
            session, sql, period, settings.follow_on_days, settings.young_adult_age, settings.young_adult_leave_days
        )
        indicators = stay_figures.indicators
        indicators += await now.waiting_indicators(session, sql, today)
        crisis_indicators, crisis_stays = await now.crisis(session, sql, today)
        indicators += crisis_indicators
        indicators += await now.signal_indicators(session)
        indicators.append(voice.child_heard(stay_figures.received, stay_figures.heard))
        answered, declines = await answers.answer_indicators(
            session,
            ctx,
            date_from,
            date_to,
            answers.PeriodFigures(stay_figures.contract_known, stay_figures.contracted, stay_figures.children_in_care),
        )
        indicators += answered
        weekly_flow = _weekly_flow(period, stay_figures)
    indicators += await now.occupancy(ctx)
    return KpiReport(
        period_from=date_from,
        period_to=date_to,
        computed_at=ctx.now(),
        indicators=indicators,
        weekly_flow=weekly_flow,
        crisis_stays=crisis_stays,
        declines=declines,
    )
