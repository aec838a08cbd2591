"""What the dashboard shows, gathered through intake's own use cases (which check the role and write
the access log) and capacity's summary; the templates only lay it out."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from pydantic import ValidationError

from common.auth import Principal
from common.errors import InvalidInput, ProblemError
from common.logging import get_logger
from intake import clients
from intake.context import Context
from intake import i18n
from intake.dashboard import charts, figures, labels
from intake.dashboard.production import ProductionSection, production
from intake.domain import WAITING_STATUSES
from intake.indicators import kpis
from intake.indicators.schemas import KpiReport
from intake.referrals import reading
from intake.schemas import AcknowledgeIn, ReferralOut, SignalOut, SignalPage
from intake.signals import service as signals
from intake.signals.rules import SignalStatus, SignalType, within_warning

log = get_logger("regiepunt.intake.dashboard")

PAGE = 200
WAITING_SHOWN = 100
SIGNALS_SHOWN = 25
SIGNAL_TYPES = tuple(kind.value for kind in SignalType)


@dataclass(frozen=True)
class WaitingChild:
    referral: ReferralOut
    waiting_days: int


@dataclass(frozen=True)
class WaitingSection:
    children: list[WaitingChild]
    total: int


@dataclass(frozen=True)
class CrisisStay:
    referral_id: str
    provider: str
    start_date: date
    crisis_end_date: date
    days_left: int
    urgent: bool


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
    period_from: date
    period_to: date
    open_signals: SignalPage | None = None
    signal_type: str | None = None
    signal_types: tuple[str, ...] = ()
    names: dict[str, str] = field(default_factory=dict)
    report: KpiReport | None = None
    report_error: str | None = None
    flow: charts.FlowChart | None = None
    flow_narrow: charts.FlowChart | None = None
    indicator_figures: list[figures.Figure] = field(default_factory=list)
    production: ProductionSection = field(default_factory=ProductionSection)


async def places(ctx: Context) -> PlacesSection:
    try:
        rows = [row.model_dump() for row in await clients.availability_summary(ctx.capacity)]
    except ProblemError as exc:
        log.warning("dashboard_places_unavailable", error=exc.detail)
        return PlacesSection(error=i18n._("Capacity cannot be reached right now; the places will show again shortly."))
    totals = {part: sum(int(row.get(part, 0)) for row in rows) for part in ("units", "capacity", *charts.PLACE_PARTS)}
    return PlacesSection(rows=rows, totals=totals, chart=charts.places_chart(rows))


async def waiting_children(ctx: Context, principal: Principal) -> WaitingSection:
    """The children not placed yet who have waited longest, and how many wait in all: on a busy day
    thousands wait, and the overview shows the head of the list rather than every one of them."""
    today = ctx.today()
    referrals, total = await reading.longest_waiting(ctx, principal, list(WAITING_STATUSES), WAITING_SHOWN)
    children = [
        WaitingChild(referral=referral, waiting_days=(today - referral.created_at.date()).days)
        for referral in referrals
    ]
    return WaitingSection(children=children, total=total)


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


def crisis_stays(report: KpiReport | None, names: dict[str, str], warning_days: int) -> list[CrisisStay]:
    """Children in a crisis stay now, fewest days left first; at or past the crisis-cap warning
    (`warning_days` left or fewer) is urgent."""
    if report is None:
        return []
    stays = [
        CrisisStay(
            referral_id=stay.referral_id,
            provider=names.get(stay.provider_id or "", stay.provider_id or "–"),
            start_date=stay.start_date,
            crisis_end_date=stay.crisis_end_date,
            days_left=stay.crisis_days_left,
            urgent=within_warning(stay.crisis_days_left, warning_days),
        )
        for stay in report.crisis_stays
    ]
    return sorted(stays, key=lambda stay: (stay.days_left, stay.referral_id))


def default_period(today: date) -> tuple[date, date]:
    """The last twelve weeks up to today."""
    return today - timedelta(weeks=12), today


async def overview(
    ctx: Context, principal: Principal, period: tuple[date, date] | None = None, signal_type: str | None = None
) -> Overview:
    period_from, period_to = period or default_period(ctx.today())
    chosen_type = signal_type if signal_type in SIGNAL_TYPES else None

    async def from_intake() -> tuple[KpiReport | None, str | None, SignalPage, WaitingSection]:
        # One after the other: each is its own transaction on intake's database.
        report, report_error = None, None
        try:
            report = await kpis.compute_kpis(ctx, principal, period_from, period_to)
        except InvalidInput as exc:
            report_error = exc.detail
        # The indicators have just opened the crisis-cap signals that came due.
        open_signals = await signals.list_signals(
            ctx,
            principal,
            type=chosen_type,
            status=SignalStatus.open,
            limit=SIGNALS_SHOWN,
            caps_evaluated=report is not None,
        )
        return report, report_error, open_signals, await waiting_children(ctx, principal)

    # Capacity answers while intake reads its own database.
    names, places_section, agreements, (report, report_error, open_signals, waiting) = await asyncio.gather(
        provider_names(ctx), places(ctx), production(ctx), from_intake()
    )
    flow = flow_narrow = None
    if report is not None and report.weekly_flow:
        weekly = [(week.week_start, week.inflow, week.outflow) for week in report.weekly_flow]
        flow = charts.flow_chart(weekly, label=_tick_label)
        flow_narrow = charts.flow_chart(weekly, width=360, height=220, label=_tick_label, max_ticks=5)
    return Overview(
        today=ctx.today(),
        places=places_section,
        waiting=waiting,
        crisis=crisis_stays(report, names, ctx.settings.crisis_warning_days),
        period_from=period_from,
        period_to=period_to,
        open_signals=open_signals,
        signal_type=chosen_type,
        signal_types=SIGNAL_TYPES,
        names=names,
        report=report,
        report_error=report_error,
        flow=flow,
        flow_narrow=flow_narrow,
        indicator_figures=figures.figures(report.indicators, ctx.settings, _decline_reason(ctx)) if report else [],
        production=agreements,
    )


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


@dataclass
class ReferralPage:
    referral: ReferralOut
    history: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    decisions_error: str | None
    names: dict[str, str]
    units: dict[str, str]


async def referral_page(ctx: Context, principal: Principal, referral_id: str) -> ReferralPage:
    referral = await reading.get_referral(ctx, principal, referral_id)
    access = await reading.read_access_log(ctx, principal, referral_id)
    history = collapse_history([entry.model_dump() for entry in access.items])
    decisions: list[dict[str, Any]] = []
    decisions_error = None
    try:
        body = await reading.read_decisions(ctx, principal, referral_id)
        decisions = list(body.get("items", []))
        for decision in decisions:
            decision["candidates"] = sorted(decision.get("candidates", []), key=_candidate_order)
    except ProblemError as exc:
        decisions_error = exc.detail
    names = await provider_names(ctx)
    units: dict[str, str] = {}
    wanted = {c["unit_id"] for d in decisions for c in d.get("candidates", []) if c.get("chosen")}
    for part in (referral.proposal, referral.placement):
        if part is not None:
            wanted.add(part.unit_id)
    for unit_id in sorted(wanted):
        try:
            unit = await clients.get_unit(ctx.capacity, unit_id)
        except ProblemError:
            unit = None
        if unit is not None:
            units[unit_id] = unit.name
    return ReferralPage(
        referral=referral,
        history=history,
        decisions=decisions,
        decisions_error=decisions_error,
        names=names,
        units=units,
    )


def _candidate_order(candidate: dict[str, Any]) -> tuple[int, int, str]:
    """Ranked candidates by rank, then those left out."""
    rank = candidate.get("rank")
    return (0 if rank is not None else 1, int(rank or 0), str(candidate.get("unit_id", "")))


def collapse_history(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of the same person doing the same thing (a coordinator's list refreshed every 30 s) shown
    as one line with a count and the first and last moment; every entry stays in the access log."""
    collapsed: list[dict[str, Any]] = []
    for entry in entries:
        last = collapsed[-1] if collapsed else None
        same = last is not None and all(last[key] == entry[key] for key in ("action", "sub", "role", "org"))
        if last is not None and same:
            last["times"] += 1
            last["until"] = entry["at"]
        else:
            collapsed.append({**entry, "times": 1, "until": entry["at"]})
    return collapsed
