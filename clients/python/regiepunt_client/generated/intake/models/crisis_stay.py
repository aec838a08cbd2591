from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CrisisStay")


@_attrs_define
class CrisisStay:
    """
    Attributes:
        crisis_days_left (int):
        crisis_end_date (datetime.date):
        provider_id (None | str):
        referral_id (str):
        start_date (datetime.date):
    """

    crisis_days_left: int
    crisis_end_date: datetime.date
    provider_id: None | str
    referral_id: str
    start_date: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        crisis_days_left = self.crisis_days_left

        crisis_end_date = self.crisis_end_date.isoformat()

        provider_id: None | str
        provider_id = self.provider_id

        referral_id = self.referral_id

        start_date = self.start_date.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "crisis_days_left": crisis_days_left,
                "crisis_end_date": crisis_end_date,
                "provider_id": provider_id,
                "referral_id": referral_id,
                "start_date": start_date,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        crisis_days_left = d.pop("crisis_days_left")

        crisis_end_date = datetime.date.fromisoformat(d.pop("crisis_end_date"))

        def _parse_provider_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        provider_id = _parse_provider_id(d.pop("provider_id"))

        referral_id = d.pop("referral_id")

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        crisis_stay = cls(
            crisis_days_left=crisis_days_left,
            crisis_end_date=crisis_end_date,
            provider_id=provider_id,
            referral_id=referral_id,
            start_date=start_date,
        )

        crisis_stay.additional_properties = d
        return crisis_stay

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
