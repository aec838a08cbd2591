"""The rules of places: what a unit offers, when a place is free, and how a hold moves on.

Pure Python on purpose: no FastAPI, no SQLAlchemy, so that the rules can be tested without a database.
The database enforces the same rules with conditional updates (see db.py); these functions say what
they are and give the errors their names.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import get_args

from common.errors import Conflict, FieldError, InvalidFields, InvalidInput, NotFound
from contracts import capacity as capacity_contract
from contracts import vocabulary

# The shared vocabulary (libs/contracts), its values listed in place in capacity's document.
CareType = vocabulary.InlineCareType
TargetGroup = vocabulary.InlineTargetGroup
ExclusionReason = vocabulary.InlineCapacityExclusion
ProviderRole = capacity_contract.ProviderRole
ReservationStatus = capacity_contract.ReservationStatus

CARE_TYPES: tuple[str, ...] = tuple(care_type.value for care_type in vocabulary.CareType)
TARGET_GROUPS: tuple[str, ...] = tuple(group.value for group in vocabulary.TargetGroup)
PROVIDER_ROLES: tuple[str, ...] = get_args(ProviderRole)

AGE_MIN = 0
AGE_MAX = 23  # extended youth care runs up to the 23rd birthday


def check_specialisms(specialisms: Iterable[str], known: vocabulary.Vocabulary) -> None:
    """A unit's specialisms are codes of the vocabulary's needs, the words a referral's needs are in."""
    unknown = known.unknown("needs", specialisms)
    if unknown:
        raise InvalidFields(
            [FieldError(f"specialisms.{index}", known.refusal("needs", code)) for index, code in unknown]
        )


class UnitNotFound(NotFound):
    def __init__(self, unit_id: str) -> None:
        super().__init__(f"No unit {unit_id}.")


class ProviderNotFound(NotFound):
    def __init__(self, provider_id: str) -> None:
        super().__init__(f"No provider {provider_id}.")


class ReservationNotFound(NotFound):
    def __init__(self, reservation_id: str) -> None:
        super().__init__(f"No reservation {reservation_id}.")


class OccupancyNotFound(NotFound):
    def __init__(self, occupancy_id: str) -> None:
        super().__init__(f"No occupancy {occupancy_id}.")


class NoFreePlace(Conflict):
    type = "urn:regiepunt:no-free-place"
    title = "No free place"

    def __init__(self, unit_id: str) -> None:
        super().__init__(f"Unit {unit_id} has no free place.")


class ReservationNotHeld(Conflict):
    type = "urn:regiepunt:reservation-not-held"

    def __init__(self, reservation_id: str, status: str, action: str) -> None:
        super().__init__(f"Reservation {reservation_id} is {status}; it cannot be {action}.")
        self.reservation_status = status


class DuplicateAgbCode(Conflict):
    def __init__(self, agb_code: str) -> None:
        super().__init__(f"A provider with AGB code {agb_code} already exists.")


def check_production_agreements(agreements: list[tuple[int, str]]) -> None:
    """One agreement per year and care type: two would leave the cap to chance."""
    seen: set[tuple[int, str]] = set()
    for position, key in enumerate(agreements):
        if key in seen:
            raise InvalidInput(
                f"production_agreements[{position}]", f"a second agreement for {key[1]} in {key[0]}; give one per year"
            )
        seen.add(key)


def available(capacity: int, occupied: int, reserved: int, blocked: int) -> int:
    """Free places; never negative, even when a capacity cut left more children than places. The
    queries use its SQL twin, db.available_sql."""
    return max(0, capacity - occupied - reserved - blocked)


def availability_stale(confirmed_at: datetime, closed: bool, stale_before: datetime) -> bool:
    """Free places last set or confirmed before `stale_before` are not to be trusted blindly; a closed
    unit has none to confirm."""
    return not closed and confirmed_at < stale_before


class UnitClosed(Conflict):
    type = "urn:regiepunt:unit-closed"
    title = "Unit closed"

    def __init__(self, unit_id: str) -> None:
        super().__init__(f"Unit {unit_id} is closed.")


def in_region(municipality_code: str, region_municipalities: Iterable[str]) -> bool:
    return municipality_code in set(region_municipalities)


def check_age_range(age_min: int, age_max: int) -> None:
    if age_min > age_max:
        raise InvalidInput("age_max", f"must not be below age_min ({age_min})")


def check_point(latitude: float | None, longitude: float | None) -> None:
    """A unit's own point is a pair: one coordinate alone places it nowhere."""
    if latitude is not None and longitude is None:
        raise InvalidInput("longitude", "must be given with latitude (or leave both out)")
    if longitude is not None and latitude is None:
        raise InvalidInput("latitude", "must be given with longitude (or leave both out)")


@dataclass(frozen=True)
class Places:
    """The counts of one unit; the invariant is capacity >= occupied + reserved + blocked."""

    capacity: int
    occupied: int
    reserved: int
    blocked: int

    @property
    def available(self) -> int:
        return available(self.capacity, self.occupied, self.reserved, self.blocked)

    def check_new_availability(self, capacity: int, blocked: int) -> None:
        """A provider may not declare fewer places than children already placed or held there."""
        in_use = self.occupied + self.reserved + blocked
        if capacity < in_use:
            raise InvalidInput(
                "capacity",
                f"must be at least occupied + reserved + blocked = "
                f"{self.occupied} + {self.reserved} + {blocked} = {in_use}",
            )

    def may_free_places(self, capacity: int, blocked: int) -> bool:
        """Raising capacity or lowering blocked may let a waiting child in."""
        return capacity > self.capacity or blocked < self.blocked


def check_hold_until(expires_at: datetime, now: datetime, max_ahead: timedelta) -> None:
    """A hold lasts a while, not for ever: a place held until 9999 would be lost to every child."""
    if expires_at <= now:
        raise InvalidInput("expires_at", "must lie in the future")
    if expires_at > now + max_ahead:
        raise InvalidInput("expires_at", f"may lie at most {max_ahead.days} days ahead")


def check_confirmable(reservation_id: str, status: str, expires_at: datetime, now: datetime) -> None:
    """A held place can be taken up until its hold expires; after that it belongs to the next child."""
    if status in ("released", "expired"):
        raise ReservationNotHeld(reservation_id, status, "confirmed")
    if status == "held" and expires_at <= now:
        raise ReservationNotHeld(reservation_id, "expired", "confirmed")


def check_releasable(reservation_id: str, status: str) -> None:
    if status == "confirmed":
        raise ReservationNotHeld(reservation_id, status, "released; end the occupancy instead")


def check_end_date(start_date: date, end_date: date) -> None:
    if end_date < start_date:
        raise InvalidInput("end_date", f"must not be before the start date {start_date.isoformat()}")


def exclusion_reason(places: Places, age_min: int, age_max: int, serves: bool, age: int) -> str | None:
    """The first reason a unit of the right care type cannot take this child; the SQL in db.py
    computes the same CASE in the database, this is its reference."""
    if places.available <= 0:
        return "no_free_place"
    if not age_min <= age <= age_max:
        return "age_out_of_range"
    if not serves:
        return "target_group_not_served"
    return None
