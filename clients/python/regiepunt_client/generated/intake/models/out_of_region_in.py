from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.out_of_region_criterion import OutOfRegionCriterion

T = TypeVar("T", bound="OutOfRegionIn")


@_attrs_define
class OutOfRegionIn:
    """
    Attributes:
        criterion (OutOfRegionCriterion):
        justification (str):
    """

    criterion: OutOfRegionCriterion
    justification: str

    def to_dict(self) -> dict[str, Any]:
        criterion = self.criterion.value

        justification = self.justification

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "criterion": criterion,
                "justification": justification,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        criterion = OutOfRegionCriterion(d.pop("criterion"))

        justification = d.pop("justification")

        out_of_region_in = cls(
            criterion=criterion,
            justification=justification,
        )

        return out_of_region_in
