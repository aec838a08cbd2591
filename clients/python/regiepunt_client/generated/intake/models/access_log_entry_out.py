from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccessLogEntryOut")


@_attrs_define
class AccessLogEntryOut:
    """
    Attributes:
        action (str):
        at (datetime.datetime):
        org (str):
        referral_id (str):
        role (str):
        sub (str):
    """

    action: str
    at: datetime.datetime
    org: str
    referral_id: str
    role: str
    sub: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        at = self.at.isoformat()

        org = self.org

        referral_id = self.referral_id

        role = self.role

        sub = self.sub

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "at": at,
                "org": org,
                "referral_id": referral_id,
                "role": role,
                "sub": sub,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        org = d.pop("org")

        referral_id = d.pop("referral_id")

        role = d.pop("role")

        sub = d.pop("sub")

        access_log_entry_out = cls(
            action=action,
            at=at,
            org=org,
            referral_id=referral_id,
            role=role,
            sub=sub,
        )

        access_log_entry_out.additional_properties = d
        return access_log_entry_out

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
