from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.production_agreement import ProductionAgreement


T = TypeVar("T", bound="ProviderUpdate")


@_attrs_define
class ProviderUpdate:
    """What a coordinator may change of a provider; a field left out stays as it is. The production
    agreements are given as a whole: the list replaces the provider's agreements.

        Attributes:
            contracted (bool | None | Unset):
            production_agreements (list[ProductionAgreement] | None | Unset):
    """

    contracted: bool | None | Unset = UNSET
    production_agreements: list[ProductionAgreement] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        contracted: bool | None | Unset
        if isinstance(self.contracted, Unset):
            contracted = UNSET
        else:
            contracted = self.contracted

        production_agreements: list[dict[str, Any]] | None | Unset
        if isinstance(self.production_agreements, Unset):
            production_agreements = UNSET
        elif isinstance(self.production_agreements, list):
            production_agreements = []
            for production_agreements_type_0_item_data in self.production_agreements:
                production_agreements_type_0_item = production_agreements_type_0_item_data.to_dict()
                production_agreements.append(production_agreements_type_0_item)

        else:
            production_agreements = self.production_agreements

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if contracted is not UNSET:
            field_dict["contracted"] = contracted
        if production_agreements is not UNSET:
            field_dict["production_agreements"] = production_agreements

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.production_agreement import ProductionAgreement  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_contracted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        contracted = _parse_contracted(d.pop("contracted", UNSET))

        def _parse_production_agreements(data: object) -> list[ProductionAgreement] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                production_agreements_type_0 = []
                _production_agreements_type_0 = data
                for production_agreements_type_0_item_data in _production_agreements_type_0:
                    production_agreements_type_0_item = ProductionAgreement.from_dict(
                        production_agreements_type_0_item_data
                    )

                    production_agreements_type_0.append(production_agreements_type_0_item)

                return production_agreements_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[ProductionAgreement] | None | Unset, data)

        production_agreements = _parse_production_agreements(d.pop("production_agreements", UNSET))

        provider_update = cls(
            contracted=contracted,
            production_agreements=production_agreements,
        )

        return provider_update
