"""Geometry of the dashboard's two charts, drawn as inline SVG by the templates: no chart library.

The places chart is one bar per row, each scaled in percent of the largest row and stretched to the
card's width by the browser (its words are HTML beside it, so they stay readable on a phone). The flow
chart is drawn twice, wide and narrow, and the stylesheet shows the one that fits the screen."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

PLACE_PARTS = ("occupied", "reserved", "blocked", "available")
# A part that holds places is never drawn thinner than this (percent of the bar's full length), so
# that one reserved place among a hundred stays visible; the largest part gives up the room.
MIN_VISIBLE = 1.6


@dataclass(frozen=True)
class Segment:
    part: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    care_type: str
    in_region: bool
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class PlacesChart:
    bars: list[Bar]


def places_chart(rows: Sequence[dict[str, object]], *, min_visible: float = MIN_VISIBLE) -> PlacesChart:
    """One stacked bar per care type and side of the region border: occupied, reserved, blocked and
    available places, on one scale (percent of the largest) so that the sizes compare."""
    largest = max((_capacity_of(row) for row in rows), default=0) or 1
    bars: list[Bar] = []
    for row in rows:
        values = [int(str(row.get(part, 0))) for part in PLACE_PARTS]
        widths = visible_widths([100 * value / largest for value in values], min_visible)
        segments: list[Segment] = []
        x = 0.0
        for part, value, width in zip(PLACE_PARTS, values, widths, strict=True):
            segments.append(Segment(part=part, value=value, x=round(x, 2), width=round(width, 2)))
            x += width
        bars.append(
            Bar(
                care_type=str(row.get("care_type", "")),
                in_region=bool(row.get("in_region")),
                total=sum(values),
                segments=segments,
            )
        )
    return PlacesChart(bars=bars)


def visible_widths(widths: Sequence[float], minimum: float) -> list[float]:
    """Every width above zero at least `minimum`, the room taken from the widest; the sum is kept."""
    raised = [max(width, minimum) if width > 0 else 0.0 for width in widths]
    extra = sum(raised) - sum(widths)
    if extra > 0 and raised:
        widest = max(range(len(raised)), key=lambda index: raised[index])
        raised[widest] = max(raised[widest] - extra, minimum)
    return raised


def _capacity_of(row: dict[str, object]) -> int:
    return sum(int(str(row.get(part, 0))) for part in PLACE_PARTS)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class Step:
    y: float
    value: int


@dataclass(frozen=True)
class FlowChart:
    width: int
    height: int
    top: int
    bottom: int
    left: int
    right: int
    maximum: int
    inflow_points: str
    outflow_points: str
    ticks: list[Tick]
    steps: list[Step]
    weeks: int


def nice_step(largest: int, lines: int = 4) -> int:
    """A step of 1, 2 or 5 times a power of ten that divides 0..largest into about `lines` parts."""
    if largest <= lines:
        return 1
    raw = largest / lines
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return int(factor * power)
    return int(10 * power)


def flow_chart(
    weeks: Sequence[tuple[date, int, int]],
    *,
    width: int = 1000,
    height: int = 240,
    label: Callable[[date, bool], str] = lambda day, monthly: day.strftime("%b" if monthly else "%d %b"),
    max_ticks: int = 12,
) -> FlowChart:
    """Inflow and outflow per week as two lines; `weeks` holds (week_start, inflow, outflow). The y axis
    has round steps; the x axis marks each week when they fit, else the first week of each month
    (`label(day, monthly)` writes a tick)."""
    left, right, top, bottom = 40, 16, 12, 28
    plot_w = width - left - right
    plot_h = height - top - bottom
    largest = max((max(inflow, outflow) for _, inflow, outflow in weeks), default=0)
    step = nice_step(max(largest, 1))
    maximum = step * max(math.ceil(largest / step), 1)
    x_step = plot_w / max(len(weeks) - 1, 1)

    def y_of(value: float) -> float:
        return top + plot_h - plot_h * value / maximum

    def points(values: Sequence[int]) -> str:
        return " ".join(f"{left + i * x_step:.1f},{y_of(value):.1f}" for i, value in enumerate(values))

    monthly = len(weeks) > max_ticks
    ticks: list[Tick] = []
    previous_month: tuple[int, int] | None = None
    for index, (week, _, _) in enumerate(weeks):
        # A week belongs to the month its Thursday is in (as ISO weeks to years).
        thursday = date.fromordinal(week.toordinal() + 3)
        month = (thursday.year, thursday.month)
        if monthly and month == previous_month:
            continue
        previous_month = month
        ticks.append(Tick(x=round(left + index * x_step, 1), label=label(thursday if monthly else week, monthly)))
    if monthly and len(ticks) > max_ticks:
        every = math.ceil(len(ticks) / max_ticks)
        ticks = ticks[::every]
    steps = [Step(y=round(y_of(value), 1), value=value) for value in range(0, maximum + 1, step)]
    return FlowChart(
        width=width,
        height=height,
        top=top,
        bottom=height - bottom,
        left=left,
        right=width - right,
        maximum=maximum,
        inflow_points=points([inflow for _, inflow, _ in weeks]),
        outflow_points=points([outflow for _, _, outflow in weeks]),
        ticks=ticks,
        steps=steps,
        weeks=len(weeks),
    )
