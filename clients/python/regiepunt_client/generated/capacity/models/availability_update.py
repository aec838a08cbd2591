from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AvailabilityUpdate")


@_attrs_define
class AvailabilityUpdate:
    """
    Attributes:
        blocked (int):
        capacity (int):
    """

    blocked: int
    capacity: int

    def to_dict(self) -> dict[str, Any]:
        blocked = self.blocked

        capacity = self.capacity

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "blocked": blocked,
                "capacity": capacity,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        blocked = d.pop("blocked")

        capacity = d.pop("capacity")

        availability_update = cls(
            blocked=blocked,
            capacity=capacity,
        )

        return availability_update
