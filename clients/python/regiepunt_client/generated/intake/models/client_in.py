from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientIn")


@_attrs_define
class ClientIn:
    """
    Attributes:
        birth_date (datetime.date):
        bsn (str):
        municipality_code (str):
        school_municipality_code (None | str | Unset):
    """

    birth_date: datetime.date
    bsn: str
    municipality_code: str
    school_municipality_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        birth_date = self.birth_date.isoformat()

        bsn = self.bsn

        municipality_code = self.municipality_code

        school_municipality_code: None | str | Unset
        if isinstance(self.school_municipality_code, Unset):
            school_municipality_code = UNSET
        else:
            school_municipality_code = self.school_municipality_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "birth_date": birth_date,
                "bsn": bsn,
                "municipality_code": municipality_code,
            }
        )
        if school_municipality_code is not UNSET:
            field_dict["school_municipality_code"] = school_municipality_code

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        birth_date = datetime.date.fromisoformat(d.pop("birth_date"))

        bsn = d.pop("bsn")

        municipality_code = d.pop("municipality_code")

        def _parse_school_municipality_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        school_municipality_code = _parse_school_municipality_code(d.pop("school_municipality_code", UNSET))

        client_in = cls(
            birth_date=birth_date,
            bsn=bsn,
            municipality_code=municipality_code,
            school_municipality_code=school_municipality_code,
        )

        return client_in
