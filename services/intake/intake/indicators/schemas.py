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


def ratio(name: str, label: str, numerator: float | None, denominator: float | None, unit: str) -> Indicator:
    """An indicator as numerator over denominator (a percentage for `percent`); none without a denominator."""
    numerator = float(numerator or 0)
    denominator = float(denominator or 0)
    if denominator == 0:
        value = None
    elif unit == "percent":
        value = round(100 * numerator / denominator, 1)
    else:
        value = round(numerator / denominator, 2)
    return Indicator(name=name, label=label, value=value, numerator=numerator, denominator=denominator, unit=unit)


def count(name: str, label: str, count: int) -> Indicator:
    """An indicator that is a number of things."""
    return Indicator(name=name, label=label, value=count, numerator=count, denominator=None, unit="count")


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
