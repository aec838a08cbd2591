"""Which free place admits which waiting child by the hard rules, pure: capacity's free places and the
child's facts in, the place worth asking matching about out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from contracts import capacity

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

    def __init__(self, kinds: Iterable[capacity.FreePlaceKind]) -> None:
        self._kinds: dict[tuple[str, str], list[FreePlaceKind]] = {}
        for kind in kinds:
            # One kind per group of units, shared by its target groups: a place taken is gone for all.
            free = FreePlaceKind(
                in_region=kind.in_region,
                age_min=kind.age_min,
                age_max=kind.age_max,
                part_time_only=kind.part_time,
                changed_at=kind.changed_at,
                left=kind.available,
            )
            for group in kind.target_groups:
                self._kinds.setdefault((kind.care_type, group), []).append(free)

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

    def places_for(self, children: Iterable[WaitingChild]) -> list[FreePlaceKind] | None:
        """A place for every child at once (siblings kept together), each place counted once: the
        kinds that would take them, or None when one child finds none left."""
        taken: list[FreePlaceKind] = []
        try:
            for child in children:
                place = self.place_for(child)
                if place is None:
                    return None
                place.left -= 1
                taken.append(place)
            return taken
        finally:
            for place in taken:
                place.left += 1


@dataclass(frozen=True)
class WaitingChild:
    """What the waiting list needs to know of an unmatched child to see whether a free place admits it."""

    care_type: str
    target_group: str
    age: int
    may_leave_region: bool
    part_time: bool
    last_asked_at: datetime
