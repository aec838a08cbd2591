from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReservationCreate")


@_attrs_define
class ReservationCreate:
    """
    Attributes:
        client_key (str):
        expires_at (datetime.datetime):
        referral_id (str):
        age (int | None | Unset):
        flags (list[str] | Unset):
        request_id (None | str | Unset):
    """

    client_key: str
    expires_at: datetime.datetime
    referral_id: str
    age: int | None | Unset = UNSET
    flags: list[str] | Unset = UNSET
    request_id: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_key = self.client_key

        expires_at = self.expires_at.isoformat()

        referral_id = self.referral_id

        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        flags: list[str] | Unset = UNSET
        if not isinstance(self.flags, Unset):
            flags = self.flags

        request_id: None | str | Unset
        if isinstance(self.request_id, Unset):
            request_id = UNSET
        else:
            request_id = self.request_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "client_key": client_key,
                "expires_at": expires_at,
                "referral_id": referral_id,
            }
        )
        if age is not UNSET:
            field_dict["age"] = age
        if flags is not UNSET:
            field_dict["flags"] = flags
        if request_id is not UNSET:
            field_dict["request_id"] = request_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_key = d.pop("client_key")

        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        referral_id = d.pop("referral_id")

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        flags = cast(list[str], d.pop("flags", UNSET))

        def _parse_request_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        request_id = _parse_request_id(d.pop("request_id", UNSET))

        reservation_create = cls(
            client_key=client_key,
            expires_at=expires_at,
            referral_id=referral_id,
            age=age,
            flags=flags,
            request_id=request_id,
        )

        return reservation_create
