from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientOut")


@_attrs_define
class ClientOut:
    """
    Attributes:
        birth_date (datetime.date):
        municipality_code (str):
        bsn (None | str | Unset):
        school_municipality_code (None | str | Unset):
    """

    birth_date: datetime.date
    municipality_code: str
    bsn: None | str | Unset = UNSET
    school_municipality_code: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        municipality_code = self.municipality_code

        bsn: None | str | Unset
        if isinstance(self.bsn, Unset):
            bsn = UNSET
        else:
            bsn = self.bsn

        school_municipality_code: None | str | Unset
        if isinstance(self.school_municipality_code, Unset):
            school_municipality_code = UNSET
        else:
            school_municipality_code = self.school_municipality_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "birth_date": birth_date,
                "municipality_code": municipality_code,
            }
        )
        if bsn is not UNSET:
            field_dict["bsn"] = bsn
        if school_municipality_code is not UNSET:
            field_dict["school_municipality_code"] = school_municipality_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        municipality_code = d.pop("municipality_code")

        def _parse_bsn(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        bsn = _parse_bsn(d.pop("bsn", UNSET))

        def _parse_school_municipality_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        school_municipality_code = _parse_school_municipality_code(d.pop("school_municipality_code", UNSET))

        client_out = cls(
            birth_date=birth_date,
            municipality_code=municipality_code,
            bsn=bsn,
            school_municipality_code=school_municipality_code,
        )

        client_out.additional_properties = d
        return client_out

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
