from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.end_reason import EndReason

T = TypeVar("T", bound="EndIn")


@_attrs_define
class EndIn:
    """
    Attributes:
        end_date (datetime.date):
        reason (EndReason):
    """

    end_date: datetime.date
    reason: EndReason

    def to_dict(self) -> dict[str, Any]:
        end_date = self.end_date.isoformat()

        reason = self.reason.value

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "end_date": end_date,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        end_date = datetime.date.fromisoformat(d.pop("end_date"))

        reason = EndReason(d.pop("reason"))

        end_in = cls(
            end_date=end_date,
            reason=reason,
        )

        return end_in
