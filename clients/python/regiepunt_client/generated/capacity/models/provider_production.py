from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.production_item import ProductionItem


T = TypeVar("T", bound="ProviderProduction")


@_attrs_define
class ProviderProduction:
    """
    Attributes:
        items (list[ProductionItem]):
        limit (int): the most items this answer could hold
        next_offset (int | None): the offset of the next page; null when this is the last
        offset (int): how many items were skipped before the first one here
        provider_id (str):
        total (int): how many items the list holds in all
        year (int):
    """

    items: list[ProductionItem]
    limit: int
    next_offset: int | None
    offset: int
    provider_id: str
    total: int
    year: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        limit = self.limit

        next_offset: int | None
        next_offset = self.next_offset

        offset = self.offset

        provider_id = self.provider_id

        total = self.total

        year = self.year

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "limit": limit,
                "next_offset": next_offset,
                "offset": offset,
                "provider_id": provider_id,
                "total": total,
                "year": year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.production_item import ProductionItem  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = ProductionItem.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        def _parse_next_offset(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_offset = _parse_next_offset(d.pop("next_offset"))

        offset = d.pop("offset")

        provider_id = d.pop("provider_id")

        total = d.pop("total")

        year = d.pop("year")

        provider_production = cls(
            items=items,
            limit=limit,
            next_offset=next_offset,
            offset=offset,
            provider_id=provider_id,
            total=total,
            year=year,
        )

        provider_production.additional_properties = d
        return provider_production

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
