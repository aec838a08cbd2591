from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AcknowledgeIn")


@_attrs_define
class AcknowledgeIn:
    """
    Attributes:
        analysis (str):
    """

    analysis: str

    def to_dict(self) -> dict[str, Any]:
        analysis = self.analysis

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "analysis": analysis,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        analysis = d.pop("analysis")

        acknowledge_in = cls(
            analysis=analysis,
        )

        return acknowledge_in
