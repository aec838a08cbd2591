from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OneOnOneOut")


@_attrs_define
class OneOnOneOut:
    """
    Attributes:
        hours (float):
        recorded_at (datetime.datetime):
        referral_id (str):
        week (str):
        week_start (datetime.date):
    """

    hours: float
    recorded_at: datetime.datetime
    referral_id: str
    week: str
    week_start: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hours = self.hours

        recorded_at = self.recorded_at.isoformat()

        referral_id = self.referral_id

        week = self.week

        week_start = self.week_start.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hours": hours,
                "recorded_at": recorded_at,
                "referral_id": referral_id,
                "week": week,
                "week_start": week_start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hours = d.pop("hours")

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        referral_id = d.pop("referral_id")

        week = d.pop("week")

        week_start = datetime.date.fromisoformat(d.pop("week_start"))

        one_on_one_out = cls(
            hours=hours,
            recorded_at=recorded_at,
            referral_id=referral_id,
            week=week,
            week_start=week_start,
        )

        one_on_one_out.additional_properties = d
        return one_on_one_out

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
