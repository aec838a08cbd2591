from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.unit_out_care_type import UnitOutCareType
from ..models.unit_out_provider_role import UnitOutProviderRole
from ..models.unit_out_target_groups_item import UnitOutTargetGroupsItem
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.group_profile import GroupProfile


T = TypeVar("T", bound="UnitOut")


@_attrs_define
class UnitOut:
    """
    Attributes:
        age_max (int):
        age_min (int):
        available (int):
        blocked (int):
        capacity (int):
        care_type (UnitOutCareType):
        created_at (datetime.datetime):
        id (str):
        in_region (bool):
        municipality_code (str):
        name (str):
        occupied (int):
        part_time (bool):
        provider_id (str):
        provider_role (UnitOutProviderRole):
        reserved (int):
        specialisms (list[str]):
        target_groups (list[UnitOutTargetGroupsItem]):
        updated_at (datetime.datetime):
        version (int):
        availability_confirmed_at (datetime.datetime | None | Unset):
        availability_stale (bool | Unset):  Default: False.
        closed (bool | Unset):  Default: False.
        description (None | str | Unset):
        group_profile (GroupProfile | None | Unset):
        latitude (float | None | Unset):
        longitude (float | None | Unset):
    """

    age_max: int
    age_min: int
    available: int
    blocked: int
    capacity: int
    care_type: UnitOutCareType
    created_at: datetime.datetime
    id: str
    in_region: bool
    municipality_code: str
    name: str
    occupied: int
    part_time: bool
    provider_id: str
    provider_role: UnitOutProviderRole
    reserved: int
    specialisms: list[str]
    target_groups: list[UnitOutTargetGroupsItem]
    updated_at: datetime.datetime
    version: int
    availability_confirmed_at: datetime.datetime | None | Unset = UNSET
    availability_stale: bool | Unset = False
    closed: bool | Unset = False
    description: None | str | Unset = UNSET
    group_profile: GroupProfile | None | Unset = UNSET
    latitude: float | None | Unset = UNSET
    longitude: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.group_profile import GroupProfile  # noqa: PLC0415

        age_max = self.age_max

        age_min = self.age_min

        available = self.available

        blocked = self.blocked

        capacity = self.capacity

        care_type = self.care_type.value

        created_at = self.created_at.isoformat()

        id = self.id

        in_region = self.in_region

        municipality_code = self.municipality_code

        name = self.name

        occupied = self.occupied

        part_time = self.part_time

        provider_id = self.provider_id

        provider_role = self.provider_role.value

        reserved = self.reserved

        specialisms = self.specialisms

        target_groups = []
        for target_groups_item_data in self.target_groups:
            target_groups_item = target_groups_item_data.value
            target_groups.append(target_groups_item)

        updated_at = self.updated_at.isoformat()

        version = self.version

        availability_confirmed_at: None | str | Unset
        if isinstance(self.availability_confirmed_at, Unset):
            availability_confirmed_at = UNSET
        elif isinstance(self.availability_confirmed_at, datetime.datetime):
            availability_confirmed_at = self.availability_confirmed_at.isoformat()
        else:
            availability_confirmed_at = self.availability_confirmed_at

        availability_stale = self.availability_stale

        closed = self.closed

        description: None | str | Unset
        if isinstance(self.description, Unset):
            description = UNSET
        else:
            description = self.description

        group_profile: dict[str, Any] | None | Unset
        if isinstance(self.group_profile, Unset):
            group_profile = UNSET
        elif isinstance(self.group_profile, GroupProfile):
            group_profile = self.group_profile.to_dict()
        else:
            group_profile = self.group_profile

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

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "age_max": age_max,
                "age_min": age_min,
                "available": available,
                "blocked": blocked,
                "capacity": capacity,
                "care_type": care_type,
                "created_at": created_at,
                "id": id,
                "in_region": in_region,
                "municipality_code": municipality_code,
                "name": name,
                "occupied": occupied,
                "part_time": part_time,
                "provider_id": provider_id,
                "provider_role": provider_role,
                "reserved": reserved,
                "specialisms": specialisms,
                "target_groups": target_groups,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if availability_confirmed_at is not UNSET:
            field_dict["availability_confirmed_at"] = availability_confirmed_at
        if availability_stale is not UNSET:
            field_dict["availability_stale"] = availability_stale
        if closed is not UNSET:
            field_dict["closed"] = closed
        if description is not UNSET:
            field_dict["description"] = description
        if group_profile is not UNSET:
            field_dict["group_profile"] = group_profile
        if latitude is not UNSET:
            field_dict["latitude"] = latitude
        if longitude is not UNSET:
            field_dict["longitude"] = longitude

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_profile import GroupProfile  # noqa: PLC0415

        d = dict(src_dict)
        age_max = d.pop("age_max")

        age_min = d.pop("age_min")

        available = d.pop("available")

        blocked = d.pop("blocked")

        capacity = d.pop("capacity")

        care_type = UnitOutCareType(d.pop("care_type"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        in_region = d.pop("in_region")

        municipality_code = d.pop("municipality_code")

        name = d.pop("name")

        occupied = d.pop("occupied")

        part_time = d.pop("part_time")

        provider_id = d.pop("provider_id")

        provider_role = UnitOutProviderRole(d.pop("provider_role"))

        reserved = d.pop("reserved")

        specialisms = cast(list[str], d.pop("specialisms"))

        target_groups = []
        _target_groups = d.pop("target_groups")
        for target_groups_item_data in _target_groups:
            target_groups_item = UnitOutTargetGroupsItem(target_groups_item_data)

            target_groups.append(target_groups_item)

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_availability_confirmed_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                availability_confirmed_at_type_0 = datetime.datetime.fromisoformat(data)

                return availability_confirmed_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        availability_confirmed_at = _parse_availability_confirmed_at(d.pop("availability_confirmed_at", UNSET))

        availability_stale = d.pop("availability_stale", UNSET)

        closed = d.pop("closed", UNSET)

        def _parse_description(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        description = _parse_description(d.pop("description", UNSET))

        def _parse_group_profile(data: object) -> GroupProfile | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                group_profile_type_0 = GroupProfile.from_dict(data)

                return group_profile_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GroupProfile | None | Unset, data)

        group_profile = _parse_group_profile(d.pop("group_profile", UNSET))

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

        unit_out = cls(
            age_max=age_max,
            age_min=age_min,
            available=available,
            blocked=blocked,
            capacity=capacity,
            care_type=care_type,
            created_at=created_at,
            id=id,
            in_region=in_region,
            municipality_code=municipality_code,
            name=name,
            occupied=occupied,
            part_time=part_time,
            provider_id=provider_id,
            provider_role=provider_role,
            reserved=reserved,
            specialisms=specialisms,
            target_groups=target_groups,
            updated_at=updated_at,
            version=version,
            availability_confirmed_at=availability_confirmed_at,
            availability_stale=availability_stale,
            closed=closed,
            description=description,
            group_profile=group_profile,
            latitude=latitude,
            longitude=longitude,
        )

        unit_out.additional_properties = d
        return unit_out

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
