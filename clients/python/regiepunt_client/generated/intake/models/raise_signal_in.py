from __future__ import annotations

from collections.abc import Mapping
from typing import (
    Any,
    Literal,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define

T = TypeVar("T", bound="RaiseSignalIn")


@_attrs_define
class RaiseSignalIn:
    """What a provider may raise about its own placement; every other type is the point's to raise.

    Attributes:
        note (str):
        type_ (Literal['placement_at_risk']):
    """

    note: str
    type_: Literal["placement_at_risk"]

    def to_dict(self) -> dict[str, Any]:
        note = self.note

        type_ = self.type_

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "note": note,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        note = d.pop("note")

        type_ = cast(Literal["placement_at_risk"], d.pop("type"))
        if type_ != "placement_at_risk":
            raise ValueError(f"type must match const 'placement_at_risk', got '{type_}'")

        raise_signal_in = cls(
            note=note,
            type_=type_,
        )

        return raise_signal_in
