from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="IjwOut")


@_attrs_define
class IjwOut:
    """The referral in the codes of the iJw standard (contracts.ijw): COD327 and JZ020; null where none fits.

    Attributes:
        productcategorie (None | str):
        verwijzer_code (None | str):
    """

    productcategorie: None | str
    verwijzer_code: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        productcategorie: None | str
        productcategorie = self.productcategorie

        verwijzer_code: None | str
        verwijzer_code = self.verwijzer_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "productcategorie": productcategorie,
                "verwijzer_code": verwijzer_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)

        def _parse_productcategorie(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        productcategorie = _parse_productcategorie(d.pop("productcategorie"))

        def _parse_verwijzer_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        verwijzer_code = _parse_verwijzer_code(d.pop("verwijzer_code"))

        ijw_out = cls(
            productcategorie=productcategorie,
            verwijzer_code=verwijzer_code,
        )

        ijw_out.additional_properties = d
        return ijw_out

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
