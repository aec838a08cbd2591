"""Matching's calls: the decision request intake sends, and the decision matching answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictBool, StrictInt, StringConstraints

from contracts.geography import MAX_TRAVEL_KM
from contracts.suitability import Wishes
from contracts.vocabulary import InlineCareType, InlineOutOfRegionCriterion, InlineTargetGroup, Needs

Outcome = Literal["proposed", "unmatched"]

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Municipality = Annotated[str, StringConstraints(pattern=r"^GM[0-9]{4}$")]


class DecisionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
    referral_id: Reference
    client_key: Annotated[str, StringConstraints(min_length=1, max_length=128)]
    care_type: InlineCareType
    target_group: InlineTargetGroup
    age: Annotated[StrictInt, Field(ge=0, le=23)]
    municipality_code: Municipality
    needs: Needs = []
    part_time: StrictBool = False
    out_of_region: InlineOutOfRegionCriterion | None = None
    known_provider_ids: Annotated[list[Reference], Field(max_length=200)] = []
    excluded_unit_ids: Annotated[list[Reference], Field(max_length=500)] = []
    hold_until: AwareDatetime
    unit_id: Reference | None = None
    # Where the child goes to school, how far from school (else from home) it may live, and the
    # codes of what it wished (the words it said stay in intake).
    school_municipality_code: Municipality | None = None
    max_travel_km: Annotated[float, Field(gt=0, le=MAX_TRAVEL_KM)] | None = None
    wishes: Wishes = []


class Proposal(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    expires_at: datetime
    reasons: list[str]
    reservation_id: str
    # From the child's home and school to the unit, to a tenth of a kilometre; null when unknown.
    distance_home_km: float | None = None
    distance_school_km: float | None = None


class Candidate(BaseModel):
    unit_id: str
    provider_id: str
    in_region: bool
    eligible: bool
    excluded_reason: str | None
    score: float | None
    parts: dict[str, float]
    rank: int | None
    chosen: bool


class Decision(BaseModel):
    id: str
    request_id: str
    referral_id: str
    outcome: Outcome
    proposal: Proposal | None
    reasons: list[str]
    created_at: datetime


class DecisionWithCandidates(Decision):
    candidates: list[Candidate]
    # Units outside the region counted per exclusion reason instead of listed one by one: those a
    # region rule left unread, and those that cannot take the child anyway.
    outside_counted: dict[str, int]
    # Units whose own ages or target groups do not admit the child, counted per reason instead of
    # listed (inside the region; those outside are in outside_counted).
    unfit_counted: dict[str, int]
    # The Dutch and English words of the codes of school, distance and wishes this decision used.
    labels: dict[str, dict[str, str]] = {}


class DecisionList(BaseModel):
    items: list[DecisionWithCandidates]
