from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SubjectGroupOut")


@_attrs_define
class SubjectGroupOut:
    """The group of siblings a referral was made with, and the split recorded for it.

    Attributes:
        id (str):
        keep_together (bool):
        split_at (datetime.datetime | None):
        split_by (None | str):
        split_code (None | str):
        split_justification (None | str):
    """

    id: str
    keep_together: bool
    split_at: datetime.datetime | None
    split_by: None | str
    split_code: None | str
    split_justification: None | str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        keep_together = self.keep_together

        split_at: None | str
        if isinstance(self.split_at, datetime.datetime):
            split_at = self.split_at.isoformat()
        else:
            split_at = self.split_at

        split_by: None | str
        split_by = self.split_by

        split_code: None | str
        split_code = self.split_code

        split_justification: None | str
        split_justification = self.split_justification

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "keep_together": keep_together,
                "split_at": split_at,
                "split_by": split_by,
                "split_code": split_code,
                "split_justification": split_justification,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        id = d.pop("id")

        keep_together = d.pop("keep_together")

        def _parse_split_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                split_at_type_0 = datetime.datetime.fromisoformat(data)

                return split_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        split_at = _parse_split_at(d.pop("split_at"))

        def _parse_split_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        split_by = _parse_split_by(d.pop("split_by"))

        def _parse_split_code(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        split_code = _parse_split_code(d.pop("split_code"))

        def _parse_split_justification(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        split_justification = _parse_split_justification(d.pop("split_justification"))

        subject_group_out = cls(
            id=id,
            keep_together=keep_together,
            split_at=split_at,
            split_by=split_by,
            split_code=split_code,
            split_justification=split_justification,
        )

        subject_group_out.additional_properties = d
        return subject_group_out

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
