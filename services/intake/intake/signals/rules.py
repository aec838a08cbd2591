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


# --- when the condition has gone ------------------------------------------------------------------

# Signals about something that happened (a breakdown, a split): the event does not go away, so only a
# coordinator's analysis closes them.
EVENT_ONLY_TYPES = (SignalType.placement_breakdown, SignalType.siblings_split)


def related_referral_ids(signal_type: str, referral_id: str, detail: Mapping[str, Any]) -> list[str]:
    """The referrals whose state decides whether a signal's condition still holds."""
    ids = [referral_id]
    if signal_type == SignalType.onward_placement and detail.get("current_referral_id"):
        ids.append(str(detail["current_referral_id"]))
    if signal_type == SignalType.stacking and detail.get("other_referral_id"):
        ids.append(str(detail["other_referral_id"]))
    if signal_type == SignalType.repeated_placements:
        ids += [str(other) for other in detail.get("referral_ids") or []]
    return ids


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, date) else (str(value) if value is not None else None)


def condition_holds(
    signal_type: str,
    referral_id: str,
    detail: Mapping[str, Any],
    stays: Mapping[str, Stay],
    today: date,
    *,
    authorisation_warning_days: int,
    repeated_window_days: int,
    repeated_min_stays: int,
) -> bool:
    """Whether the condition that raised a signal still holds today; `stays` are the referrals of
    related_referral_ids() by id (a missing one counts as gone). Once it no longer holds, the signal is
    resolved (its `resolved_at` set), while its status stays open until a coordinator acknowledges it.

    - crisis_cap_approaching: the stay still runs with the same cap date, not passed yet (an extension
      moves the date, an ended stay or a passed cap ends the warning; exceeded takes over);
    - crisis_cap_exceeded: the stay still runs with the same cap date (ended, or extended by a
      coordinator: the condition about that date has gone; a new one opens if the new date passes too);
    - authorisation_expiring: the stay still runs and its authorisation was not renewed beyond the warning;
    - onward_placement: the child's current stay still runs and the new referral was not withdrawn or ended;
    - unmatched: the referral still waits without a place (pending or unmatched);
    - placement_at_risk, out_of_region: the stay still runs;
    - stacking: both stays still run;
    - repeated_placements: at least `repeated_min_stays` of its stays ended within the window;
    - placement_breakdown, siblings_split: events, they hold until acknowledged."""
    if signal_type in EVENT_ONLY_TYPES:
        return True
    stay = stays.get(referral_id)

    def running(row: Stay | None) -> bool:
        return row is not None and row["status"] == Status.placed

    if signal_type in (SignalType.crisis_cap_approaching, SignalType.crisis_cap_exceeded):
        if not running(stay) or stay is None or stay["crisis_end_date"] is None:
            return False
        same_cap = _iso(stay["crisis_end_date"]) == detail.get("crisis_end_date")
        if signal_type == SignalType.crisis_cap_approaching:
            return same_cap and stay["crisis_end_date"] >= today
        return same_cap
    if signal_type == SignalType.authorisation_expiring:
        if not running(stay) or stay is None:
            return False
        valid_until = stay["court_authorisation_valid_until"]
        return valid_until is not None and authorisation_expiring(valid_until, today, authorisation_warning_days)
    if signal_type == SignalType.onward_placement:
        current = stays.get(str(detail.get("current_referral_id")))
        given_up = stay is None or stay["status"] in (Status.withdrawn, Status.ended)
        return running(current) and not given_up
    if signal_type == SignalType.unmatched:
        return stay is not None and stay["status"] in (Status.pending, Status.unmatched)
    if signal_type in (SignalType.placement_at_risk, SignalType.out_of_region):
        return running(stay)
    if signal_type == SignalType.stacking:
        return running(stay) and running(stays.get(str(detail.get("other_referral_id"))))
    if signal_type == SignalType.repeated_placements:
        ended = [stays[str(other)] for other in detail.get("referral_ids") or [] if str(other) in stays]
        return bool(repeated_placements(ended, today, repeated_window_days, repeated_min_stays))
    return True
