from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.excluded_reason import ExcludedReason

T = TypeVar("T", bound="Excluded")


@_attrs_define
class Excluded:
    """
    Attributes:
        in_region (bool):
        provider_id (str):
        reason (ExcludedReason):
        unit_id (str):
    """

    in_region: bool
    provider_id: str
    reason: ExcludedReason
    unit_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        in_region = self.in_region

        provider_id = self.provider_id

        reason = self.reason.value

        unit_id = self.unit_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "in_region": in_region,
                "provider_id": provider_id,
                "reason": reason,
                "unit_id": unit_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        in_region = d.pop("in_region")

        provider_id = d.pop("provider_id")

        reason = ExcludedReason(d.pop("reason"))

        unit_id = d.pop("unit_id")

        excluded = cls(
            in_region=in_region,
            provider_id=provider_id,
            reason=reason,
            unit_id=unit_id,
        )

        excluded.additional_properties = d
        return excluded

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
