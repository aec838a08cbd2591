"""Request and response shapes of one-on-one supervision hours."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from intake.one_on_one.rules import MAX_HOURS, WEEK_PATTERN


class OneOnOneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # Checked in rules.week_start (its pattern and whether the year has that week), naming `week`.
    week: str = Field(max_length=8, json_schema_extra={"pattern": WEEK_PATTERN}, examples=["2026-W49"])
    hours: float = Field(ge=0, le=MAX_HOURS, allow_inf_nan=False)


class OneOnOneOut(BaseModel):
    referral_id: str
    week: str
    week_start: date
    hours: float
    recorded_at: datetime


class OneOnOneList(BaseModel):
    items: list[OneOnOneOut]
    total: int
