from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AvailabilityRow")


@_attrs_define
class AvailabilityRow:
    """
    Attributes:
        available (int):
        blocked (int):
        capacity (int):
        care_type (str):
        in_region (bool):
        occupied (int):
        reserved (int):
        units (int):
    """

    available: int
    blocked: int
    capacity: int
    care_type: str
    in_region: bool
    occupied: int
    reserved: int
    units: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        available = self.available

        blocked = self.blocked

        capacity = self.capacity

        care_type = self.care_type

        in_region = self.in_region

        occupied = self.occupied

        reserved = self.reserved

        units = self.units

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "available": available,
                "blocked": blocked,
                "capacity": capacity,
                "care_type": care_type,
                "in_region": in_region,
                "occupied": occupied,
                "reserved": reserved,
                "units": units,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        available = d.pop("available")

        blocked = d.pop("blocked")

        capacity = d.pop("capacity")

        care_type = d.pop("care_type")

        in_region = d.pop("in_region")

        occupied = d.pop("occupied")

        reserved = d.pop("reserved")

        units = d.pop("units")

        availability_row = cls(
            available=available,
            blocked=blocked,
            capacity=capacity,
            care_type=care_type,
            in_region=in_region,
            occupied=occupied,
            reserved=reserved,
            units=units,
        )

        availability_row.additional_properties = d
        return availability_row

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
