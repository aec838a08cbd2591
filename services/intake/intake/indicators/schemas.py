"""The indicators report as the API answers it."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class Indicator(BaseModel):
    name: str
    label: str
    value: float | None
    numerator: float | None
    denominator: float | None
    unit: str


class WeekFlow(BaseModel):
    week_start: date
    inflow: int = Field(description="referrals received in the week")
    outflow: int = Field(description="stays ended in the week")


class CrisisStay(BaseModel):
    referral_id: str
    provider_id: str | None
    start_date: date
    crisis_end_date: date
    crisis_days_left: int


class DeclineCount(BaseModel):
    """The declines of one provider with one reason code in the period."""

    provider_id: str
    reason_code: str
    declines: int


class KpiReport(BaseModel):
    period_from: date
    period_to: date
    computed_at: datetime
    indicators: list[Indicator]
    weekly_flow: list[WeekFlow]
    crisis_stays: list[CrisisStay]
    # The declines of the period per provider and reason code, for the region's purchasing.
    declines: list[DeclineCount] = []
