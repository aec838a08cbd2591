from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.client_key_pair import ClientKeyPair


T = TypeVar("T", bound="ClientKeyRekey")


@_attrs_define
class ClientKeyRekey:
    """
    Attributes:
        pairs (list[ClientKeyPair]):
    """

    pairs: list[ClientKeyPair]

    def to_dict(self) -> dict[str, Any]:
        pairs = []
        for pairs_item_data in self.pairs:
            pairs_item = pairs_item_data.to_dict()
            pairs.append(pairs_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "pairs": pairs,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.client_key_pair import ClientKeyPair  # noqa: PLC0415

        d = dict(src_dict)
        pairs = []
        _pairs = d.pop("pairs")
        for pairs_item_data in _pairs:
            pairs_item = ClientKeyPair.from_dict(pairs_item_data)

            pairs.append(pairs_item)

        client_key_rekey = cls(
            pairs=pairs,
        )

        return client_key_rekey
