"""Request and response models of the capacity calls (docs/api.md); those of the calls between the services
are the contract's (libs/contracts, docs/internal-api.md)."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, field_validator

from capacity.domain import AGE_MAX, AGE_MIN, CareType, ProviderRole, TargetGroup

# The shapes matching and intake read are the contract's (libs/contracts); named here too, since the
# routes and use cases of capacity answer in them.
from contracts.capacity import AvailabilityRow as AvailabilityRow
from contracts.capacity import AvailabilitySummary as AvailabilitySummary
from contracts.capacity import Candidates as Candidates
from contracts.capacity import Confirmation as Confirmation
from contracts.capacity import ConfirmationOut as ConfirmationOut
from contracts.capacity import Epoch as Epoch
from contracts.capacity import Excluded as Excluded
from contracts.capacity import FreePlaceKind as FreePlaceKind
from contracts.capacity import FreePlaces as FreePlaces
from contracts.capacity import HoldsRelease as HoldsRelease
from contracts.capacity import HoldsReleased as HoldsReleased
from contracts.capacity import JointHold as JointHold
from contracts.capacity import JointHoldCreate as JointHoldCreate
from contracts.capacity import JointHoldOut as JointHoldOut
from contracts.capacity import OccupancyEnd as OccupancyEnd
from contracts.capacity import OccupancyOut as OccupancyOut
from contracts.capacity import Production as Production
from contracts.capacity import ProductionAgreement as ProductionAgreement
from contracts.capacity import ProductionItem as ProductionItem
from contracts.capacity import ProductionOverview as ProductionOverview
from contracts.capacity import ProviderOut as ProviderOut
from contracts.capacity import ProviderProduction as ProviderProduction
from contracts.capacity import ReservationCreate as ReservationCreate
from contracts.capacity import ReservationOut as ReservationOut
from contracts.capacity import UnitOut as UnitOut
from contracts.geography import LATITUDE_RANGE, LONGITUDE_RANGE
from contracts.vocabulary import Needs

_AGB = re.compile(r"[0-9]{8}")
_MUNICIPALITY = re.compile(r"GM[0-9]{4}")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Age = Annotated[StrictInt, Field(ge=AGE_MIN, le=AGE_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000)]
Latitude = Annotated[float, Field(ge=LATITUDE_RANGE[0], le=LATITUDE_RANGE[1], allow_inf_nan=False)]
Longitude = Annotated[float, Field(ge=LONGITUDE_RANGE[0], le=LONGITUDE_RANGE[1], allow_inf_nan=False)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderCreate(Request):
    name: Name
    agb_code: str = Field(json_schema_extra={"pattern": "^[0-9]{8}$"})
    role: ProviderRole
    production_agreements: ProductionAgreements = []
    # Contracted by the region (default); false for a provider the region has no contract with.
    contracted: StrictBool = True

    @field_validator("agb_code")
    @classmethod
    def _agb_code_is_eight_digits(cls, value: str) -> str:
        if not _AGB.fullmatch(value):
            raise ValueError("must be exactly 8 digits")
        return value


MAX_AGREEMENTS = 200
ProductionAgreements = Annotated[list[ProductionAgreement], Field(max_length=MAX_AGREEMENTS)]


class ProviderUpdate(Request):
    """What a coordinator may change of a provider; a field left out stays as it is. The production
    agreements are given as a whole: the list replaces the provider's agreements."""

    production_agreements: ProductionAgreements | None = None
    contracted: StrictBool | None = None


class ProviderList(BaseModel):
    items: list[ProviderOut]
    total: int
    limit: int
    offset: int


class UnitCreate(Request):
    name: Name
    care_type: CareType
    target_groups: Annotated[list[TargetGroup], Field(min_length=1, max_length=3)]
    age_min: Age
    age_max: Age
    municipality_code: str = Field(json_schema_extra={"pattern": "^GM[0-9]{4}$"})
    capacity: Count
    # Codes of the vocabulary's needs (its shape here, its codes in domain.check_specialisms).
    specialisms: Annotated[
        Needs, Field(description="codes of the vocabulary's needs (intake's GET /v1/vocabulary)")
    ] = []
    # Words about the unit (its approach, its setting), never about a child.
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    part_time: StrictBool = False
    # Both or neither (domain.check_point): without them, the municipality's point counts.
    latitude: Latitude | None = None
    longitude: Longitude | None = None

    @field_validator("municipality_code")
    @classmethod
    def _municipality_code_format(cls, value: str) -> str:
        if not _MUNICIPALITY.fullmatch(value):
            raise ValueError("must be a CBS municipality code: GM followed by 4 digits, for example GM0518")
        return value


class UnitUpdate(Request):
    """What a provider (or a coordinator) may change of a unit; a field left out stays as it is, a
    null clears what may be empty (description, the unit's point). `closed`: the unit takes no new
    child (no proposal, no hold) while its stays run on; false opens it again. The care type and the
    places are not changed here (the places through PUT availability)."""

    name: Name | None = None
    target_groups: Annotated[list[TargetGroup], Field(min_length=1, max_length=3)] | None = None
    age_min: Age | None = None
    age_max: Age | None = None
    municipality_code: str | None = Field(default=None, json_schema_extra={"pattern": "^GM[0-9]{4}$"})
    specialisms: Annotated[Needs, Field(description="codes of the vocabulary's needs")] | None = None
    description: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None
    part_time: StrictBool | None = None
    latitude: Latitude | None = None
    longitude: Longitude | None = None
    closed: StrictBool | None = None

    @field_validator("municipality_code")
    @classmethod
    def _municipality_code_format(cls, value: str | None) -> str | None:
        if value is not None and not _MUNICIPALITY.fullmatch(value):
            raise ValueError("must be a CBS municipality code: GM followed by 4 digits, for example GM0518")
        return value

    @field_validator(
        "name", "target_groups", "age_min", "age_max", "municipality_code", "specialisms", "part_time", "closed"
    )
    @classmethod
    def _not_null(cls, value: object) -> object:
        """Runs only for a field given: null may clear the description and the point, not these."""
        if value is None:
            raise ValueError("may not be null; leave the field out to keep it as it is")
        return value


class AvailabilityUpdate(Request):
    capacity: Count
    blocked: Count


class UnitList(BaseModel):
    items: list[UnitOut]
    total: int
    limit: int
    offset: int


CandidateRegion = Literal["inside", "outside", "all"]
ExcludedOutside = Literal["list", "count"]
ExcludedUnfit = Literal["list", "count"]
CandidateView = Literal["full", "compact"]
