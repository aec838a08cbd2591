"""Matching's calls: the decision request intake sends, and the decision matching answers."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
    field_validator,
)

from contracts.geography import MAX_TRAVEL_KM
from contracts.group import Flags
from contracts.lists import ListEnvelope
from contracts.suitability import Wishes
from contracts.vocabulary import InlineCareType, InlineOutOfRegionCriterion, InlineTargetGroup, Needs

Outcome = Literal["proposed", "unmatched"]

Reference = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
Municipality = Annotated[str, StringConstraints(pattern=r"^GM[0-9]{4}$")]
TravelKm = Annotated[float, Field(gt=0, le=MAX_TRAVEL_KM)]


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
    # The group the child would join (contracts.group, codes of the vocabulary): codes only, with the
    # client key, never a BSN.
    risk_flags: Flags = []
    vulnerabilities: Flags = []
    # Where the child goes to school, how far from school (else from home) it may live, and the
    # codes of what it wished (the words it said stay in intake).
    school_municipality_code: Municipality | None = None
    max_travel_km: TravelKm | None = None
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
    # The ids of the configured rules that applied to this unit (an exclusion or a penalty); their
    # words are the decision's `rules`.
    rules: list[str] = []


class RuleWords(BaseModel):
    """A rule that applied in a decision, in the words it had when the decision was taken."""

    reason: str
    nl: str
    en: str


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
    # Every rule that applied to a unit of this decision, by id (see Candidate.rules).
    rules: dict[str, RuleWords] = {}
    # The Dutch and English words of the codes of school, distance and wishes this decision used.
    labels: dict[str, dict[str, str]] = {}


class DecisionList(ListEnvelope):
    items: list[DecisionWithCandidates]


# The most children one group decision weighs together; intake's own limit for a group of siblings
# (a setting) lies below it.
MAX_GROUP_CHILDREN = 20


class ChildRequest(BaseModel):
    """One child of a group decision request: what a DecisionRequest says about a child."""

    model_config = ConfigDict(extra="forbid")

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
    # The group the child would join, as in a DecisionRequest: codes only, never with a BSN.
    risk_flags: Flags = []
    vulnerabilities: Flags = []
    # School, distance and wishes, as a DecisionRequest says them: each child is weighed under them.
    school_municipality_code: Municipality | None = None
    max_travel_km: TravelKm | None = None
    wishes: Wishes = []


class GroupDecisionRequest(BaseModel):
    """Siblings kept together: places for all of them in one unit, or in units of one provider in one
    municipality, held at once or not at all."""

    model_config = ConfigDict(extra="forbid")

    request_id: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    group_id: Reference
    hold_until: AwareDatetime
    children: Annotated[list[ChildRequest], Field(min_length=2, max_length=MAX_GROUP_CHILDREN)]

    @field_validator("children")
    @classmethod
    def _each_child_once(cls, children: list[ChildRequest]) -> list[ChildRequest]:
        if len({child.referral_id for child in children}) != len(children):
            raise ValueError("each child may be named once")
        return children


class ChildOutcome(BaseModel):
    """What a group decision says about one child: its proposal, or why it waits."""

    referral_id: str
    proposal: Proposal | None
    reasons: list[str]


class GroupDecision(BaseModel):
    id: str
    request_id: str
    group_id: str
    outcome: Outcome
    reasons: list[str]
    children: list[ChildOutcome]
    created_at: datetime


class JointOption(BaseModel):
    """A way to place the group together, as weighed: the unit of each child, the score, and whether
    it was chosen or why it was left."""

    provider_id: str
    municipality_code: str
    in_region: bool
    units: dict[str, str]
    one_unit: bool
    score: float
    parts: dict[str, float]
    rank: int
    chosen: bool
    excluded_reason: str | None


class ChildWeighed(ChildOutcome):
    candidates: list[Candidate]
    outside_counted: dict[str, int]
    unfit_counted: dict[str, int]
    # Every group or production rule that applied to a unit weighed for this child (see Candidate.rules).
    rules: dict[str, RuleWords] = {}
    # The Dutch and English words of the codes of school, distance and wishes weighed for this child.
    labels: dict[str, dict[str, str]] = {}


class GroupDecisionWithOptions(GroupDecision):
    options: list[JointOption]
    children: list[ChildWeighed]  # type: ignore[assignment]


class GroupDecisionList(ListEnvelope):
    items: list[GroupDecisionWithOptions]
