"""What the dashboard shows, gathered through intake's own use cases (which check the role and write
the access log) and capacity's summary; the templates only lay it out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from common.auth import Principal
from common.errors import InvalidInput, ProblemError
from common.logging import get_logger
from intake import clients, i18n
from intake.context import Context
from intake.dashboard import charts, figures, labels
from intake.dashboard.freshness import Freshness, unit_freshness
from intake.dashboard.production import ProductionSection, production
from intake.domain import WITHOUT_PLACE_STATUSES, age_on
from intake.indicators import kpis
from intake.indicators.period import default_period
from intake.indicators.schemas import KpiReport
from intake.referrals import reading
from intake.schemas import AcknowledgeIn, ReferralOut, SignalOut, SignalPage
from intake.signals import service as signals
from intake.signals.rules import SignalStatus, SignalType, within_warning
from intake.signals.service import SignalsNow
from intake.signals.store import SignalCounts

log = get_logger("regiepunt.intake.dashboard")

PAGE = 200
WAITING_SHOWN = 100
SIGNALS_SHOWN = 25
SIGNAL_TYPES = tuple(kind.value for kind in SignalType)


@dataclass(frozen=True)
class Child:
    """How the pages name a child: the referral's reference, the age today and the municipality's name
    (never the BSN, never an id)."""

    referral_id: str
    reference: str
    age: int
    municipality: str


def child_of(row: Any, today: date) -> Child:
    return Child(
        referral_id=row["id"],
        # Only rows loaded outside a submission lack a reference: the id's start then.
        reference=row["reference"] or row["id"][:8],
        age=age_on(row["birth_date"], today),
        municipality=labels.municipality(row["municipality_code"]),
    )


def _facts(referral: ReferralOut) -> dict[str, Any]:
    return {
        "id": referral.id,
        "reference": referral.reference,
        "birth_date": referral.client.birth_date,
        "municipality_code": referral.client.municipality_code,
    }


@dataclass(frozen=True)
class WaitingChild:
    referral: ReferralOut
    waiting_days: int


@dataclass(frozen=True)
class WaitingSection:
    children: list[WaitingChild]
    total: int


@dataclass(frozen=True)
class AwaitingAnswer:
    """A child proposed to a provider, whose answer is awaited until the hold ends."""

    referral: ReferralOut
    expires_at: datetime
    # Until the hold ends, from now; zero once it has passed (the workers release it shortly).
    time_left: timedelta

    @property
    def minutes_left(self) -> int:
        return int(self.time_left.total_seconds() // 60)


@dataclass(frozen=True)
class ProposalsSection:
    proposals: list[AwaitingAnswer]
    total: int


@dataclass(frozen=True)
class CrisisStay:
    referral_id: str
    provider: str
    start_date: date
    crisis_end_date: date
    # As of today, from the stay (negative past the cap).
    days_left: int
    urgent: bool
    # The stay's live crisis-cap signal: crisis_cap_exceeded (past the cap), crisis_cap_approaching, or None.
    signal: str | None = None

    @property
    def past_cap(self) -> bool:
        return self.signal == SignalType.crisis_cap_exceeded.value


@dataclass(frozen=True)
class CrisisCounts:
    """The crisis section's figures; `past_cap` and `approaching` are the signals section's live
    crisis-cap counts (signals.store.SignalCounts), read in the same transaction as the stays."""

    stays: int
    past_cap: int
    approaching: int


@dataclass
class PlacesSection:
    rows: list[dict[str, Any]] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)
    chart: charts.PlacesChart | None = None
    error: str | None = None


@dataclass
class Overview:
    today: date
    places: PlacesSection
    waiting: WaitingSection
    crisis: list[CrisisStay]
    # Children proposed to a provider whose answer is awaited: not waiting, not yet placed.
    proposals: ProposalsSection
    period_from: date
    period_to: date
    open_signals: SignalPage | None = None
    # Paging through the open signals: the page shown (from 1) and how many there are.
    signals_page: int = 1
    signals_pages: int = 1
    signal_counts: SignalCounts | None = None
    crisis_counts: CrisisCounts | None = None
    signal_type: str | None = None
    signal_types: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    report: KpiReport | None = None
    report_error: str | None = None
    flow: charts.FlowChart | None = None
    flow_narrow: charts.FlowChart | None = None
    indicator_figures: list[figures.Figure] = field(default_factory=list)
    production: ProductionSection = field(default_factory=ProductionSection)
    availability: Freshness = field(default_factory=Freshness)
    # Every child the overview names (waiting, proposed, in a crisis stay, in a signal), by referral id.
    children: dict[str, Child] = field(default_factory=dict)


async def places(ctx: Context) -> PlacesSection:
    try:
        rows = [row.model_dump() for row in await clients.availability_summary(ctx.capacity)]
    except ProblemError as exc:
        log.warning("dashboard_places_unavailable", error=exc.detail)
        return PlacesSection(error=i18n._("Capacity cannot be reached right now; the places will show again shortly."))
    totals = {part: sum(int(row.get(part, 0)) for row in rows) for part in ("units", "capacity", *charts.PLACE_PARTS)}
    return PlacesSection(rows=rows, totals=totals, chart=charts.places_chart(rows))


async def waiting_children(ctx: Context, principal: Principal) -> WaitingSection:
    """The children without a place (pending or unmatched: not proposed, not placed) who have waited
    longest, and how many wait in all: on a busy day thousands wait, and the overview shows the head
    of the list rather than every one of them."""
    today = ctx.today()
    referrals, total = await reading.longest_waiting(ctx, principal, list(WITHOUT_PLACE_STATUSES), WAITING_SHOWN)
    children = [
        WaitingChild(referral=referral, waiting_days=(today - referral.created_at.date()).days)
        for referral in referrals
    ]
    return WaitingSection(children=children, total=total)


async def awaiting_answer(ctx: Context, principal: Principal) -> ProposalsSection:
    """The proposals awaiting a provider's answer, the hold that ends first first, with the time left."""
    now = ctx.now()
    referrals, total = await reading.soonest_expiring_proposals(ctx, principal, WAITING_SHOWN)
    proposals = [
        AwaitingAnswer(
            referral=referral,
            expires_at=referral.proposal.expires_at,
            time_left=max(referral.proposal.expires_at - now, timedelta(0)),
        )
        for referral in referrals
        if referral.proposal is not None
    ]
    return ProposalsSection(proposals=proposals, total=total)


async def provider_names(ctx: Context) -> dict[str, str]:
    names: dict[str, str] = {}
    offset: int | None = 0
    try:
        while offset is not None:
            response = await ctx.capacity.get("/v1/providers", params={"limit": PAGE, "offset": offset})
            if response.status_code != 200:
                break
            body = response.json()
            items = body["items"] if isinstance(body, dict) else body
            names.update({str(item["id"]): str(item["name"]) for item in items})
            offset = body.get("next_offset") if isinstance(body, dict) and len(items) == PAGE else None
    except ProblemError as exc:
        log.warning("dashboard_providers_unavailable", error=exc.detail)
    except Exception as exc:  # names are a nicety; ids are shown instead
        log.warning("dashboard_providers_unavailable", error=type(exc).__name__)
    return names


def crisis_stays(now: SignalsNow, names: dict[str, str], warning_days: int) -> list[CrisisStay]:
    """Children in a crisis stay now, fewest days left first; at or past the crisis-cap warning
    (`warning_days` left or fewer) is urgent; each marked with its live crisis-cap signal."""
    stays = [
        CrisisStay(
            referral_id=stay.referral_id,
            provider=names.get(stay.provider_id or "", stay.provider_id or "–"),
            start_date=stay.start_date,
            crisis_end_date=stay.crisis_end_date,
            days_left=stay.days_left,
            urgent=within_warning(stay.days_left, warning_days) or stay.signal is not None,
            signal=stay.signal,
        )
        for stay in now.crisis_stays
    ]
    return sorted(stays, key=lambda stay: (not stay.past_cap, stay.days_left, stay.referral_id))


def crisis_counts(now: SignalsNow) -> CrisisCounts:
    return CrisisCounts(
        stays=len(now.crisis_stays),
        past_cap=now.counts.live[SignalType.crisis_cap_exceeded.value],
        approaching=now.counts.live[SignalType.crisis_cap_approaching.value],
    )


def page_count(total: int, size: int) -> int:
    return max(1, -(-total // size))


async def overview(
    ctx: Context,
    principal: Principal,
    period: tuple[date, date] | None = None,
    signal_type: str | None = None,
    signals_page: int = 1,
) -> Overview:
    period_from, period_to = period or default_period(ctx.today())
    chosen_type = signal_type if signal_type in SIGNAL_TYPES else None
    signals_page = max(1, signals_page)

    async def from_intake() -> tuple[
        KpiReport | None, str | None, SignalPage, SignalsNow, WaitingSection, ProposalsSection
    ]:
        # One after the other: each is its own transaction on intake's database.
        report, report_error = None, None
        try:
            report = await kpis.compute_kpis(ctx, principal, period_from, period_to)
        except InvalidInput as exc:
            report_error = exc.detail
        # The indicators have just brought the signals up to date (opened those due, resolved those gone).
        now = await signals.signals_now(ctx, principal, brought_up_to_date=report is not None)
        open_signals = await signals.list_signals(
            ctx,
            principal,
            type=chosen_type,
            status=SignalStatus.open,
            limit=SIGNALS_SHOWN,
            offset=(signals_page - 1) * SIGNALS_SHOWN,
            caps_evaluated=True,
        )
        waiting = await waiting_children(ctx, principal)
        return report, report_error, open_signals, now, waiting, await awaiting_answer(ctx, principal)

    # Capacity answers while intake reads its own database.
    names, places_section, agreements, fresh, from_own = await asyncio.gather(
        provider_names(ctx), places(ctx), production(ctx), freshness(ctx), from_intake()
    )
    report, report_error, open_signals, now, waiting, proposals = from_own
    for signal in open_signals.items:
        # The page shows the crisis days of now, not those stored in the detail when it was raised.
        signal.detail.pop("crisis_days_left", None)
        if signal.crisis_days_left is not None:
            signal.detail["crisis_days_left"] = signal.crisis_days_left
    today = ctx.today()
    # The waiting and proposed children come with their referral; the others are read by id.
    listed = [child.referral for child in waiting.children] + [p.referral for p in proposals.proposals]
    children = {referral.id: child_of(_facts(referral), today) for referral in listed}
    named = {stay.referral_id for stay in now.crisis_stays} | {signal.referral_id for signal in open_signals.items}
    for referral_id, row in (await reading.children_of(ctx, principal, named - children.keys())).items():
        children[referral_id] = child_of(row, today)
    flow = flow_narrow = None
    if report is not None and report.weekly_flow:
        weekly = [(week.week_start, week.inflow, week.outflow) for week in report.weekly_flow]
        flow = charts.flow_chart(weekly, label=_tick_label)
        flow_narrow = charts.flow_chart(weekly, width=360, height=220, label=_tick_label, max_ticks=5)
    return Overview(
        today=ctx.today(),
        places=places_section,
        waiting=waiting,
        proposals=proposals,
        crisis=crisis_stays(now, names, ctx.settings.crisis_warning_days),
        period_from=period_from,
        period_to=period_to,
        open_signals=open_signals,
        signals_page=signals_page,
        signals_pages=page_count(open_signals.total, SIGNALS_SHOWN),
        signal_counts=now.counts,
        crisis_counts=crisis_counts(now),
        signal_type=chosen_type,
        signal_types=SIGNAL_TYPES,
        names=names,
        report=report,
        report_error=report_error,
        flow=flow,
        flow_narrow=flow_narrow,
        indicator_figures=figures.figures(report.indicators, ctx.settings, _decline_reason(ctx), names)
        if report
        else [],
        production=agreements,
        availability=fresh,
        children=children,
    )


async def freshness(ctx: Context) -> Freshness:
    """How fresh the registered availability is; when capacity is out of reach, said in the page's words."""
    found = await unit_freshness(ctx)
    if found.error:
        return Freshness(
            error=i18n._("Capacity cannot be reached right now; the freshness of the places shows again shortly.")
        )
    return found


def _tick_label(day: date, monthly: bool) -> str:
    return i18n.day(day, "MMM" if monthly else "d MMM")


def _decline_reason(ctx: Context) -> Callable[[str], str]:
    def label(code: str) -> str:
        return labels.vocabulary_label(ctx.vocabulary, "decline_reasons", code)

    return label


async def acknowledge_signal(ctx: Context, principal: Principal, signal_id: str, analysis: str) -> SignalOut:
    """The same rule as the API: an explanatory analysis, not a click-through."""
    try:
        checked = AcknowledgeIn(analysis=analysis)
    except ValidationError as exc:
        message = exc.errors()[0].get("msg", "is not valid")
        raise InvalidInput("analysis", str(message).removeprefix("Value error, ")) from exc
    return await signals.acknowledge(ctx, principal, signal_id, checked.analysis)
