from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DeclineOut")


@_attrs_define
class DeclineOut:
    """
    Attributes:
        created_at (datetime.datetime):
        declined_by (str):
        provider_id (str):
        reason (None | str):
        reason_code (str):
        unit_id (str):
    """

    created_at: datetime.datetime
    declined_by: str
    provider_id: str
    reason: None | str
    reason_code: str
    unit_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        declined_by = self.declined_by

        provider_id = self.provider_id

        reason: None | str
        reason = self.reason

        reason_code = self.reason_code

        unit_id = self.unit_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "declined_by": declined_by,
                "provider_id": provider_id,
                "reason": reason,
                "reason_code": reason_code,
                "unit_id": unit_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        declined_by = d.pop("declined_by")

        provider_id = d.pop("provider_id")

        def _parse_reason(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        reason = _parse_reason(d.pop("reason"))

        reason_code = d.pop("reason_code")

        unit_id = d.pop("unit_id")

        decline_out = cls(
            created_at=created_at,
            declined_by=declined_by,
            provider_id=provider_id,
            reason=reason,
            reason_code=reason_code,
            unit_id=unit_id,
        )

        decline_out.additional_properties = d
        return decline_out

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
