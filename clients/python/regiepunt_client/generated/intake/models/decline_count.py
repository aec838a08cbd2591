from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeclineCount")


@_attrs_define
class DeclineCount:
    """The declines of one provider with one reason code in the period.

    Attributes:
        declines (int):
        provider_id (str):
        reason_code (str):
    """

    declines: int
    provider_id: str
    reason_code: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        declines = self.declines

        provider_id = self.provider_id

        reason_code = self.reason_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "declines": declines,
                "provider_id": provider_id,
                "reason_code": reason_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        declines = d.pop("declines")

        provider_id = d.pop("provider_id")

        reason_code = d.pop("reason_code")

        decline_count = cls(
            declines=declines,
            provider_id=provider_id,
            reason_code=reason_code,
        )

        decline_count.additional_properties = d
        return decline_count

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
