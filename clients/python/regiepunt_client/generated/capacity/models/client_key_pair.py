from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="ClientKeyPair")


@_attrs_define
class ClientKeyPair:
    """One child's pseudonym under an earlier key (`old`) and under the current one (`new`).

    Attributes:
        new (str):
        old (str):
    """

    new: str
    old: str

    def to_dict(self) -> dict[str, Any]:
        new = self.new

        old = self.old

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "new": new,
                "old": old,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        new = d.pop("new")

        old = d.pop("old")

        client_key_pair = cls(
            new=new,
            old=old,
        )

        return client_key_pair
