"""The dashboard's pure parts: chart geometry, labels, and how the history is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from intake.dashboard import charts, labels
from intake.dashboard.service import collapse_history, crisis_stays
from intake.signals.service import CrisisStayNow, SignalsNow
from intake.signals.store import SignalCounts


def _row(
    care_type: str, in_region: bool, occupied: int, reserved: int, blocked: int, available: int
) -> dict[str, object]:
    return {
        "care_type": care_type,
        "in_region": in_region,
        "occupied": occupied,
        "reserved": reserved,
        "blocked": blocked,
        "available": available,
    }


def test_places_bars_share_one_scale_and_stack_in_order() -> None:
    chart = charts.places_chart(
        [_row("crisis", True, 2, 1, 1, 6), _row("secure", False, 0, 0, 0, 5)], width=440, label_width=100
    )
    plot = 440 - 100 - 40
    crisis, secure = chart.bars
    assert [s.part for s in crisis.segments] == ["occupied", "reserved", "blocked", "available"]
    assert crisis.total == 10 and secure.total == 5
    assert sum(s.width for s in crisis.segments) == plot
    assert sum(s.width for s in secure.segments) == plot / 2
    assert crisis.segments[1].x == crisis.segments[0].x + crisis.segments[0].width
    assert secure.label == "secure · outside"


def test_places_chart_without_rows_draws_nothing() -> None:
    chart = charts.places_chart([])
    assert chart.bars == [] and chart.height > 0


def test_flow_chart_puts_the_largest_week_on_top_and_zero_on_the_axis() -> None:
    start = date(2026, 1, 5)
    weeks = [(start + timedelta(weeks=i), inflow, outflow) for i, (inflow, outflow) in enumerate([(4, 0), (8, 2)])]
    chart = charts.flow_chart(weeks, width=200, height=100)
    first, last = chart.inflow_points.split()
    assert last.endswith(f",{chart.top:.1f}")  # 8 is the maximum
    assert chart.outflow_points.split()[0].endswith(f",{chart.bottom:.1f}")  # 0 sits on the axis
    assert first.startswith(f"{chart.left:.1f},")
    assert chart.maximum == 8 and chart.weeks == 2


def test_indicator_figures_read_well() -> None:
    assert labels.figure(42.5, "percent") == "42.5%"
    assert labels.figure(12.0, "count") == "12"
    assert labels.figure(87.25, "days") == "87.2 days"
    assert labels.figure(None, "percent") == "–"
    assert labels.care_type("training_flat") == "Training flat (16+)"
    assert labels.municipality("GM0518") == "Den Haag"


def test_signal_detail_names_providers_and_leaves_other_ids_out() -> None:
    detail = {"provider_id": "p-1", "other_referral_id": "r-2", "care_type": "foster_care", "reasons": ["a", "b"]}
    assert labels.detail(detail, {"p-1": "Pleegzorg Haaglanden"}) == (
        "provider: Pleegzorg Haaglanden · care type: foster care · reasons: a; b"
    )


def test_a_run_of_the_same_read_is_one_line_with_a_count() -> None:
    at = datetime(2026, 11, 2, 9, tzinfo=UTC)
    entry = {"sub": "coco", "role": "coordinator", "org": "Regiepunt"}
    entries = [
        {**entry, "action": "create", "at": at},
        {**entry, "action": "list", "at": at + timedelta(seconds=30)},
        {**entry, "action": "list", "at": at + timedelta(seconds=60)},
        {**entry, "action": "list", "at": at + timedelta(seconds=90)},
        {**entry, "action": "read", "at": at + timedelta(seconds=120)},
    ]
    shown = collapse_history(entries)
    assert [(e["action"], e["times"]) for e in shown] == [("create", 1), ("list", 3), ("read", 1)]
    assert shown[1]["at"] == at + timedelta(seconds=30) and shown[1]["until"] == at + timedelta(seconds=90)


def test_crisis_stays_are_urgent_from_the_warning_setting_on() -> None:
    start = date(2026, 11, 2)
    now = SignalsNow(
        counts=SignalCounts(live={}, open={}, crisis={}),
        crisis_stays=[
            CrisisStayNow(
                referral_id=f"r{left}",
                client_key="k",
                provider_id=None,
                start_date=start,
                crisis_end_date=start + timedelta(days=left),
                days_left=left,
                signal=None,
            )
            for left in (8, 7, 3, -1)
        ],
    )
    urgent = {stay.days_left: stay.urgent for stay in crisis_stays(now, {}, warning_days=7)}
    assert urgent == {8: False, 7: True, 3: True, -1: True}
    urgent = {stay.days_left: stay.urgent for stay in crisis_stays(now, {}, warning_days=3)}
    assert urgent == {8: False, 7: False, 3: True, -1: True}
