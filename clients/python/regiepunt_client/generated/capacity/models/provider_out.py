from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.provider_out_role import ProviderOutRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.production_agreement import ProductionAgreement


T = TypeVar("T", bound="ProviderOut")


@_attrs_define
class ProviderOut:
    """
    Attributes:
        agb_code (str):
        created_at (datetime.datetime):
        id (str):
        name (str):
        role (ProviderOutRole):
        contracted (bool | Unset):  Default: True.
        production_agreements (list[ProductionAgreement] | Unset):
    """

    agb_code: str
    created_at: datetime.datetime
    id: str
    name: str
    role: ProviderOutRole
    contracted: bool | Unset = True
    production_agreements: list[ProductionAgreement] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agb_code = self.agb_code

        created_at = self.created_at.isoformat()

        id = self.id

        name = self.name

        role = self.role.value

        contracted = self.contracted

        production_agreements: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.production_agreements, Unset):
            production_agreements = []
            for production_agreements_item_data in self.production_agreements:
                production_agreements_item = production_agreements_item_data.to_dict()
                production_agreements.append(production_agreements_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agb_code": agb_code,
                "created_at": created_at,
                "id": id,
                "name": name,
                "role": role,
            }
        )
        if contracted is not UNSET:
            field_dict["contracted"] = contracted
        if production_agreements is not UNSET:
            field_dict["production_agreements"] = production_agreements

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.production_agreement import ProductionAgreement  # noqa: PLC0415

        d = dict(src_dict)
        agb_code = d.pop("agb_code")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        name = d.pop("name")

        role = ProviderOutRole(d.pop("role"))

        contracted = d.pop("contracted", UNSET)

        _production_agreements = d.pop("production_agreements", UNSET)
        production_agreements: list[ProductionAgreement] | Unset = UNSET
        if _production_agreements is not UNSET:
            production_agreements = []
            for production_agreements_item_data in _production_agreements:
                production_agreements_item = ProductionAgreement.from_dict(production_agreements_item_data)

                production_agreements.append(production_agreements_item)

        provider_out = cls(
            agb_code=agb_code,
            created_at=created_at,
            id=id,
            name=name,
            role=role,
            contracted=contracted,
            production_agreements=production_agreements,
        )

        provider_out.additional_properties = d
        return provider_out

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
