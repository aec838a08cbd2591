from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="ChildVoiceIn")


@_attrs_define
class ChildVoiceIn:
    """Whether the child was heard, what it wished (codes) and, in words, what it said (stays in intake).

    Attributes:
        heard (bool):
        note (None | str | Unset):
        wishes (list[str] | Unset):
    """

    heard: bool
    note: None | str | Unset = UNSET
    wishes: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        heard = self.heard

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        wishes: list[str] | Unset = UNSET
        if not isinstance(self.wishes, Unset):
            wishes = self.wishes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "heard": heard,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note
        if wishes is not UNSET:
            field_dict["wishes"] = wishes

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        heard = d.pop("heard")

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        wishes = cast(list[str], d.pop("wishes", UNSET))

        child_voice_in = cls(
            heard=heard,
            note=note,
            wishes=wishes,
        )

        return child_voice_in
