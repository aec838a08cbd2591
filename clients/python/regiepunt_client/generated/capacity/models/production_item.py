from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.production_item_care_type import ProductionItemCareType

T = TypeVar("T", bound="ProductionItem")


@_attrs_define
class ProductionItem:
    """
    Attributes:
        agreed_days (int | None):
        care_type (ProductionItemCareType):
        projected_days (int):
        used_days (int):
    """

    agreed_days: int | None
    care_type: ProductionItemCareType
    projected_days: int
    used_days: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agreed_days: int | None
        agreed_days = self.agreed_days

        care_type = self.care_type.value

        projected_days = self.projected_days

        used_days = self.used_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agreed_days": agreed_days,
                "care_type": care_type,
                "projected_days": projected_days,
                "used_days": used_days,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_agreed_days(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        agreed_days = _parse_agreed_days(d.pop("agreed_days"))

        care_type = ProductionItemCareType(d.pop("care_type"))

        projected_days = d.pop("projected_days")

        used_days = d.pop("used_days")

        production_item = cls(
            agreed_days=agreed_days,
            care_type=care_type,
            projected_days=projected_days,
            used_days=used_days,
        )

        production_item.additional_properties = d
        return production_item

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
