"""Request and response models of the capacity calls (API.md and docs/internal-api.md)."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints, field_validator

from capacity.domain import AGE_MAX, AGE_MIN, CareType, ExclusionReason, ProviderRole, ReservationStatus, TargetGroup

_AGB = re.compile(r"[0-9]{8}")
_MUNICIPALITY = re.compile(r"GM[0-9]{4}")

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Specialism = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Age = Annotated[StrictInt, Field(ge=AGE_MIN, le=AGE_MAX)]
Count = Annotated[StrictInt, Field(ge=0, le=10_000)]
Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ProviderCreate(Request):
    name: Name
    agb_code: str = Field(json_schema_extra={"pattern": "^[0-9]{8}$"})
    role: ProviderRole

    @field_validator("agb_code")
    @classmethod
    def _agb_code_is_eight_digits(cls, value: str) -> str:
        if not _AGB.fullmatch(value):
            raise ValueError("must be exactly 8 digits")
        return value


class ProviderOut(BaseModel):
    id: str
    name: str
    agb_code: str
    role: ProviderRole
    created_at: datetime


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
    specialisms: Annotated[list[Specialism], Field(max_length=30)] = []
    part_time: StrictBool = False

    @field_validator("municipality_code")
    @classmethod
    def _municipality_code_format(cls, value: str) -> str:
        if not _MUNICIPALITY.fullmatch(value):
            raise ValueError("must be a CBS municipality code: GM followed by 4 digits, for example GM0518")
        return value


class AvailabilityUpdate(Request):
    capacity: Count
    blocked: Count


class UnitOut(BaseModel):
    id: str
    provider_id: str
    provider_role: ProviderRole
    name: str
    care_type: CareType
    target_groups: list[TargetGroup]
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
    part_time: bool
    version: int
    created_at: datetime
    updated_at: datetime


class UnitList(BaseModel):
    items: list[UnitOut]
    total: int
    limit: int
    offset: int


RequestId = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class ReservationCreate(Request):
    referral_id: Reference
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    expires_at: datetime
    # The match request holding the place: sent again, it gets the hold it made already.
    request_id: RequestId | None = None


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


class HoldsRelease(Request):
    """Release the places held for a referral: all of them, or those of the named match requests,
    except the one kept (the proposal that stands)."""

    referral_id: Reference
    keep_reservation_id: Reference | None = None
    request_ids: Annotated[list[RequestId], Field(max_length=1000)] | None = None


class HoldsReleased(BaseModel):
    released: list[str]


class Confirmation(Request):
    start_date: date


class OccupancyEnd(Request):
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


class Excluded(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    reason: ExclusionReason


CandidateRegion = Literal["inside", "outside", "all"]
ExcludedOutside = Literal["list", "count"]
ExcludedUnfit = Literal["list", "count"]
CandidateView = Literal["full", "compact"]


# The compact view (matching's) sends each unit and each excluded unit as an array: a decision reads
# thousands of them, and arrays cost less to write and to read than objects.
# [id, provider_id, provider_role, municipality_code, in_region, specialisms, part_time]
CompactUnit = tuple[str, str, ProviderRole, str, bool, list[str], bool]
# [unit_id, provider_id, in_region, reason]
CompactExcluded = tuple[str, str, bool, ExclusionReason]


class Candidates(BaseModel):
    # With request_id: the unit where that request holds a place, which counts as free for it.
    held_unit_id: str | None = None
    units: list[UnitOut] | list[CompactUnit]
    excluded: list[Excluded] | list[CompactExcluded]
    # With region=inside: how many units outside the region could take the child (not listed).
    outside_fitting: int | None = None
    # With excluded_outside=count: the units outside that cannot take the child, counted per reason
    # instead of listed.
    outside_excluded: dict[ExclusionReason, int] | None = None
    # With excluded_unfit=count: the units whose own ages or target groups do not admit the child,
    # counted per reason instead of listed (units outside counted in outside_excluded excepted).
    unfit_excluded: dict[ExclusionReason, int] | None = None


class Epoch(BaseModel):
    epoch: int
