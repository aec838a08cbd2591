"""Request and response models of the intake section of docs/api.md."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator

from contracts.geography import MAX_TRAVEL_KM
from contracts.group import Flags
from contracts.suitability import MAX_WISHES
from contracts.vocabulary import CareType, Needs, OutOfRegionCriterion, TargetGroup
from intake.domain import EndReason, Status


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ClientIn(Request):
    # The patterns are declared for clients; the eleven-test and the region are checked in the domain.
    bsn: str = Field(max_length=9, json_schema_extra={"pattern": "^[0-9]{9}$"})
    birth_date: date
    municipality_code: str = Field(max_length=16, json_schema_extra={"pattern": "^GM[0-9]{4}$"})
    # Any Dutch municipality (contracts.geography), checked in intake.referrals.suitability.
    school_municipality_code: str | None = Field(
        default=None, max_length=16, json_schema_extra={"pattern": "^GM[0-9]{4}$"}
    )


class ChildVoiceIn(Request):
    """Whether the child was heard, what it wished (codes) and, in words, what it said (stays in intake)."""

    heard: StrictBool
    wishes: list[str] = Field(default=[], max_length=MAX_WISHES)
    note: str | None = Field(default=None, max_length=4000)


CourtAuthorisationKind = Literal["machtiging", "spoedmachtiging"]


class CourtAuthorisationIn(Request):
    """The juvenile court's authorisation of closed youth care ("machtiging gesloten jeugdhulp")."""

    kind: CourtAuthorisationKind
    decided_on: date
    valid_until: date


class OutOfRegionIn(Request):
    criterion: OutOfRegionCriterion
    justification: str = Field(max_length=4000, json_schema_extra={"minLength": 20})


class ReferralIn(Request):
    client: ClientIn
    care_type: CareType
    target_group: TargetGroup
    needs: Annotated[Needs, Field(description="codes of the vocabulary's needs (GET /v1/vocabulary)")] = []
    part_time: bool = False
    requested_start: date | None = None
    out_of_region: OutOfRegionIn | None = None
    notes: str | None = Field(default=None, max_length=10_000)
    # The group the child joins: codes of the vocabulary (checked in domain.check_referral), passed on
    # with the client key, never with the BSN.
    risk_flags: Annotated[Flags, Field(description="codes of the vocabulary's risk_flags (GET /v1/vocabulary)")] = []
    vulnerabilities: Annotated[
        Flags, Field(description="codes of the vocabulary's vulnerabilities (GET /v1/vocabulary)")
    ] = []
    # From school when a school is given, else from home (matching leaves units further away: too_far).
    max_travel_km: float | None = Field(default=None, gt=0, le=MAX_TRAVEL_KM, allow_inf_nan=False)
    child_voice: ChildVoiceIn | None = None
    # Required for care type secure (intake.referrals.suitability).
    court_authorisation: CourtAuthorisationIn | None = None


class AcceptIn(Request):
    start_date: date


class DeclineIn(Request):
    # A code of the vocabulary's decline_reasons (checked against it in the use case); `other` when
    # absent, so that clients written before keep working.
    reason_code: str = Field(default="other", min_length=1, max_length=64)
    # Free text: it stays in intake and goes to no other service and no log line.
    reason: str | None = Field(default=None, min_length=1, max_length=2000)


class EndIn(Request):
    end_date: date
    reason: EndReason


class ExtendCrisisIn(Request):
    days: int = Field(ge=1, le=90)
    reason: str = Field(min_length=1, max_length=2000)


class OfferIn(Request):
    # The id goes into a path of capacity's API: only the characters ids are made of.
    unit_id: str = Field(min_length=1, max_length=36, pattern=r"^[0-9A-Za-z_-]+$")


class RaiseSignalIn(Request):
    """What a provider may raise about its own placement; every other type is the point's to raise."""

    type: Literal["placement_at_risk"]
    note: str = Field(min_length=1, max_length=4000)


class AcknowledgeIn(Request):
    analysis: str = Field(max_length=10_000, json_schema_extra={"minLength": 10})

    @field_validator("analysis")
    @classmethod
    def _explains(cls, value: str) -> str:
        # An explanatory analysis ("verklarende analyse"), not a click-through.
        if len(value.strip()) < 10:
            raise ValueError("must explain the signal in at least 10 characters")
        return value.strip()


class SignalOut(BaseModel):
    id: str
    type: str
    status: str
    referral_id: str
    # The pseudonymous client key; shown to coordinators only.
    client_key: str | None
    created_at: datetime
    detail: dict[str, Any]
    analysis: str | None
    acknowledged_by: str | None
    acknowledged_at: datetime | None


class SignalPage(BaseModel):
    items: list[SignalOut]
    total: int
    limit: int
    offset: int


class ClientOut(BaseModel):
    birth_date: date
    municipality_code: str
    bsn: str | None = None
    school_municipality_code: str | None = None


class ChildVoiceOut(BaseModel):
    heard: bool
    wishes: list[str]
    # Shown to the referrer and coordinators only.
    note: str | None = None


class CourtAuthorisationOut(BaseModel):
    kind: str
    decided_on: date
    valid_until: date


class OutOfRegionOut(BaseModel):
    criterion: str
    justification: str


class ProposalOut(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    expires_at: datetime
    reasons: list[str]
    # From the child's home and school to the unit, to a tenth of a kilometre; null when unknown.
    distance_home_km: float | None = None
    distance_school_km: float | None = None


class CrisisExtensionOut(BaseModel):
    days: int
    reason: str
    previous_end_date: date
    new_end_date: date
    extended_by: str
    created_at: datetime


class PlacementOut(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    start_date: date
    end_date: date | None
    end_reason: str | None
    crisis_end_date: date | None
    crisis_days_left: int | None
    crisis_extensions: list[CrisisExtensionOut] | None
    # Whether the region contracted the provider when the child was placed (null: not known).
    contracted: bool | None = None


class ReferralOut(BaseModel):
    id: str
    status: Status
    care_type: str
    target_group: str
    needs: list[str]
    part_time: bool
    requested_start: date | None
    referrer_org: str
    out_of_region: OutOfRegionOut | None
    proposal: ProposalOut | None
    placement: PlacementOut | None
    signals: list[SignalOut]
    created_at: datetime
    updated_at: datetime
    client: ClientOut
    max_travel_km: float | None = None
    child_voice: ChildVoiceOut | None = None
    court_authorisation: CourtAuthorisationOut | None = None
    # The group of siblings the child was referred with; null when referred alone.
    group_id: str | None = None
    risk_flags: list[str] = []
    vulnerabilities: list[str] = []


class ReferralPage(BaseModel):
    items: list[ReferralOut]
    limit: int
    offset: int
    next_offset: int | None


class AccessLogEntryOut(BaseModel):
    at: datetime
    sub: str
    role: str
    org: str
    action: str
    referral_id: str


class AccessLogOut(BaseModel):
    items: list[AccessLogEntryOut]
