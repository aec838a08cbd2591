from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SplitIn")


@_attrs_define
class SplitIn:
    """
    Attributes:
        code (str):
        justification (str):
    """

    code: str
    justification: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        justification = self.justification

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "justification": justification,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        code = d.pop("code")

        justification = d.pop("justification")

        split_in = cls(
            code=code,
            justification=justification,
        )

        return split_in
