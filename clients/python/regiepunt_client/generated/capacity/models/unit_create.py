from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.unit_create_care_type import UnitCreateCareType
from ..models.unit_create_target_groups_item import UnitCreateTargetGroupsItem
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnitCreate")


@_attrs_define
class UnitCreate:
    """
    Attributes:
        age_max (int):
        age_min (int):
        capacity (int):
        care_type (UnitCreateCareType):
        municipality_code (str):
        name (str):
        target_groups (list[UnitCreateTargetGroupsItem]):
        description (None | str | Unset):
        latitude (float | None | Unset):
        longitude (float | None | Unset):
        part_time (bool | Unset):  Default: False.
        specialisms (list[str] | Unset): codes of the vocabulary's needs (intake's GET /v1/vocabulary)
    """

    age_max: int
    age_min: int
    capacity: int
    care_type: UnitCreateCareType
    municipality_code: str
    name: str
    target_groups: list[UnitCreateTargetGroupsItem]
    description: None | str | Unset = UNSET
    latitude: float | None | Unset = UNSET
    longitude: float | None | Unset = UNSET
    part_time: bool | Unset = False
    specialisms: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        age_max = self.age_max

        age_min = self.age_min

        capacity = self.capacity

        care_type = self.care_type.value

        municipality_code = self.municipality_code

        name = self.name

        target_groups = []
        for target_groups_item_data in self.target_groups:
            target_groups_item = target_groups_item_data.value
            target_groups.append(target_groups_item)

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        latitude: float | None | Unset
        if isinstance(self.latitude, Unset):
            latitude = UNSET
        else:
            latitude = self.latitude

        longitude: float | None | Unset
        if isinstance(self.longitude, Unset):
            longitude = UNSET
        else:
            longitude = self.longitude

        part_time = self.part_time

        specialisms: list[str] | Unset = UNSET
        if not isinstance(self.specialisms, Unset):
            specialisms = self.specialisms

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "age_max": age_max,
                "age_min": age_min,
                "capacity": capacity,
                "care_type": care_type,
                "municipality_code": municipality_code,
                "name": name,
                "target_groups": target_groups,
            }
        )
        if description is not UNSET:
            field_dict["description"] = description
        if latitude is not UNSET:
            field_dict["latitude"] = latitude
        if longitude is not UNSET:
            field_dict["longitude"] = longitude
        if part_time is not UNSET:
            field_dict["part_time"] = part_time
        if specialisms is not UNSET:
            field_dict["specialisms"] = specialisms

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        age_max = d.pop("age_max")

        age_min = d.pop("age_min")

        capacity = d.pop("capacity")

        care_type = UnitCreateCareType(d.pop("care_type"))

        municipality_code = d.pop("municipality_code")

        name = d.pop("name")

        target_groups = []
        _target_groups = d.pop("target_groups")
        for target_groups_item_data in _target_groups:
            target_groups_item = UnitCreateTargetGroupsItem(target_groups_item_data)

            target_groups.append(target_groups_item)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_latitude(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        latitude = _parse_latitude(d.pop("latitude", UNSET))

        def _parse_longitude(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        longitude = _parse_longitude(d.pop("longitude", UNSET))

        part_time = d.pop("part_time", UNSET)

        specialisms = cast(list[str], d.pop("specialisms", UNSET))

        unit_create = cls(
            age_max=age_max,
            age_min=age_min,
            capacity=capacity,
            care_type=care_type,
            municipality_code=municipality_code,
            name=name,
            target_groups=target_groups,
            description=description,
            latitude=latitude,
            longitude=longitude,
            part_time=part_time,
            specialisms=specialisms,
        )

        return unit_create
