from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="FreePlaceKind")


@_attrs_define
class FreePlaceKind:
    """
    Attributes:
        age_max (int):
        age_min (int):
        available (int):
        care_type (str):
        changed_at (datetime.datetime): the last change of any of these units (a place may have come free)
        in_region (bool):
        part_time (bool): the units offer part-time care only
        target_groups (list[str]):
        units (int):
    """

    age_max: int
    age_min: int
    available: int
    care_type: str
    changed_at: datetime.datetime
    in_region: bool
    part_time: bool
    target_groups: list[str]
    units: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        age_max = self.age_max

        age_min = self.age_min

        available = self.available

        care_type = self.care_type

        changed_at = self.changed_at.isoformat()

        in_region = self.in_region

        part_time = self.part_time

        target_groups = self.target_groups

        units = self.units

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "age_max": age_max,
                "age_min": age_min,
                "available": available,
                "care_type": care_type,
                "changed_at": changed_at,
                "in_region": in_region,
                "part_time": part_time,
                "target_groups": target_groups,
                "units": units,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        age_max = d.pop("age_max")

        age_min = d.pop("age_min")

        available = d.pop("available")

        care_type = d.pop("care_type")

        changed_at = datetime.datetime.fromisoformat(d.pop("changed_at"))

        in_region = d.pop("in_region")

        part_time = d.pop("part_time")

        target_groups = cast(list[str], d.pop("target_groups"))

        units = d.pop("units")

        free_place_kind = cls(
            age_max=age_max,
            age_min=age_min,
            available=available,
            care_type=care_type,
            changed_at=changed_at,
            in_region=in_region,
            part_time=part_time,
            target_groups=target_groups,
            units=units,
        )

        free_place_kind.additional_properties = d
        return free_place_kind

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
