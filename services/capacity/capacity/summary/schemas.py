"""The answers of the summed places."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class AvailabilityRow(BaseModel):
    care_type: str
    in_region: bool
    units: int
    capacity: int
    occupied: int
    reserved: int
    blocked: int
    available: int


class AvailabilitySummary(BaseModel):
    items: list[AvailabilityRow]


class FreePlaceKind(BaseModel):
    care_type: str
    in_region: bool
    age_min: int
    age_max: int
    target_groups: list[str]
    part_time: bool = Field(description="the units offer part-time care only")
    units: int
    available: int
    changed_at: datetime = Field(description="the last change of any of these units (a place may have come free)")


class FreePlaces(BaseModel):
    items: list[FreePlaceKind]
