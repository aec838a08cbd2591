from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CourtAuthorisationOut")


@_attrs_define
class CourtAuthorisationOut:
    """
    Attributes:
        decided_on (datetime.date):
        kind (str):
        valid_until (datetime.date):
    """

    decided_on: datetime.date
    kind: str
    valid_until: datetime.date
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decided_on = self.decided_on.isoformat()

        kind = self.kind

        valid_until = self.valid_until.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decided_on": decided_on,
                "kind": kind,
                "valid_until": valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        kind = d.pop("kind")

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        court_authorisation_out = cls(
            decided_on=decided_on,
            kind=kind,
            valid_until=valid_until,
        )

        court_authorisation_out.additional_properties = d
        return court_authorisation_out

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
