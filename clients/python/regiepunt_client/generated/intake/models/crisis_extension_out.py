from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CrisisExtensionOut")


@_attrs_define
class CrisisExtensionOut:
    """
    Attributes:
        created_at (datetime.datetime):
        days (int):
        extended_by (str):
        new_end_date (datetime.date):
        previous_end_date (datetime.date):
        reason (str):
    """

    created_at: datetime.datetime
    days: int
    extended_by: str
    new_end_date: datetime.date
    previous_end_date: datetime.date
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        days = self.days

        extended_by = self.extended_by

        new_end_date = self.new_end_date.isoformat()

        previous_end_date = self.previous_end_date.isoformat()

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "days": days,
                "extended_by": extended_by,
                "new_end_date": new_end_date,
                "previous_end_date": previous_end_date,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        days = d.pop("days")

        extended_by = d.pop("extended_by")

        new_end_date = datetime.date.fromisoformat(d.pop("new_end_date"))

        previous_end_date = datetime.date.fromisoformat(d.pop("previous_end_date"))

        reason = d.pop("reason")

        crisis_extension_out = cls(
            created_at=created_at,
            days=days,
            extended_by=extended_by,
            new_end_date=new_end_date,
            previous_end_date=previous_end_date,
            reason=reason,
        )

        crisis_extension_out.additional_properties = d
        return crisis_extension_out

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
