from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reservation_out_status import ReservationOutStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReservationOut")


@_attrs_define
class ReservationOut:
    """
    Attributes:
        client_key (str):
        created_at (datetime.datetime):
        expires_at (datetime.datetime):
        id (str):
        provider_id (str):
        referral_id (str):
        status (ReservationOutStatus):
        unit_id (str):
        request_id (None | str | Unset):
    """

    client_key: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    id: str
    provider_id: str
    referral_id: str
    status: ReservationOutStatus
    unit_id: str
    request_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        client_key = self.client_key

        created_at = self.created_at.isoformat()

        expires_at = self.expires_at.isoformat()

        id = self.id

        provider_id = self.provider_id

        referral_id = self.referral_id

        status = self.status.value

        unit_id = self.unit_id

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "client_key": client_key,
                "created_at": created_at,
                "expires_at": expires_at,
                "id": id,
                "provider_id": provider_id,
                "referral_id": referral_id,
                "status": status,
                "unit_id": unit_id,
            }
        )
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_key = d.pop("client_key")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        id = d.pop("id")

        provider_id = d.pop("provider_id")

        referral_id = d.pop("referral_id")

        status = ReservationOutStatus(d.pop("status"))

        unit_id = d.pop("unit_id")

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        reservation_out = cls(
            client_key=client_key,
            created_at=created_at,
            expires_at=expires_at,
            id=id,
            provider_id=provider_id,
            referral_id=referral_id,
            status=status,
            unit_id=unit_id,
            request_id=request_id,
        )

        reservation_out.additional_properties = d
        return reservation_out

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
