from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="HoldsRelease")


@_attrs_define
class HoldsRelease:
    """Release the places held for a referral: all of them, or those of the named match requests,
    except the one kept (the proposal that stands).

        Attributes:
            referral_id (str):
            keep_reservation_id (None | str | Unset):
            request_ids (list[str] | None | Unset):
    """

    referral_id: str
    keep_reservation_id: None | str | Unset = UNSET
    request_ids: list[str] | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        referral_id = self.referral_id

        keep_reservation_id: None | str | Unset
        if isinstance(self.keep_reservation_id, Unset):
            keep_reservation_id = UNSET
        else:
            keep_reservation_id = self.keep_reservation_id

        request_ids: list[str] | None | Unset
        if isinstance(self.request_ids, Unset):
            request_ids = UNSET
        elif isinstance(self.request_ids, list):
            request_ids = self.request_ids

        else:
            request_ids = self.request_ids

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "referral_id": referral_id,
            }
        )
        if keep_reservation_id is not UNSET:
            field_dict["keep_reservation_id"] = keep_reservation_id
        if request_ids is not UNSET:
            field_dict["request_ids"] = request_ids

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        referral_id = d.pop("referral_id")

        def _parse_keep_reservation_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        keep_reservation_id = _parse_keep_reservation_id(d.pop("keep_reservation_id", UNSET))

        def _parse_request_ids(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                request_ids_type_0 = cast(list[str], data)

                return request_ids_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        request_ids = _parse_request_ids(d.pop("request_ids", UNSET))

        holds_release = cls(
            referral_id=referral_id,
            keep_reservation_id=keep_reservation_id,
            request_ids=request_ids,
        )

        return holds_release
