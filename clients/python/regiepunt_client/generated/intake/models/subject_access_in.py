from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="SubjectAccessIn")


@_attrs_define
class SubjectAccessIn:
    """
    Attributes:
        bsn (str):
    """

    bsn: str

    def to_dict(self) -> dict[str, Any]:
        bsn = self.bsn

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "bsn": bsn,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        bsn = d.pop("bsn")

        subject_access_in = cls(
            bsn=bsn,
        )

        return subject_access_in
