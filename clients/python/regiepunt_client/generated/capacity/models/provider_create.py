from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

from ..models.provider_create_role import ProviderCreateRole
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.production_agreement import ProductionAgreement


T = TypeVar("T", bound="ProviderCreate")


@_attrs_define
class ProviderCreate:
    """
    Attributes:
        agb_code (str):
        name (str):
        role (ProviderCreateRole):
        contracted (bool | Unset):  Default: True.
        production_agreements (list[ProductionAgreement] | Unset):
    """

    agb_code: str
    name: str
    role: ProviderCreateRole
    contracted: bool | Unset = True
    production_agreements: list[ProductionAgreement] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agb_code = self.agb_code

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

        field_dict.update(
            {
                "agb_code": agb_code,
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

        name = d.pop("name")

        role = ProviderCreateRole(d.pop("role"))

        contracted = d.pop("contracted", UNSET)

        _production_agreements = d.pop("production_agreements", UNSET)
        production_agreements: list[ProductionAgreement] | Unset = UNSET
        if _production_agreements is not UNSET:
            production_agreements = []
            for production_agreements_item_data in _production_agreements:
                production_agreements_item = ProductionAgreement.from_dict(production_agreements_item_data)

                production_agreements.append(production_agreements_item)

        provider_create = cls(
            agb_code=agb_code,
            name=name,
            role=role,
            contracted=contracted,
            production_agreements=production_agreements,
        )

        return provider_create
