from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.unit_update_target_groups_type_0_item import (
    UnitUpdateTargetGroupsType0Item,
)
from ..types import UNSET, Unset

T = TypeVar("T", bound="UnitUpdate")


@_attrs_define
class UnitUpdate:
    """What a provider (or a coordinator) may change of a unit; a field left out stays as it is, a
    null clears what may be empty (description, the unit's point). `closed`: the unit takes no new
    child (no proposal, no hold) while its stays run on; false opens it again. The care type and the
    places are not changed here (the places through PUT availability).

        Attributes:
            age_max (int | None | Unset):
            age_min (int | None | Unset):
            closed (bool | None | Unset):
            description (None | str | Unset):
            latitude (float | None | Unset):
            longitude (float | None | Unset):
            municipality_code (None | str | Unset):
            name (None | str | Unset):
            part_time (bool | None | Unset):
            specialisms (list[str] | None | Unset):
            target_groups (list[UnitUpdateTargetGroupsType0Item] | None | Unset):
    """

    age_max: int | None | Unset = UNSET
    age_min: int | None | Unset = UNSET
    closed: bool | None | Unset = UNSET
    description: None | str | Unset = UNSET
    latitude: float | None | Unset = UNSET
    longitude: float | None | Unset = UNSET
    municipality_code: None | str | Unset = UNSET
    name: None | str | Unset = UNSET
    part_time: bool | None | Unset = UNSET
    specialisms: list[str] | None | Unset = UNSET
    target_groups: list[UnitUpdateTargetGroupsType0Item] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        age_max: int | None | Unset
        if isinstance(self.age_max, Unset):
            age_max = UNSET
        else:
            age_max = self.age_max

        age_min: int | None | Unset
        if isinstance(self.age_min, Unset):
            age_min = UNSET
        else:
            age_min = self.age_min

        closed: bool | None | Unset
        if isinstance(self.closed, Unset):
            closed = UNSET
        else:
            closed = self.closed

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

        municipality_code: None | str | Unset
        if isinstance(self.municipality_code, Unset):
            municipality_code = UNSET
        else:
            municipality_code = self.municipality_code

        name: None | str | Unset
        if isinstance(self.name, Unset):
            name = UNSET
        else:
            name = self.name

        part_time: bool | None | Unset
        if isinstance(self.part_time, Unset):
            part_time = UNSET
        else:
            part_time = self.part_time

        specialisms: list[str] | None | Unset
        if isinstance(self.specialisms, Unset):
            specialisms = UNSET
        elif isinstance(self.specialisms, list):
            specialisms = self.specialisms

        else:
            specialisms = self.specialisms

        target_groups: list[str] | None | Unset
        if isinstance(self.target_groups, Unset):
            target_groups = UNSET
        elif isinstance(self.target_groups, list):
            target_groups = []
            for target_groups_type_0_item_data in self.target_groups:
                target_groups_type_0_item = target_groups_type_0_item_data.value
                target_groups.append(target_groups_type_0_item)

        else:
            target_groups = self.target_groups

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if age_max is not UNSET:
            field_dict["age_max"] = age_max
        if age_min is not UNSET:
            field_dict["age_min"] = age_min
        if closed is not UNSET:
            field_dict["closed"] = closed
        if description is not UNSET:
            field_dict["description"] = description
        if latitude is not UNSET:
            field_dict["latitude"] = latitude
        if longitude is not UNSET:
            field_dict["longitude"] = longitude
        if municipality_code is not UNSET:
            field_dict["municipality_code"] = municipality_code
        if name is not UNSET:
            field_dict["name"] = name
        if part_time is not UNSET:
            field_dict["part_time"] = part_time
        if specialisms is not UNSET:
            field_dict["specialisms"] = specialisms
        if target_groups is not UNSET:
            field_dict["target_groups"] = target_groups

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_age_max(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age_max = _parse_age_max(d.pop("age_max", UNSET))

        def _parse_age_min(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age_min = _parse_age_min(d.pop("age_min", UNSET))

        def _parse_closed(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        closed = _parse_closed(d.pop("closed", UNSET))

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

        def _parse_municipality_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        municipality_code = _parse_municipality_code(d.pop("municipality_code", UNSET))

        def _parse_name(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        name = _parse_name(d.pop("name", UNSET))

        def _parse_part_time(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        part_time = _parse_part_time(d.pop("part_time", UNSET))

        def _parse_specialisms(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                specialisms_type_0 = cast(list[str], data)

                return specialisms_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        specialisms = _parse_specialisms(d.pop("specialisms", UNSET))

        def _parse_target_groups(data: object) -> list[UnitUpdateTargetGroupsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                target_groups_type_0 = []
                _target_groups_type_0 = data
                for target_groups_type_0_item_data in _target_groups_type_0:
                    target_groups_type_0_item = UnitUpdateTargetGroupsType0Item(target_groups_type_0_item_data)

                    target_groups_type_0.append(target_groups_type_0_item)

                return target_groups_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[UnitUpdateTargetGroupsType0Item] | None | Unset, data)

        target_groups = _parse_target_groups(d.pop("target_groups", UNSET))

        unit_update = cls(
            age_max=age_max,
            age_min=age_min,
            closed=closed,
            description=description,
            latitude=latitude,
            longitude=longitude,
            municipality_code=municipality_code,
            name=name,
            part_time=part_time,
            specialisms=specialisms,
            target_groups=target_groups,
        )

        return unit_update
