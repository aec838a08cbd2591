"""The rules that raise a signal, pure: plain data in, a decision out. The caller reads the rows and
the clock and opens what a rule decides (signals.events); where a rule must run in the database over
every child, its SQL twin sits in signals.store and a test holds the two to the same answers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from intake.domain import Status

# A referral's row as the rules read it: any mapping of its column names to values.
Stay = Mapping[Any, Any]


class SignalType(StrEnum):
    crisis_cap_approaching = "crisis_cap_approaching"
    crisis_cap_exceeded = "crisis_cap_exceeded"
    onward_placement = "onward_placement"
    repeated_placements = "repeated_placements"
    placement_breakdown = "placement_breakdown"
    placement_at_risk = "placement_at_risk"
    out_of_region = "out_of_region"
    unmatched = "unmatched"
    stacking = "stacking"
    authorisation_expiring = "authorisation_expiring"
    siblings_split = "siblings_split"


class SignalStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"


CRISIS_CAP_TYPES = (SignalType.crisis_cap_approaching, SignalType.crisis_cap_exceeded)
# Free-text fields of a signal's detail; they stay out of exports (they may name the child).
FREE_TEXT_DETAIL = ("reason", "notes", "note")


def condition_key(signal_type: SignalType, client_key: str, scope: str) -> str:
    """What makes two signals "the same condition": the type, the child, and what about the child."""
    return f"{signal_type.value}:{client_key}:{scope}"


def export_detail(detail: dict[str, Any] | None) -> dict[str, Any]:
    """A signal's detail without its free text, for analysis outside the point."""
    return {key: value for key, value in (detail or {}).items() if key not in FREE_TEXT_DETAIL}


def onward_placement(recent_stays: Iterable[Stay]) -> list[Stay]:
    """A new referral for a child who is still placed: the child is about to move on from each stay
    of `recent_stays` (the child's other current or recent stays) that is still running."""
    return [stay for stay in recent_stays if stay["status"] == Status.placed]


def stacking_pairs(stay: Stay, others: Iterable[Stay]) -> list[Stay]:
    """The child's other stays that a stay just begun overlaps (stacking). The new stay has no end
    yet, so it overlaps every stay that had begun and had not ended when it began."""
    return [
        other
        for other in others
        if other["id"] != stay["id"]
        and other["start_date"] is not None
        and other["status"] in (Status.placed, Status.ended)
        and (other["end_date"] is None or other["end_date"] > stay["start_date"])
    ]


def stacking_scope(stay_id: str, other_id: str) -> str:
    """One signal per pair of stays, whichever of the two began last."""
    return ":".join(sorted((stay_id, other_id)))


def repeated_placements(ended_stays: Iterable[Stay], today: date, window_days: int, min_stays: int) -> list[str]:
    """The ids of the child's stays ended within the window (oldest end first) when there are at least
    `min_stays` of them: too many stays in a year; none otherwise."""
    since = today - timedelta(days=window_days)
    ended = sorted(
        (
            stay
            for stay in ended_stays
            if stay["status"] == Status.ended and stay["end_date"] is not None and stay["end_date"] >= since
        ),
        key=lambda stay: (stay["end_date"], stay["id"]),
    )
    return [str(stay["id"]) for stay in ended] if len(ended) >= min_stays else []


def earlier_crisis_days(stay: Stay, others: Iterable[Stay], today: date, history_days: int) -> int:
    """The days the child spent in crisis stays that began before this one, within the history window
    before its start (a stay still running counts up to today, or up to this stay's start)."""
    since = stay["start_date"] - timedelta(days=history_days)
    earlier = 0
    for other in others:
        if other["crisis_end_date"] is None or other["start_date"] >= stay["start_date"]:
            continue
        last = min(other["end_date"] or today, stay["start_date"])
        first = max(other["start_date"], since)
        earlier += max((last - first).days, 0)
    return earlier


@dataclass(frozen=True)
class CrisisCap:
    """Where a crisis stay stands against its cap on one day."""

    days_left: int
    approaching: bool
    exceeded: bool


def authorisation_expiring(valid_until: date, today: date, warning_days: int) -> bool:
    """The court's authorisation of a stay in closed youth care lapses within `warning_days` (or has
    lapsed): a new one must be asked of the court in time, or the child must leave."""
    return (valid_until - today).days <= warning_days


def within_warning(days_left: int, warning_days: int) -> bool:
    """A crisis stay with this many days left is at or past its warning: its cap is near, or passed."""
    return days_left <= warning_days


def crisis_cap(crisis_end_date: date, today: date, warning_days: int, *, has_follow_up: bool = False) -> CrisisCap:
    """The cap is exceeded once its end date has passed; it is approaching from `warning_days` before
    it, unless the child already has a follow-up referral that is looking for a place."""
    days_left = (crisis_end_date - today).days
    exceeded = days_left < 0
    return CrisisCap(
        days_left=days_left,
        approaching=not exceeded and within_warning(days_left, warning_days) and not has_follow_up,
        exceeded=exceeded,
    )
