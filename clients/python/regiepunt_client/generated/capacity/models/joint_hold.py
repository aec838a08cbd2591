from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="JointHold")


@_attrs_define
class JointHold:
    """One place of a joint hold: the unit, and the referral and match request it is held for.

    Attributes:
        client_key (str):
        referral_id (str):
        request_id (str):
        unit_id (str):
        age (int | None | Unset):
        flags (list[str] | Unset):
    """

    client_key: str
    referral_id: str
    request_id: str
    unit_id: str
    age: int | None | Unset = UNSET
    flags: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        client_key = self.client_key

        referral_id = self.referral_id

        request_id = self.request_id

        unit_id = self.unit_id

        age: int | None | Unset
        if isinstance(self.age, Unset):
            age = UNSET
        else:
            age = self.age

        flags: list[str] | Unset = UNSET
        if not isinstance(self.flags, Unset):
            flags = self.flags

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "client_key": client_key,
                "referral_id": referral_id,
                "request_id": request_id,
                "unit_id": unit_id,
            }
        )
        if age is not UNSET:
            field_dict["age"] = age
        if flags is not UNSET:
            field_dict["flags"] = flags

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        client_key = d.pop("client_key")

        referral_id = d.pop("referral_id")

        request_id = d.pop("request_id")

        unit_id = d.pop("unit_id")

        def _parse_age(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        age = _parse_age(d.pop("age", UNSET))

        flags = cast(list[str], d.pop("flags", UNSET))

        joint_hold = cls(
            client_key=client_key,
            referral_id=referral_id,
            request_id=request_id,
            unit_id=unit_id,
            age=age,
            flags=flags,
        )

        return joint_hold
