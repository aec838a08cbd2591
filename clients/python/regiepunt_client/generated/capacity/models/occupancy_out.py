from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="OccupancyOut")


@_attrs_define
class OccupancyOut:
    """
    Attributes:
        client_key (str):
        end_date (datetime.date | None):
        id (str):
        provider_id (str):
        referral_id (str):
        reservation_id (str):
        start_date (datetime.date):
        unit_id (str):
    """

    client_key: str
    end_date: datetime.date | None
    id: str
    provider_id: str
    referral_id: str
    reservation_id: str
    start_date: datetime.date
    unit_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_key = self.client_key

        end_date: None | str
        if isinstance(self.end_date, datetime.date):
            end_date = self.end_date.isoformat()
        else:
            end_date = self.end_date

        id = self.id

        provider_id = self.provider_id

        referral_id = self.referral_id

        reservation_id = self.reservation_id

        start_date = self.start_date.isoformat()

        unit_id = self.unit_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_key": client_key,
                "end_date": end_date,
                "id": id,
                "provider_id": provider_id,
                "referral_id": referral_id,
                "reservation_id": reservation_id,
                "start_date": start_date,
                "unit_id": unit_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_key = d.pop("client_key")

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

        id = d.pop("id")

        provider_id = d.pop("provider_id")

        referral_id = d.pop("referral_id")

        reservation_id = d.pop("reservation_id")

        start_date = datetime.date.fromisoformat(d.pop("start_date"))

        unit_id = d.pop("unit_id")

        occupancy_out = cls(
            client_key=client_key,
            end_date=end_date,
            id=id,
            provider_id=provider_id,
            referral_id=referral_id,
            reservation_id=reservation_id,
            start_date=start_date,
            unit_id=unit_id,
        )

        occupancy_out.additional_properties = d
        return occupancy_out

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
