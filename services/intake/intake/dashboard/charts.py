"""Geometry of the dashboard's two charts, drawn as inline SVG by the templates: no chart library."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

PLACE_PARTS = ("occupied", "reserved", "blocked", "available")


@dataclass(frozen=True)
class Segment:
    part: str
    value: int
    x: float
    width: float


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    total: int
    segments: list[Segment]


@dataclass(frozen=True)
class PlacesChart:
    width: int
    height: int
    label_width: int
    bar_height: int
    bars: list[Bar]


def places_chart(
    rows: Sequence[dict[str, object]],
    *,
    care_label: Callable[[object], str] = str,
    width: int = 640,
    label_width: int = 230,
    bar_height: int = 16,
) -> PlacesChart:
    """One stacked bar per care type and side of the region border: occupied, reserved, blocked and
    available places, on one scale so that the sizes compare."""
    gap = 6
    plot = width - label_width - 40
    largest = max((_capacity_of(row) for row in rows), default=0) or 1
    bars: list[Bar] = []
    for index, row in enumerate(rows):
        x = float(label_width)
        segments: list[Segment] = []
        for part in PLACE_PARTS:
            value = int(str(row.get(part, 0)))
            span = plot * value / largest
            segments.append(Segment(part=part, value=value, x=round(x, 1), width=round(span, 1)))
            x += span
        side = "in region" if row.get("in_region") else "outside"
        label = f"{care_label(row.get('care_type', ''))} · {side}"
        bars.append(Bar(label=label, y=float(index * (bar_height + gap)), total=_capacity_of(row), segments=segments))
    height = max(len(rows) * (bar_height + gap), bar_height)
    return PlacesChart(width=width, height=height, label_width=label_width, bar_height=bar_height, bars=bars)


def _capacity_of(row: dict[str, object]) -> int:
    return sum(int(str(row.get(part, 0))) for part in PLACE_PARTS)


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class FlowChart:
    width: int
    height: int
    top: int
    bottom: int
    left: int
    maximum: int
    inflow_points: str
    outflow_points: str
    ticks: list[Tick]
    weeks: int


def flow_chart(
    weeks: Sequence[tuple[date, int, int]], *, width: int = 640, height: int = 200, every: int = 4
) -> FlowChart:
    """Inflow and outflow per week as two lines; `weeks` holds (week_start, inflow, outflow)."""
    left, right, top, bottom = 36, 28, 10, 24
    plot_w = width - left - right
    plot_h = height - top - bottom
    maximum = max((max(inflow, outflow) for _, inflow, outflow in weeks), default=0) or 1
    step = plot_w / max(len(weeks) - 1, 1)

    def points(values: Sequence[int]) -> str:
        return " ".join(
            f"{left + i * step:.1f},{top + plot_h - plot_h * value / maximum:.1f}" for i, value in enumerate(values)
        )

    ticks = [
        Tick(x=round(left + i * step, 1), label=week.strftime("%d %b"))
        for i, (week, _, _) in enumerate(weeks)
        if i % max(every, 1) == 0
    ]
    return FlowChart(
        width=width,
        height=height,
        top=top,
        bottom=height - bottom,
        left=left,
        maximum=maximum,
        inflow_points=points([inflow for _, inflow, _ in weeks]),
        outflow_points=points([outflow for _, _, outflow in weeks]),
        ticks=ticks,
        weeks=len(weeks),
    )
