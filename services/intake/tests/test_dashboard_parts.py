"""The dashboard's pure parts: chart geometry, labels, and how the history is shown."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from intake import i18n
from intake.dashboard import charts, figures, labels
from intake.dashboard.referral_page import collapse_history
from intake.dashboard.service import crisis_stays
from intake.indicators.schemas import Indicator
from intake.settings import IntakeSettings
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
    chart = charts.places_chart([_row("crisis", True, 2, 1, 1, 6), _row("secure", False, 0, 0, 0, 5)])
    crisis, secure = chart.bars
    assert [s.part for s in crisis.segments] == ["occupied", "reserved", "blocked", "available"]
    assert crisis.total == 10 and secure.total == 5
    assert sum(s.width for s in crisis.segments) == 100
    assert sum(s.width for s in secure.segments) == 50
    assert crisis.segments[1].x == crisis.segments[0].x + crisis.segments[0].width
    assert (secure.care_type, secure.in_region) == ("secure", False)


def test_a_part_with_places_is_never_too_thin_to_see() -> None:
    # One reserved place among two hundred would be half a percent wide: it is drawn at the minimum,
    # the widest part gives up the room, and the bar keeps its length.
    chart = charts.places_chart([_row("residential", True, 120, 1, 0, 79)], min_visible=1.6)
    occupied, reserved, blocked, _available = chart.bars[0].segments
    assert reserved.width == 1.6 and blocked.width == 0
    assert round(sum(s.width for s in chart.bars[0].segments), 2) == 100
    assert occupied.width < 60


def test_places_chart_without_rows_draws_nothing() -> None:
    assert charts.places_chart([]).bars == []


def test_flow_chart_puts_the_largest_step_on_top_and_zero_on_the_axis() -> None:
    start = date(2026, 1, 5)
    weeks = [(start + timedelta(weeks=i), inflow, outflow) for i, (inflow, outflow) in enumerate([(4, 0), (8, 2)])]
    chart = charts.flow_chart(weeks, width=200, height=100)
    first, last = chart.inflow_points.split()
    assert chart.maximum == 8 and chart.weeks == 2
    assert last.endswith(f",{chart.top:.1f}")  # 8 is the top step
    assert chart.outflow_points.split()[0].endswith(f",{chart.bottom:.1f}")  # 0 sits on the axis
    assert first.startswith(f"{chart.left:.1f},")


def test_flow_chart_has_round_steps_and_month_marks_over_a_long_period() -> None:
    start = date(2026, 9, 7)
    weeks = [(start + timedelta(weeks=i), 10 + i, 3) for i in range(13)]  # up to 22 a week
    chart = charts.flow_chart(weeks, max_ticks=12)
    assert [step.value for step in chart.steps] == [0, 10, 20, 30]
    assert chart.maximum == 30
    # Thirteen weeks are more than twelve marks: one mark per month, at its first week.
    assert [tick.label for tick in chart.ticks] == ["Sep", "Oct", "Nov", "Dec"]
    few = charts.flow_chart(weeks[:4], max_ticks=12)
    assert [tick.label for tick in few.ticks] == ["07 Sep", "14 Sep", "21 Sep", "28 Sep"]


def test_nice_steps() -> None:
    assert [charts.nice_step(n) for n in (1, 4, 7, 22, 90, 430, 1600)] == [1, 1, 2, 10, 50, 200, 500]


def test_indicator_figures_read_well_in_both_languages() -> None:
    with i18n.language("en"):
        assert labels.figure(42.5, "percent") == "42.5%"
        assert labels.figure(12.0, "count") == "12"
        assert labels.figure(87.25, "days") == "87.2 days"
        assert labels.figure(1, "days") == "1 day"
        assert labels.care_type("training_flat") == "Training flat (16+)"
        assert labels.target_group("lvb") == "Mild intellectual disability"
    with i18n.language("nl"):
        assert labels.figure(42.5, "percent") == "42,5%"
        assert labels.figure(1, "days") == "1 dag"
        assert labels.care_type("training_flat") == "Kamertraining (16+)"
        assert labels.signal_type("crisis_cap_exceeded") == "Crisistermijn verstreken"
    assert labels.figure(None, "percent") == "–"
    assert labels.municipality("GM0518") == "Den Haag"


def test_an_indicator_says_what_was_counted() -> None:
    settings = IntakeSettings()
    stay = Indicator(name="average_length_of_stay", label="", value=11.3, numerator=294, denominator=26, unit="days")
    with i18n.language("nl"):
        (shown,) = figures.figures([stay], settings)
    assert shown.value == "11,3 dagen"
    assert shown.counted == "294 verblijfsdagen van 26 beëindigde plaatsingen"
    with i18n.language("en"):
        (shown,) = figures.figures([stay], settings)
    assert shown.counted == "294 days in care of 26 stays ended"


def test_signal_detail_names_providers_dates_and_words_and_leaves_ids_out() -> None:
    detail = {
        "provider_id": "p-1",
        "other_referral_id": "r-2",
        "care_type": "foster_care",
        "start_date": "2026-11-04",
        "reasons": ["a"],
        "crisis_days_left": 7,
    }
    with i18n.language("nl"):
        parts = labels.detail_parts(detail, {"p-1": "Pleegzorg Haaglanden"})
    assert parts == [("aanbieder", "Pleegzorg Haaglanden"), ("zorgvorm", "Pleegzorg"), ("begonnen", "4 nov 2026")]


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
