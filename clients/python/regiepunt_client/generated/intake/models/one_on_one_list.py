from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.one_on_one_out import OneOnOneOut


T = TypeVar("T", bound="OneOnOneList")


@_attrs_define
class OneOnOneList:
    """
    Attributes:
        items (list[OneOnOneOut]):
        limit (int): the most items this answer could hold
        next_offset (int | None): the offset of the next page; null when this is the last
        offset (int): how many items were skipped before the first one here
        total (int): how many items the list holds in all
    """

    items: list[OneOnOneOut]
    limit: int
    next_offset: int | None
    offset: int
    total: int
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

        total = self.total

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
                "limit": limit,
                "next_offset": next_offset,
                "offset": offset,
                "total": total,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.one_on_one_out import OneOnOneOut  # noqa: PLC0415

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = OneOnOneOut.from_dict(items_item_data)

            items.append(items_item)

        limit = d.pop("limit")

        def _parse_next_offset(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        next_offset = _parse_next_offset(d.pop("next_offset"))

        offset = d.pop("offset")

        total = d.pop("total")

        one_on_one_list = cls(
            items=items,
            limit=limit,
            next_offset=next_offset,
            offset=offset,
            total=total,
        )

        one_on_one_list.additional_properties = d
        return one_on_one_list

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
