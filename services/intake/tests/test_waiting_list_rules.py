"""The waiting list's hard rules, pure: which kind of free place is worth asking matching about for a
waiting child."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from intake.waiting_list.rules import CLOCK_MARGIN, FreePlaceKind, WaitingChild

ASKED = datetime(2026, 11, 2, 9, tzinfo=UTC)
CHILD = WaitingChild(
    care_type="residential",
    target_group="jo",
    age=12,
    may_leave_region=False,
    part_time=False,
    last_asked_at=ASKED,
)
PLACE = FreePlaceKind(
    in_region=True, age_min=4, age_max=17, part_time_only=False, changed_at=ASKED + timedelta(minutes=5), left=1
)


def test_a_place_in_the_region_that_came_free_since_the_child_was_asked_admits_it() -> None:
    assert PLACE.admits(CHILD)


def test_a_place_outside_the_region_admits_only_a_child_with_a_ground_to_leave_it() -> None:
    outside = replace(PLACE, in_region=False)
    assert not outside.admits(CHILD)
    assert outside.admits(replace(CHILD, may_leave_region=True))


def test_a_part_time_place_admits_only_a_child_who_asked_for_part_time_care() -> None:
    part_time = replace(PLACE, part_time_only=True)
    assert not part_time.admits(CHILD)
    assert part_time.admits(replace(CHILD, part_time=True))


def test_the_age_range_is_inclusive() -> None:
    assert PLACE.admits(replace(CHILD, age=4)) and PLACE.admits(replace(CHILD, age=17))
    assert not PLACE.admits(replace(CHILD, age=3)) and not PLACE.admits(replace(CHILD, age=18))


def test_a_place_already_free_when_the_child_was_refused_is_not_asked_about_again() -> None:
    assert not replace(PLACE, changed_at=ASKED - timedelta(hours=1)).admits(CHILD)
    # The clocks of the services may differ a little: just before counts as after.
    assert replace(PLACE, changed_at=ASKED - CLOCK_MARGIN + timedelta(milliseconds=1)).admits(CHILD)


def test_a_place_handed_out_admits_nobody_more() -> None:
    assert not replace(PLACE, left=0).admits(CHILD)
