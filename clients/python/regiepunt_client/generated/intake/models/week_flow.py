from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="WeekFlow")


@_attrs_define
class WeekFlow:
    """
    Attributes:
        inflow (int): referrals received in the week
        outflow (int): stays ended in the week
        week_start (datetime.date):
    """

    inflow: int
    outflow: int
    week_start: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        inflow = self.inflow

        outflow = self.outflow

        week_start = self.week_start.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "inflow": inflow,
                "outflow": outflow,
                "week_start": week_start,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        inflow = d.pop("inflow")

        outflow = d.pop("outflow")

        week_start = datetime.date.fromisoformat(d.pop("week_start"))

        week_flow = cls(
            inflow=inflow,
            outflow=outflow,
            week_start=week_start,
        )

        week_flow.additional_properties = d
        return week_flow

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
