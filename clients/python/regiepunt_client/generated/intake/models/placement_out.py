from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.crisis_extension_out import CrisisExtensionOut


T = TypeVar("T", bound="PlacementOut")


@_attrs_define
class PlacementOut:
    """
    Attributes:
        crisis_days_left (int | None):
        crisis_end_date (datetime.date | None):
        crisis_extensions (list[CrisisExtensionOut] | None):
        end_date (datetime.date | None):
        end_reason (None | str):
        in_region (bool):
        provider_id (str):
        start_date (datetime.date):
        unit_id (str):
        contracted (bool | None | Unset):
    """

    crisis_days_left: int | None
    crisis_end_date: datetime.date | None
    crisis_extensions: list[CrisisExtensionOut] | None
    end_date: datetime.date | None
    end_reason: None | str
    in_region: bool
    provider_id: str
    start_date: datetime.date
    unit_id: str
    contracted: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        crisis_days_left: int | None
        crisis_days_left = self.crisis_days_left

        crisis_end_date: None | str
        if isinstance(self.crisis_end_date, datetime.date):
            crisis_end_date = self.crisis_end_date.isoformat()
        else:
            crisis_end_date = self.crisis_end_date

        crisis_extensions: list[dict[str, Any]] | None
        if isinstance(self.crisis_extensions, list):
            crisis_extensions = []
            for crisis_extensions_type_0_item_data in self.crisis_extensions:
                crisis_extensions_type_0_item = crisis_extensions_type_0_item_data.to_dict()
                crisis_extensions.append(crisis_extensions_type_0_item)

        else:
            crisis_extensions = self.crisis_extensions

        end_date: None | str
        if isinstance(self.end_date, datetime.date):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date

        end_reason: None | str
        end_reason = self.end_reason

        in_region = self.in_region

        provider_id = self.provider_id

        start_date = self.start_date.isoformat()

        unit_id = self.unit_id

        contracted: bool | None | Unset
        if isinstance(self.contracted, Unset):
            contracted = UNSET
        else:
            contracted = self.contracted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "crisis_days_left": crisis_days_left,
                "crisis_end_date": crisis_end_date,
                "crisis_extensions": crisis_extensions,
                "end_date": end_date,
                "end_reason": end_reason,
                "in_region": in_region,
                "provider_id": provider_id,
                "start_date": start_date,
                "unit_id": unit_id,
            }
        )
        if contracted is not UNSET:
            field_dict["contracted"] = contracted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.crisis_extension_out import CrisisExtensionOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_crisis_days_left(data: object) -> int | None:
            if data is None:
                return data
            return cast(int | None, data)

        crisis_days_left = _parse_crisis_days_left(d.pop("crisis_days_left"))

        def _parse_crisis_end_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                crisis_end_date_type_0 = datetime.date.fromisoformat(data)

                return crisis_end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        crisis_end_date = _parse_crisis_end_date(d.pop("crisis_end_date"))

        def _parse_crisis_extensions(data: object) -> list[CrisisExtensionOut] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                crisis_extensions_type_0 = []
                _crisis_extensions_type_0 = data
                for crisis_extensions_type_0_item_data in _crisis_extensions_type_0:
                    crisis_extensions_type_0_item = CrisisExtensionOut.from_dict(crisis_extensions_type_0_item_data)

                    crisis_extensions_type_0.append(crisis_extensions_type_0_item)

                return crisis_extensions_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[CrisisExtensionOut] | None, data)

        crisis_extensions = _parse_crisis_extensions(d.pop("crisis_extensions"))

        def _parse_end_date(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                end_date_type_0 = datetime.date.fromisoformat(data)

                return end_date_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        end_date = _parse_end_date(d.pop("end_date"))

        def _parse_end_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        end_reason = _parse_end_reason(d.pop("end_reason"))

        in_region = d.pop("in_region")

        provider_id = d.pop("provider_id")

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        unit_id = d.pop("unit_id")

        def _parse_contracted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        contracted = _parse_contracted(d.pop("contracted", UNSET))

        placement_out = cls(
            crisis_days_left=crisis_days_left,
            crisis_end_date=crisis_end_date,
            crisis_extensions=crisis_extensions,
            end_date=end_date,
            end_reason=end_reason,
            in_region=in_region,
            provider_id=provider_id,
            start_date=start_date,
            unit_id=unit_id,
            contracted=contracted,
        )

        placement_out.additional_properties = d
        return placement_out

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
