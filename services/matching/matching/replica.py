"""Matching's read model of the register: the units as a candidate list reads them, kept in memory and
followed by capacity's change feed (docs/internal-api.md, the change feed; docs/matching.md).

Capacity stays the only source of truth: a hold still goes to capacity, which refuses it when the
unit changed. The read model only spares a decision the fetch of hundreds of units. It never lets a
child miss a place that capacity knew of when the decision began: the answer of the decision's hold
carries every change numbered after the last one applied (`take`), and the decision ranks again when
one of them matters (`unchanged_since`); a decision with nothing to hold first reads the feed
(`catch_up`, one request, mostly empty). Listing the units is `candidates`: the same filter, counts
and group and production figures as capacity's compact candidate list (capacity.candidates),
computed here.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import orjson

from common.errors import DependencyUnavailable
from common.http import ServiceClient, ServiceUnavailableError, raise_for_unexpected
from common.logging import get_logger
from contracts.capacity import CompactUnit
from matching.unit_state import Mark, UnitState, only_held_by, unit_from, used_days

log = get_logger("regiepunt.matching.replica")

# The reasons of a unit whose own rules do not admit the child, as opposed to one that is full.
UNFIT_REASONS = ("age_out_of_range", "target_group_not_served")
CAPACITY_UNREACHABLE = "Capacity could not be reached; nothing was decided or reserved. Try again."
FEED_PAGE = 2000


@dataclass(frozen=True)
class Listed:
    """The units of a care type for one child, as capacity's compact candidate list has them."""

    units: list[CompactUnit]
    rejected: list[Any]
    outside_excluded: dict[str, int]
    outside_fitting: int
    unfit_excluded: dict[str, int]
    held_unit_id: str | None
    group_profiles: dict[str, Any]
    production: dict[str, Any]


class Replica:
    """The units and the providers' agreements, by the last change applied (`seq`)."""

    def __init__(self) -> None:
        self.tick = 0
        self._clear(None)
        self._lock = asyncio.Lock()
        # Catch-ups begun and the number of the last one begun that has ended: a decision waits for
        # one that began after the decision did (`catch_up`).
        self._begun = 0
        self._ended = 0

    def _clear(self, generation: str | None) -> None:
        self.generation = generation
        self.seq = 0
        self.units: dict[str, UnitState] = {}
        # The open units by care type and by whether they lie inside the region: a decision without a
        # ground lists only those inside.
        self.by_care_type: dict[tuple[str, bool], dict[str, UnitState]] = {}
        # By care type, the number of units outside that could take a child of (target group, age):
        # counted when first asked for, then kept up to date unit by unit as they change.
        self.fitting_outside: dict[str, dict[tuple[str, int], int]] = {}
        self.by_provider: dict[str, dict[str, UnitState]] = {}
        # Provider id: {(year, care type): care days}.
        self.agreements: dict[str, dict[tuple[int, str], int]] = {}
        # Match request id: the unit where it holds a place.
        self.holds: dict[str, str] = {}
        # Provider id: the number of the change its agreements were read at.
        self.agreements_seq: dict[str, int] = {}
        self.today = date.min
        self.stale_before = datetime.min.replace(tzinfo=UTC)
        # Raised by every change applied that a ranking could see, and the last value per care type
        # (`everything_changed` for what every care type sees: the agreements, the day, a register
        # read anew): a decision that held a place knows so whether anything it ranked on changed
        # meanwhile (`unchanged_since`). Never lowered, not even here.
        self.tick += 1
        self.changed: dict[str, int] = {}
        self.everything_changed = self.tick

    def apply(self, body: dict[str, Any], own_request_id: str | None = None) -> None:
        """Apply an answer of the change feed. Answers may overlap and arrive out of order (a hold's
        answer beside the feed's, decisions at once): a unit or provider is only ever replaced by a
        state numbered at least as late. `own_request_id`: the request whose hold is among the
        changes, which does not change its own ranking (`unchanged_since`)."""
        for row in body["units"]:
            old = self.units.get(row[0])
            if old is not None and old.seq > row[1]:
                continue
            unit = unit_from(row)
            if old is not None:
                for request_id in old.held_requests:
                    if self.holds.get(request_id) == old.id:
                        del self.holds[request_id]
                listed = self.by_care_type.get((old.care_type, old.in_region), {}).pop(old.id, None)
                if listed is not None and not old.in_region:
                    self._count_outside(old, -1)
            if old is None or not only_held_by(old, unit, own_request_id):
                self.tick += 1
                self.changed[unit.care_type] = self.tick
                if old is not None:
                    self.changed[old.care_type] = self.tick
            self.units[unit.id] = unit
            if not unit.closed:
                self.by_care_type.setdefault((unit.care_type, unit.in_region), {})[unit.id] = unit
                if not unit.in_region:
                    self._count_outside(unit, 1)
            self.by_provider.setdefault(unit.provider_id, {})[unit.id] = unit
            for request_id in unit.held_requests:
                self.holds[request_id] = unit.id
        for provider_id, seq, agreements in body["providers"]:
            if self.agreements_seq.get(provider_id, 0) > seq:
                continue
            self.agreements_seq[provider_id] = seq
            self.agreements[provider_id] = {(year, care_type): days for year, care_type, days in agreements}
            self.tick += 1
            self.everything_changed = self.tick
        # By capacity's clock, as its last answer applied says.
        today = date.fromisoformat(body["today"])
        if today != self.today:
            self.today = today
            self.tick += 1
            self.everything_changed = self.tick
        self.stale_before = datetime.fromisoformat(body["stale_before"])
        self.seq = max(self.seq, int(body["upto"]))

    def take(self, body: dict[str, Any], after: int, own_request_id: str | None = None) -> bool:
        """Apply the changes a hold's answer carried, asked after `after`; True when the read model is
        then as current as the answer was. False, having applied nothing, when they would leave a gap
        (the read model was read anew meanwhile: its number fell below `after`, or capacity's
        register was built anew), and after applying a page when more changes are left: the caller
        then reads the feed (`catch_up`)."""
        if body["generation"] != self.generation or after > self.seq:
            log.info("replica_changes_not_taken", after=after, seq=self.seq)
            return False
        self.apply(body, own_request_id)
        return not body["more"]

    def mark(self, care_type: str) -> Mark:
        """What a ranking of the care type was made on, for `unchanged_since`."""
        return Mark(max(self.changed.get(care_type, 0), self.everything_changed), self.stale_before)

    def unchanged_since(self, mark: Mark, care_type: str) -> bool:
        """Whether a ranking of the care type made at `mark` would be made the same now: no unit of the
        care type changed but by the asking request's own hold, no agreement or day, and no unit's
        free places came to count as unconfirmed for long (`stale_before` moves with the clock)."""
        if max(self.changed.get(care_type, 0), self.everything_changed) != mark.tick:
            return False
        if self.stale_before == mark.stale_before:
            return True
        earlier, later = sorted((mark.stale_before, self.stale_before))
        return not any(
            earlier <= unit.confirmed_at < later
            for in_region in (True, False)
            for unit in self.by_care_type.get((care_type, in_region), {}).values()
        )

    async def catch_up(self, capacity: ServiceClient) -> None:
        """Apply every change capacity numbered before this call, and any after it it sends along.

        Concurrent decisions share one request: a decision that finds one under way waits for it,
        then asks again only when that request began before the decision did."""
        ticket = self._begun
        async with self._lock:
            if self._ended > ticket:
                return
            self._begun += 1
            begun = self._begun
            await self._read_feed(capacity)
            self._ended = begun

    async def _read_feed(self, capacity: ServiceClient) -> None:
        while True:
            try:
                response = await capacity.get("/internal/changes", params={"after": self.seq, "limit": FEED_PAGE})
            except ServiceUnavailableError as exc:
                raise DependencyUnavailable(CAPACITY_UNREACHABLE) from exc
            raise_for_unexpected(response, 200)
            body = orjson.loads(response.content)
            if body["generation"] != self.generation:
                # Capacity's register was built anew (restored, emptied): its numbers start again.
                asked_after = self.seq
                self._clear(body["generation"])
                if asked_after > 0:
                    continue
            if body["units"] or body["providers"]:
                log.debug("replica_changes", units=len(body["units"]), upto=body["upto"])
            self.apply(body)
            if not body["more"]:
                return

    def candidates(
        self,
        care_type: str,
        target_group: str,
        age: int,
        region: str,
        excluded_outside: str,
        excluded_unfit: str,
        request_id: str | None,
        group: bool,
    ) -> Listed:
        """The compact candidate list capacity would answer (capacity.candidates.service)."""
        held_unit_id = self.holds.get(request_id) if request_id is not None else None
        count_unfit = excluded_unfit == "count"
        count_outside = excluded_outside == "count"
        inside_units: list[CompactUnit] = []
        outside_units: list[CompactUnit] = []
        rejected: list[Any] = []
        outside_excluded: dict[str, int] = {}
        unfit_excluded: dict[str, int] = {}
        outside_fitting = 0
        stale_before = self.stale_before
        listed = [
            *(self.by_care_type.get((care_type, True), {}).values() if region != "outside" else ()),
            *(self.by_care_type.get((care_type, False), {}).values() if region != "inside" else ()),
        ]
        if region == "inside":
            outside_fitting = self._fitting_outside(care_type, target_group, age, held_unit_id)
        for unit in listed:
            why = unit.reason(target_group, age, held_unit_id)
            in_region = unit.in_region
            if why is None:
                (inside_units if in_region else outside_units).append(
                    CompactUnit(
                        unit.id,
                        unit.provider_id,
                        unit.role,  # type: ignore[arg-type]
                        unit.municipality_code,
                        in_region,
                        unit.specialisms,
                        unit.part_time,
                        unit.free_places if unit.id != held_unit_id else unit.free(held_unit_id),
                        unit.latitude,
                        unit.longitude,
                        unit.capacity,
                        unit.confirmed_at < stale_before,
                    )
                )
            elif not in_region and count_outside:
                outside_excluded[why] = outside_excluded.get(why, 0) + 1
            elif count_unfit and why in UNFIT_REASONS:
                unfit_excluded[why] = unfit_excluded.get(why, 0) + 1
            else:
                rejected.append((unit.id, unit.provider_id, in_region, why))
        units = inside_units + outside_units
        profiles: dict[str, Any] = {}
        production: dict[str, Any] = {}
        if group:
            profiles, production = self._group_and_production(care_type, units)
        return Listed(
            units,
            rejected,
            outside_excluded,
            outside_fitting,
            unfit_excluded,
            held_unit_id,
            profiles,
            production,
        )

    def _fitting_outside(self, care_type: str, target_group: str, age: int, held_unit_id: str | None) -> int:
        """How many units outside the region could take the child (capacity's `outside_fitting`)."""
        outside = self.by_care_type.get((care_type, False), {})
        if held_unit_id in outside:
            # The request's own place there counts as free for it: not what the count kept holds.
            return sum(1 for unit in outside.values() if unit.reason(target_group, age, held_unit_id) is None)
        kept = self.fitting_outside.setdefault(care_type, {})
        count = kept.get((target_group, age))
        if count is None:
            count = kept[target_group, age] = sum(
                1 for unit in outside.values() if unit.reason(target_group, age, None) is None
            )
        return count

    def _count_outside(self, unit: UnitState, sign: int) -> None:
        """Add (1) or take away (-1) an open unit outside the region to or from the counts kept of its
        care type, for each child it could take."""
        kept = self.fitting_outside.get(unit.care_type)
        if not kept:
            return
        for target_group, age in kept:
            if unit.reason(target_group, age, None) is None:
                kept[target_group, age] += sign

    def _group_and_production(self, care_type: str, units: list[CompactUnit]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The group profiles of the listed units where children stay, and the production use of their
        operational providers with an agreement for the care type this year."""
        profiles: dict[str, Any] = {}
        production: dict[str, Any] = {}
        today = self.today
        for listed in units:
            profile = self.units[listed.id].group_profile_on(today)
            if profile is not None:
                profiles[listed.id] = profile
            if listed.provider_role == "operational" and listed.provider_id not in production:
                agreed = self.agreements.get(listed.provider_id, {}).get((today.year, care_type))
                if agreed is not None:
                    stays = [
                        stay
                        for unit in self.by_provider.get(listed.provider_id, {}).values()
                        if unit.care_type == care_type
                        for stay in unit.stays
                    ]
                    production[listed.provider_id] = {"agreed_days": agreed, "used_days": used_days(stays, today)}
        return profiles, production
