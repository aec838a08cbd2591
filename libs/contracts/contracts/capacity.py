"""Capacity's calls as matching and intake make them: units and providers as read, candidates, holds
(reservations), stays (occupancies) and the free places.

The candidates answer is the hot path of every decision: in its compact view each unit is an array
(`CompactUnit`) and each unit left out another (`CompactExcluded`), thousands per answer. Their columns
are defined here once: capacity writes the arrays in this order and matching reads them by position
(`CompactUnit._make`), without validating each through pydantic.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, NamedTuple, get_type_hints

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

from contracts.group import Flags, GroupProfile, ProductionUse
from contracts.lists import ListEnvelope
from contracts.vocabulary import InlineCapacityExclusion, InlineCareType, InlineTargetGroup

ProviderRole = Literal["strategic", "tactical", "operational"]
ReservationStatus = Literal["held", "confirmed", "released", "expired"]

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
RequestId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Call(BaseModel):
    """The body of a call: a field capacity does not know is refused, not ignored."""

    model_config = ConfigDict(extra="forbid")


# A year's production agreement ("P x Q") of a provider for one care type: the care days agreed.
class ProductionAgreement(Call):
    year: Annotated[StrictInt, Field(ge=2000, le=2100)]
    care_type: InlineCareType
    care_days: Annotated[StrictInt, Field(ge=0, le=10_000_000)]


class ProviderOut(BaseModel):
    id: str
    name: str
    agb_code: str
    role: ProviderRole
    created_at: datetime
    production_agreements: list[ProductionAgreement] = []
    # Contracted by the region; a placement with a provider that is not counts against the region.
    contracted: bool = True


class UnitOut(BaseModel):
    id: str
    provider_id: str
    provider_role: ProviderRole
    name: str
    care_type: InlineCareType
    target_groups: list[InlineTargetGroup]
    age_min: int
    age_max: int
    municipality_code: str
    in_region: bool
    capacity: int
    occupied: int
    reserved: int
    blocked: int
    available: int
    specialisms: list[str]
    # What the provider says about the unit in words (never about a child).
    description: str | None = None
    part_time: bool
    version: int
    created_at: datetime
    updated_at: datetime
    # The children staying there now, as a group; for coordinators and the services only (null for
    # anyone else): what the other children carry is no provider's or referrer's business.
    group_profile: GroupProfile | None = None
    # The unit's own point; without it, its municipality's point counts (contracts.geography).
    latitude: float | None = None
    longitude: float | None = None
    # When the provider last set or confirmed the free places, and whether that is longer ago than
    # REGIEPUNT_AVAILABILITY_STALE_HOURS (a closed unit is never stale: it has nothing to confirm).
    availability_confirmed_at: datetime | None = None
    availability_stale: bool = False
    # A closed unit takes no new child (no proposal, no hold); its stays run on.
    closed: bool = False


class ReservationCreate(Call):
    referral_id: Reference
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    expires_at: datetime
    # The match request holding the place: sent again, it gets the hold it made already.
    request_id: RequestId | None = None
    # The child as the group it joins sees it, kept with the stay once the place is taken up: its age
    # in years and its risk flags and vulnerabilities (codes). Nothing finer, nothing that names it.
    age: Annotated[StrictInt, Field(ge=0, le=23)] | None = None
    flags: Flags = []


class ReservationOut(BaseModel):
    id: str
    unit_id: str
    provider_id: str
    referral_id: str
    client_key: str
    request_id: str | None = None
    status: ReservationStatus
    expires_at: datetime
    created_at: datetime


class HoldsRelease(Call):
    """Release the places held for a referral: all of them, or those of the named match requests,
    except the one kept (the proposal that stands)."""

    referral_id: Reference
    keep_reservation_id: Reference | None = None
    request_ids: Annotated[list[RequestId], Field(max_length=1000)] | None = None


class JointHold(Call):
    """One place of a joint hold: the unit, and the referral and match request it is held for."""

    unit_id: Reference
    referral_id: Reference
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    request_id: RequestId
    # The child as the group it joins sees it, as for a single hold (ReservationCreate).
    age: Annotated[StrictInt, Field(ge=0, le=23)] | None = None
    flags: Flags = []


# The most places one joint hold may take at once (a group of siblings).
MAX_JOINT_HOLDS = 20


class JointHoldCreate(Call):
    """Hold several places at once, all or none (siblings kept together)."""

    expires_at: datetime
    holds: Annotated[list[JointHold], Field(min_length=1, max_length=MAX_JOINT_HOLDS)]


class JointHoldOut(BaseModel):
    reservations: list[ReservationOut]


class HoldsReleased(BaseModel):
    released: list[str]


class Confirmation(Call):
    start_date: date


class OccupancyEnd(Call):
    end_date: date


class OccupancyOut(BaseModel):
    id: str
    unit_id: str
    provider_id: str
    reservation_id: str
    referral_id: str
    client_key: str
    start_date: date
    end_date: date | None


class ConfirmationOut(BaseModel):
    reservation: ReservationOut
    occupancy: OccupancyOut
    # Whether the region contracted the stay's provider when the place was confirmed (null: not said).
    provider_contracted: bool | None = None


class Excluded(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    reason: InlineCapacityExclusion


class CompactUnit(NamedTuple):
    """A unit that can take the child (care type, target group, age, a free place), as the compact
    view sends it: an array in this order."""

    id: str
    provider_id: str
    provider_role: ProviderRole
    municipality_code: str
    in_region: bool
    specialisms: list[str]
    part_time: bool
    # Free places for this child (a place its request holds already counts as free): a group of
    # siblings needs to know whether a unit has room for all of them. A listed unit has one at least.
    available: int
    # The unit's own point (null: its municipality's) and its places, for distance and group size.
    latitude: float | None
    longitude: float | None
    capacity: int
    # The free places were last confirmed longer ago than REGIEPUNT_AVAILABILITY_STALE_HOURS: the
    # unit is still proposed, and the reasons say so.
    availability_stale: bool = False


class CompactExcluded(NamedTuple):
    """A unit of the care type left out, with the first reason that excludes it, as the compact view
    sends it: an array in this order."""

    unit_id: str
    provider_id: str
    in_region: bool
    reason: InlineCapacityExclusion


def _array(row: type[tuple[Any, ...]]) -> Any:
    """A compact row as it is documented: an array of its columns' types in order, without names."""
    return tuple[tuple(get_type_hints(row, include_extras=True).values())]  # type: ignore[misc]


# To the type checker the named rows; in the schema the plain arrays they are on the wire.
if TYPE_CHECKING:
    CompactUnitArray = CompactUnit
    CompactExcludedArray = CompactExcluded
else:
    CompactUnitArray = _array(CompactUnit)
    CompactExcludedArray = _array(CompactExcluded)


class Candidates(BaseModel):
    # With request_id: the unit where that request holds a place, which counts as free for it.
    held_unit_id: str | None = None
    units: list[UnitOut] | list[CompactUnitArray]
    excluded: list[Excluded] | list[CompactExcludedArray]
    # With region=inside: how many units outside the region could take the child (not listed).
    outside_fitting: int | None = None
    # With excluded_outside=count: the units outside that cannot take the child, counted per reason
    # instead of listed.
    outside_excluded: dict[InlineCapacityExclusion, int] | None = None
    # With excluded_unfit=count: the units whose own ages or target groups do not admit the child,
    # counted per reason instead of listed (units outside counted in outside_excluded excepted).
    unfit_excluded: dict[InlineCapacityExclusion, int] | None = None
    # With group=true: the group profile of each listed unit where children stay now, by unit id,
    # and the production agreement of this care type and year of each operational provider that has
    # one, with its use, by provider id.
    group_profiles: dict[str, GroupProfile] | None = None
    production: dict[str, ProductionUse] | None = None


class Epoch(BaseModel):
    epoch: int


class StaleUnit(BaseModel):
    id: str
    provider_id: str
    availability_confirmed_at: datetime


class StaleUnits(BaseModel):
    """Capacity's GET /internal/stale-units (docs/internal-api.md): the open units stale at
    `stale_before`, all of them or those that can have turned stale since an earlier answer; asked again
    with `generation`, `upto` and `stale_before` as they are here."""

    generation: str | None
    upto: int
    stale_before: datetime
    units: list[StaleUnit]


class ProviderFreshness(BaseModel):
    provider_id: str
    # Its open units, and how many of them had their free places confirmed at or after `since`.
    units: int
    confirmed_since: int


class NamedStaleUnit(StaleUnit):
    name: str


class UnitFreshness(BaseModel):
    """Capacity's GET /internal/unit-freshness (docs/internal-api.md): per provider how fresh its open
    units are, and the stale ones, counted by capacity instead of listing every unit."""

    providers: list[ProviderFreshness]
    stale_units: list[NamedStaleUnit]


class ProductionItem(BaseModel):
    care_type: InlineCareType
    # Null when the provider has no agreement for this care type in the year (only its use is shown).
    agreed_days: int | None
    used_days: int
    projected_days: int


class Production(ListEnvelope):
    year: int
    items: list[ProductionItem]


class ProviderProduction(Production):
    provider_id: str


class ProductionOverview(ListEnvelope):
    year: int
    items: list[ProviderProduction]


class AvailabilityRow(BaseModel):
    care_type: str
    in_region: bool
    units: int
    capacity: int
    occupied: int
    reserved: int
    blocked: int
    available: int


class AvailabilitySummary(ListEnvelope):
    items: list[AvailabilityRow]


class FreePlaceKind(BaseModel):
    care_type: str
    in_region: bool
    age_min: int
    age_max: int
    target_groups: list[str]
    part_time: bool = Field(description="the units offer part-time care only")
    units: int
    available: int
    changed_at: datetime = Field(description="the last change of any of these units (a place may have come free)")


class FreePlaces(ListEnvelope):
    items: list[FreePlaceKind]
