from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="OneOnOneIn")


@_attrs_define
class OneOnOneIn:
    """
    Attributes:
        hours (float):
        week (str):
    """

    hours: float
    week: str

    def to_dict(self) -> dict[str, Any]:
        hours = self.hours

        week = self.week

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "hours": hours,
                "week": week,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        hours = d.pop("hours")

        week = d.pop("week")

        one_on_one_in = cls(
            hours=hours,
            week=week,
        )

        return one_on_one_in
