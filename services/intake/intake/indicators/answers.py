"""The indicators of providers' answers and of the region's purchasing (docs/domain.md, Indicators):
declines per reason code and per provider, proposals declined as `no_free_place` (availability that
was not true), children with one-on-one supervision above the limit, and placements with providers
the region contracted. Each with its numerator and denominator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.errors import ProblemError
from common.logging import get_logger
from contracts.vocabulary import Vocabulary
from intake import clients
from intake.context import Context
from intake.db import one_on_one_hours, proposal_declines, referrals
from intake.indicators.schemas import DeclineCount, Indicator
from intake.notifications.rules import EventType
from intake.notifications.tables import notification_events

log = get_logger("regiepunt.intake.kpis")


def share(name: str, label: str, numerator: int, denominator: int) -> Indicator:
    return Indicator(
        name=name,
        label=label,
        value=round(100 * numerator / denominator, 1) if denominator else None,
        numerator=float(numerator),
        denominator=float(denominator),
        unit="percent",
    )


async def _proposals_per_provider(session: AsyncSession, start: datetime, end: datetime) -> dict[str, int]:
    """The proposals made in [start, end), per provider: every proposal is announced as a
    `referral.proposed` event with its provider, also one made again after a decline or an expiry."""
    e = notification_events.c
    rows = await session.execute(
        sa.select(e.provider_id, sa.func.count())
        .where(
            e.event_type == EventType.referral_proposed.value,
            e.created_at >= start,
            e.created_at < end,
            e.provider_id.is_not(None),
        )
        .group_by(e.provider_id)
    )
    return {str(provider_id): int(count) for provider_id, count in rows.all()}


async def decline_counts(session: AsyncSession, start: datetime, end: datetime) -> list[DeclineCount]:
    """The declines recorded in [start, end), per provider and reason code."""
    d = proposal_declines.c
    rows = await session.execute(
        sa.select(d.provider_id, d.reason_code, sa.func.count())
        .where(d.created_at >= start, d.created_at < end)
        .group_by(d.provider_id, d.reason_code)
        .order_by(d.provider_id, d.reason_code)
    )
    return [DeclineCount(provider_id=p, reason_code=code, declines=int(n)) for p, code, n in rows.all()]


async def decline_indicators(
    session: AsyncSession, vocabulary: Vocabulary, start: datetime, end: datetime, names: dict[str, str]
) -> tuple[list[Indicator], list[DeclineCount]]:
    """`names`: the providers' names by id, for the labels (the id stands in for a name not known)."""
    counts = await decline_counts(session, start, end)
    proposals = await _proposals_per_provider(session, start, end)
    declined = sum(c.declines for c in counts)
    per_code: dict[str, int] = {}
    per_provider: dict[str, int] = {}
    for c in counts:
        per_code[c.reason_code] = per_code.get(c.reason_code, 0) + c.declines
        per_provider[c.provider_id] = per_provider.get(c.provider_id, 0) + c.declines
    no_free_place = per_code.get("no_free_place", 0)
    indicators = [
        share(
            "proposals_declined_no_free_place",
            "Proposals declined in the period as no free place after all (availability that was not true), "
            "against the proposals made in the period",
            no_free_place,
            sum(proposals.values()),
        )
    ]
    indicators += [
        share(
            f"declines_reason_{term.code}",
            f"Declines in the period with reason {term.code} ({term.en}), against all declines in the period",
            per_code.get(term.code, 0),
            declined,
        )
        for term in vocabulary.decline_reasons
    ]
    indicators += [
        share(
            f"declines_provider_{provider_id}",
            f"Proposals to {names.get(provider_id, f'provider {provider_id}')} declined in the period, "
            "against the proposals made to it",
            per_provider.get(provider_id, 0),
            proposals.get(provider_id, 0),
        )
        for provider_id in sorted(set(per_provider) | set(proposals))
    ]
    return indicators, counts


@dataclass(frozen=True)
class PeriodFigures:
    """What these indicators divide by, counted already with the stay indicators (intake.indicators.kpis):
    the stays begun in the period whose provider's contract was known when the child was placed, those
    with a contracted provider, and the children in care during the period."""

    contract_known: int
    contracted: int
    children_in_care: int


async def one_on_one_above_limit(
    session: AsyncSession, date_from: date, date_to: date, limit_hours: float, children_in_care: int
) -> Indicator:
    """Children in care during the period who had at least one ISO week touching the period with more
    than `limit_hours` of one-on-one supervision, against the children in care during the period (a
    child counts once, however many stays or weeks)."""
    r, h = referrals.c, one_on_one_hours.c
    in_care = sa.and_(
        r.start_date.is_not(None),
        r.start_date <= date_to,
        sa.or_(r.end_date.is_(None), r.end_date >= date_from),
    )
    # Read from the recorded weeks, a few per child, each joined to its stay.
    above = await session.scalar(
        sa.select(sa.func.count(sa.distinct(r.client_key)))
        .select_from(one_on_one_hours.join(referrals, h.referral_id == r.id))
        .where(
            in_care,
            h.week_start >= date_from - timedelta(days=6),
            h.week_start <= date_to,
            h.hours > limit_hours,
        )
    )
    limit = f"{limit_hours:g}"
    return share(
        "one_on_one_above_limit",
        f"Children in care in the period with more than {limit} hours of one-on-one supervision in at least "
        f"one week of the period, against all children in care in the period",
        int(above or 0),
        children_in_care,
    )


def placed_with_contracted_providers(figures: PeriodFigures) -> Indicator:
    """Stays begun in the period with a provider the region contracted, against the stays begun in the
    period whose provider's contract was known when the child was placed."""
    return share(
        "placed_with_contracted_providers",
        "Stays begun in the period with a provider contracted by the region",
        figures.contracted,
        figures.contract_known,
    )


async def _provider_names(ctx: Context) -> dict[str, str]:
    """The labels name providers where capacity answers; the figures do not wait for it."""
    try:
        return await clients.provider_names(ctx.capacity)
    except ProblemError as exc:
        log.warning("provider_names_unavailable", error=exc.detail)
        return {}


async def answer_indicators(
    session: AsyncSession, ctx: Context, date_from: date, date_to: date, figures: PeriodFigures
) -> tuple[list[Indicator], list[DeclineCount]]:
    """Beside the share placed inside the region, the share with contracted providers; then one-on-one
    supervision and the providers' declines, with the declines per provider and reason code. Moments
    are compared against the half-open day range [from 00:00, to + 1 day 00:00) UTC."""
    start = datetime.combine(date_from, time.min, tzinfo=UTC)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=UTC)
    found = [
        placed_with_contracted_providers(figures),
        await one_on_one_above_limit(
            session, date_from, date_to, ctx.settings.one_on_one_hours, figures.children_in_care
        ),
    ]
    declines, counts = await decline_indicators(session, ctx.vocabulary, start, end, await _provider_names(ctx))
    return found + declines, counts
