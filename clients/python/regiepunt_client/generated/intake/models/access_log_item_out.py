from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="AccessLogItemOut")


@_attrs_define
class AccessLogItemOut:
    """
    Attributes:
        action (str):
        actor (str):
        actor_org (str):
        actor_role (str):
        at (datetime.datetime):
        id (int):
        referral_id (None | str):
    """

    action: str
    actor: str
    actor_org: str
    actor_role: str
    at: datetime.datetime
    id: int
    referral_id: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action

        actor = self.actor

        actor_org = self.actor_org

        actor_role = self.actor_role

        at = self.at.isoformat()

        id = self.id

        referral_id: None | str
        referral_id = self.referral_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "actor": actor,
                "actor_org": actor_org,
                "actor_role": actor_role,
                "at": at,
                "id": id,
                "referral_id": referral_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        action = d.pop("action")

        actor = d.pop("actor")

        actor_org = d.pop("actor_org")

        actor_role = d.pop("actor_role")

        at = datetime.datetime.fromisoformat(d.pop("at"))

        id = d.pop("id")

        def _parse_referral_id(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        referral_id = _parse_referral_id(d.pop("referral_id"))

        access_log_item_out = cls(
            action=action,
            actor=actor,
            actor_org=actor_org,
            actor_role=actor_role,
            at=at,
            id=id,
            referral_id=referral_id,
        )

        access_log_item_out.additional_properties = d
        return access_log_item_out

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
