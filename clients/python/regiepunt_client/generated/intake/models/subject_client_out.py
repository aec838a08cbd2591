from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SubjectClientOut")


@_attrs_define
class SubjectClientOut:
    """
    Attributes:
        birth_date (datetime.date):
        bsn (str):
        municipality_code (str):
    """

    birth_date: datetime.date
    bsn: str
    municipality_code: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        bsn = self.bsn

        municipality_code = self.municipality_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "birth_date": birth_date,
                "bsn": bsn,
                "municipality_code": municipality_code,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        bsn = d.pop("bsn")

        municipality_code = d.pop("municipality_code")

        subject_client_out = cls(
            birth_date=birth_date,
            bsn=bsn,
            municipality_code=municipality_code,
        )

        subject_client_out.additional_properties = d
        return subject_client_out

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
