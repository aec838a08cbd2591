from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ProductionUse")


@_attrs_define
class ProductionUse:
    """An operational provider's production agreement for one care type this year, and its use.

    Attributes:
        agreed_days (int):
        used_days (int):
    """

    agreed_days: int
    used_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreed_days = self.agreed_days

        used_days = self.used_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreed_days": agreed_days,
                "used_days": used_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        agreed_days = d.pop("agreed_days")

        used_days = d.pop("used_days")

        production_use = cls(
            agreed_days=agreed_days,
            used_days=used_days,
        )

        production_use.additional_properties = d
        return production_use

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
