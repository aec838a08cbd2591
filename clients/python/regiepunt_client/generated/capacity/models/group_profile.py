from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.group_profile_flags import GroupProfileFlags


T = TypeVar("T", bound="GroupProfile")


@_attrs_define
class GroupProfile:
    """The children staying in a unit now, as a group: how many, their ages (youngest first) and how
    many carry each risk flag or vulnerability. No client keys, no ids: the group, not the children.

        Attributes:
            ages (list[int]):
            count (int):
            flags (GroupProfileFlags):
    """

    ages: list[int]
    count: int
    flags: GroupProfileFlags
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ages = self.ages

        count = self.count

        flags = self.flags.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ages": ages,
                "count": count,
                "flags": flags,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.group_profile_flags import GroupProfileFlags  # noqa: PLC0415

        d = dict(src_dict)
        ages = cast(list[int], d.pop("ages"))

        count = d.pop("count")

        flags = GroupProfileFlags.from_dict(d.pop("flags"))

        group_profile = cls(
            ages=ages,
            count=count,
            flags=flags,
        )

        group_profile.additional_properties = d
        return group_profile

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
