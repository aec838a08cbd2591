"""Request and response models of the auditor's calls (GET /v1/access-log, POST /v1/subject-access)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from intake.schemas import (
    ChildVoiceOut,
    CourtAuthorisationOut,
    CrisisExtensionOut,
    OutOfRegionOut,
    PlacementOut,
    ProposalOut,
    SignalOut,
)


class AccessLogItemOut(BaseModel):
    id: int
    at: datetime
    actor: str
    actor_role: str
    actor_org: str
    action: str
    # Null for a read of the log itself or a subject access request that found nothing; for a refused
    # read, the id as it was asked, which may name no referral at all.
    referral_id: str | None


class AccessLogPage(BaseModel):
    items: list[AccessLogItemOut]
    total: int
    limit: int
    offset: int
    next_offset: int | None


class SubjectAccessIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Nine ASCII digits; the eleven-test is checked by the use case, naming the same field.
    bsn: str = Field(min_length=9, max_length=9, pattern=r"^[0-9]{9}$")


class SubjectClientOut(BaseModel):
    bsn: str
    birth_date: date
    municipality_code: str


class DeclineOut(BaseModel):
    provider_id: str
    unit_id: str
    reason_code: str
    reason: str | None
    declined_by: str
    created_at: datetime


class SubjectGroupOut(BaseModel):
    """The group of siblings a referral was made with, and the split recorded for it."""

    id: str
    keep_together: bool
    split_code: str | None
    split_justification: str | None
    split_by: str | None
    split_at: datetime | None


class SubjectReferralOut(BaseModel):
    """Everything intake keeps of one referral of the child."""

    id: str
    status: str
    referrer_org: str
    referrer_sub: str
    client: SubjectClientOut
    care_type: str
    target_group: str
    needs: list[str]
    # Needs written as words before needs were codes, that map to no code (kept in intake only).
    needs_free_text: list[str]
    # The child's risk flags and vulnerabilities (codes), as the referral carries them.
    risk_flags: list[str] = []
    vulnerabilities: list[str] = []
    part_time: bool
    requested_start: date | None
    out_of_region: OutOfRegionOut | None
    notes: str | None
    proposal: ProposalOut | None
    placement: PlacementOut | None
    unmatched_reasons: list[str] | None
    excluded_unit_ids: list[str]
    crisis_extensions: list[CrisisExtensionOut]
    declines: list[DeclineOut]
    # Every signal about this referral, open or acknowledged, with its analysis.
    signals: list[SignalOut]
    created_at: datetime
    updated_at: datetime
    school_municipality_code: str | None = None
    max_travel_km: float | None = None
    # With the child's own words.
    child_voice: ChildVoiceOut | None = None
    court_authorisation: CourtAuthorisationOut | None = None
    group: SubjectGroupOut | None = None


class SubjectAccessOut(BaseModel):
    """What the point holds about one child (the AVG right of access)."""

    # The pseudonymous key the child is known by in capacity and matching; null when intake holds nothing.
    client_key: str | None
    referrals: list[SubjectReferralOut]
    access_log: list[AccessLogItemOut]
