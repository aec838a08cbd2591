"""The place rules on their own, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from capacity import domain
from common.errors import InvalidInput

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)


def test_available_places_never_go_below_zero() -> None:
    assert domain.available(capacity=5, occupied=2, reserved=1, blocked=1) == 1
    assert domain.available(capacity=2, occupied=2, reserved=1, blocked=0) == 0


def test_in_region_follows_the_configured_municipalities() -> None:
    assert domain.in_region("GM0518", ("GM0518", "GM0503"))
    assert not domain.in_region("GM0599", ("GM0518", "GM0503"))


def test_age_range_must_not_be_reversed() -> None:
    domain.check_age_range(12, 12)
    with pytest.raises(InvalidInput) as error:
        domain.check_age_range(13, 12)
    assert error.value.errors[0].field == "age_max"


def test_capacity_must_cover_places_in_use() -> None:
    places = domain.Places(capacity=5, occupied=2, reserved=1, blocked=0)
    places.check_new_availability(capacity=4, blocked=1)
    with pytest.raises(InvalidInput) as error:
        places.check_new_availability(capacity=3, blocked=1)
    assert error.value.errors[0].field == "capacity"


def test_only_more_capacity_or_fewer_blocked_may_free_places() -> None:
    places = domain.Places(capacity=5, occupied=0, reserved=0, blocked=2)
    assert places.may_free_places(capacity=6, blocked=2)
    assert places.may_free_places(capacity=5, blocked=1)
    assert not places.may_free_places(capacity=5, blocked=2)
    assert not places.may_free_places(capacity=4, blocked=3)


def test_hold_must_end_after_now_and_within_the_longest_hold() -> None:
    week = timedelta(days=7)
    domain.check_hold_until(NOW + timedelta(seconds=1), NOW, week)
    domain.check_hold_until(NOW + week, NOW, week)
    with pytest.raises(InvalidInput):
        domain.check_hold_until(NOW, NOW, week)
    with pytest.raises(InvalidInput):
        domain.check_hold_until(NOW + week + timedelta(seconds=1), NOW, week)


@pytest.mark.parametrize("status", ["released", "expired"])
def test_given_up_holds_cannot_be_confirmed(status: str) -> None:
    with pytest.raises(domain.ReservationNotHeld):
        domain.check_confirmable("r-1", status, NOW + timedelta(hours=1), NOW)


def test_lapsed_hold_cannot_be_confirmed_before_the_sweep_ran() -> None:
    domain.check_confirmable("r-1", "held", NOW + timedelta(minutes=1), NOW)
    with pytest.raises(domain.ReservationNotHeld) as error:
        domain.check_confirmable("r-1", "held", NOW, NOW)
    assert error.value.reservation_status == "expired"


def test_confirmed_hold_cannot_be_released() -> None:
    domain.check_releasable("r-1", "held")
    domain.check_releasable("r-1", "expired")
    with pytest.raises(domain.ReservationNotHeld):
        domain.check_releasable("r-1", "confirmed")


def test_stay_cannot_end_before_it_started() -> None:
    domain.check_end_date(date(2026, 11, 3), date(2026, 11, 3))
    with pytest.raises(InvalidInput):
        domain.check_end_date(date(2026, 11, 3), date(2026, 11, 2))


@pytest.mark.parametrize(
    ("places", "age", "serves", "reason"),
    [
        (domain.Places(1, 1, 0, 0), 30, False, "no_free_place"),
        (domain.Places(2, 1, 0, 0), 11, False, "age_out_of_range"),
        (domain.Places(2, 1, 0, 0), 12, False, "target_group_not_served"),
        (domain.Places(2, 1, 0, 0), 17, True, None),
    ],
)
def test_first_exclusion_reason_wins(places: domain.Places, age: int, serves: bool, reason: str | None) -> None:
    assert domain.exclusion_reason(places, 12, 17, serves, age) == reason


def test_no_free_place_has_its_problem_type() -> None:
    problem = domain.NoFreePlace("u-1")
    assert (problem.status, problem.type) == (409, "urn:regiepunt:no-free-place")
