"""Request and response models of referral groups (docs/api.md, "Siblings together")."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field

from contracts.matching import MAX_GROUP_CHILDREN
from intake.referral_groups.rules import GroupStatus
from intake.schemas import ReferralIn, ReferralOut, Request


class SplitIn(Request):
    # A code of the vocabulary's split reasons, checked in referral_groups.rules.
    code: str = Field(min_length=1, max_length=64)
    justification: str = Field(max_length=4000, json_schema_extra={"minLength": 20})


class ReferralGroupIn(Request):
    referrals: Annotated[list[ReferralIn], Field(min_length=1, max_length=MAX_GROUP_CHILDREN)]
    keep_together: bool = True
    split: SplitIn | None = None


class SplitOut(BaseModel):
    code: str
    justification: str
    split_by: str | None
    split_at: datetime | None


class ReferralGroupOut(BaseModel):
    id: str
    keep_together: bool
    status: GroupStatus
    referrer_org: str
    split: SplitOut | None
    referrals: list[ReferralOut]
    created_at: datetime
    updated_at: datetime
