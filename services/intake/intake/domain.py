"""The intake rules: what a valid referral is, who may see it, and which step its state allows."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from common.errors import Conflict, FieldError, InvalidFields, InvalidInput


class CareType(StrEnum):
    crisis = "crisis"
    foster_care = "foster_care"
    family_home = "family_home"
    respite = "respite"
    training_flat = "training_flat"
    residential = "residential"
    clinical = "clinical"
    secure = "secure"


class TargetGroup(StrEnum):
    jo = "jo"
    lvb = "lvb"
    ggz = "ggz"


class OutOfRegionCriterion(StrEnum):
    safety = "safety"
    expertise = "expertise"


class Status(StrEnum):
    pending = "pending"
    proposed = "proposed"
    unmatched = "unmatched"
    placed = "placed"
    withdrawn = "withdrawn"
    ended = "ended"


# Statuses of a referral that is still looking for a place: the waiting children, and for a child in
# a crisis stay its follow-up.
WAITING_STATUSES = (Status.pending, Status.proposed, Status.unmatched)
WAITING = tuple(status.value for status in WAITING_STATUSES)


class EndReason(StrEnum):
    returned_home = "returned_home"
    onward_placement = "onward_placement"
    independent_living = "independent_living"
    breakdown = "breakdown"
    other = "other"


MAX_AGE = 17
# Kamertraining continues into extended youth care for young adults.
MAX_AGE_TRAINING_FLAT = 22
MIN_JUSTIFICATION_LENGTH = 20
ACCEPT_MAX_DAYS_BACK = 60
CONTINUITY_DAYS = 365


class StateConflict(Conflict):
    """The referral's current status does not allow the requested step."""


class SubmissionInProgress(Conflict):
    """A request with the same Idempotency-Key is still being answered; its answer comes shortly."""

    retry_after = 1

    def __init__(self) -> None:
        super().__init__("A referral with this Idempotency-Key is still being submitted; ask again in a moment.")


def bsn_is_valid(bsn: str) -> bool:
    """The eleven-test ("elfproef") of the Dutch citizen service number."""
    # ASCII digits only: str.isdigit() also takes "٩" or "²", and one child would get two client keys.
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(bsn, weights, strict=True))
    return total % 11 == 0 and bsn != "000000000"


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


# The services' clocks may differ a little: a unit changed just before the child was last asked about
# counts as changed after it.
CLOCK_MARGIN = timedelta(seconds=2)


@dataclass(slots=True)
class FreePlaceKind:
    """Units with free places that admit the same children (one of capacity's /v1/free-places)."""

    in_region: bool
    age_min: int
    age_max: int
    part_time_only: bool
    changed_at: datetime
    left: int

    def admits(self, child: WaitingChild) -> bool:
        return (
            self.left > 0
            and (self.in_region or child.may_leave_region)
            and (child.part_time or not self.part_time_only)
            and self.age_min <= child.age <= self.age_max
            and self.changed_at > child.last_asked_at - CLOCK_MARGIN
        )


class FreePlaces:
    """The free places, by the children their hard rules admit: care type, target group, age range,
    inside or outside the region, part-time only, with how many of each kind are left while the
    waiting list hands them out."""

    def __init__(self, kinds: Iterable[dict[str, Any]]) -> None:
        self._kinds: dict[tuple[str, str], list[FreePlaceKind]] = {}
        for kind in kinds:
            # One kind per group of units, shared by its target groups: a place taken is gone for all.
            free = FreePlaceKind(
                in_region=bool(kind["in_region"]),
                age_min=kind["age_min"],
                age_max=kind["age_max"],
                part_time_only=bool(kind["part_time"]),
                changed_at=datetime.fromisoformat(kind["changed_at"]),
                left=int(kind["available"]),
            )
            for group in kind["target_groups"]:
                self._kinds.setdefault((kind["care_type"], group), []).append(free)

    @property
    def care_types(self) -> list[str]:
        return sorted({care_type for care_type, _ in self._kinds})

    def place_for(self, child: WaitingChild) -> FreePlaceKind | None:
        """A kind of place still free that passes the hard rules for this child and may have come
        free since matching last looked for the child: worth asking matching again. Without a ground
        to place outside the region only a place inside counts; a place for part-time care only is for
        a child who asked for part-time care; a place that was already free when the child was last
        refused (declined before, lacking the expertise) is not asked about again."""
        return next(
            (kind for kind in self._kinds.get((child.care_type, child.target_group), ()) if kind.admits(child)), None
        )


@dataclass(frozen=True)
class WaitingChild:
    """What the waiting list needs to know of an unmatched child to see whether a free place admits it."""

    care_type: str
    target_group: str
    age: int
    may_leave_region: bool
    part_time: bool
    last_asked_at: datetime


def max_age_for(care_type: str) -> int:
    return MAX_AGE_TRAINING_FLAT if care_type == CareType.training_flat else MAX_AGE


@dataclass(frozen=True)
class ClientFacts:
    bsn: str
    birth_date: date
    municipality_code: str


def check_referral(
    client: ClientFacts,
    care_type: str,
    out_of_region_justification: str | None,
    *,
    today: date,
    region: tuple[str, ...],
) -> None:
    """The rules a referral must meet before it is stored; every broken rule is named at once."""
    errors: list[FieldError] = []
    if not bsn_is_valid(client.bsn):
        errors.append(FieldError("client.bsn", "is not a valid BSN: it must be 9 digits and pass the eleven-test"))
    if client.birth_date > today:
        errors.append(FieldError("client.birth_date", "lies in the future"))
    else:
        age = age_on(client.birth_date, today)
        limit = max_age_for(care_type)
        if age > limit:
            errors.append(FieldError("client.birth_date", f"the child is {age}; {care_type} takes up to age {limit}"))
    if client.municipality_code not in region:
        errors.append(FieldError("client.municipality_code", "is not a municipality of this region"))
    justification_short = (
        out_of_region_justification is not None and len(out_of_region_justification.strip()) < MIN_JUSTIFICATION_LENGTH
    )
    if justification_short:
        errors.append(
            FieldError(
                "out_of_region.justification",
                f"must explain the ground in at least {MIN_JUSTIFICATION_LENGTH} characters",
            )
        )
    if errors:
        raise InvalidFields(errors)


def client_key(secret: str, bsn: str) -> str:
    """The pseudonym other services know the child by; only intake can link it to the BSN."""
    return hmac.new(secret.encode(), bsn.encode(), hashlib.sha256).hexdigest()


def require_status(current: str, allowed: tuple[Status, ...], action: str) -> None:
    if current not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise StateConflict(f"Cannot {action} a referral that is {current}; it must be {names}.")


def check_start_date(start: date, today: date) -> None:
    if start > today:
        raise InvalidInput("start_date", "cannot lie in the future")
    if start < today - timedelta(days=ACCEPT_MAX_DAYS_BACK):
        raise InvalidInput("start_date", f"may lie at most {ACCEPT_MAX_DAYS_BACK} days back")


def check_end_date(end: date, start: date | None, today: date) -> None:
    if end > today:
        raise InvalidInput("end_date", "cannot lie in the future")
    if start is not None and end < start:
        raise InvalidInput("end_date", "cannot lie before the start of the stay")


def crisis_end_date(care_type: str, start: date, cap_days: int) -> date | None:
    """Crisis stays are capped ("home, unless…"): the end is known from the first day."""
    if care_type != CareType.crisis:
        return None
    return start + timedelta(days=cap_days)


def crisis_days_left(end: date | None, today: date) -> int | None:
    return None if end is None else (end - today).days


def hold_hours(care_type: str, crisis_hours: int, other_hours: int) -> int:
    return crisis_hours if care_type == CareType.crisis else other_hours
