from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.production_agreement_care_type import ProductionAgreementCareType

T = TypeVar("T", bound="ProductionAgreement")


@_attrs_define
class ProductionAgreement:
    """
    Attributes:
        care_days (int):
        care_type (ProductionAgreementCareType):
        year (int):
    """

    care_days: int
    care_type: ProductionAgreementCareType
    year: int

    def to_dict(self) -> dict[str, Any]:
        care_days = self.care_days

        care_type = self.care_type.value

        year = self.year

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "care_days": care_days,
                "care_type": care_type,
                "year": year,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        care_days = d.pop("care_days")

        care_type = ProductionAgreementCareType(d.pop("care_type"))

        year = d.pop("year")

        production_agreement = cls(
            care_days=care_days,
            care_type=care_type,
            year=year,
        )

        return production_agreement
