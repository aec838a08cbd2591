from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.joint_hold import JointHold


T = TypeVar("T", bound="JointHoldCreate")


@_attrs_define
class JointHoldCreate:
    """Hold several places at once, all or none (siblings kept together).

    Attributes:
        expires_at (datetime.datetime):
        holds (list[JointHold]):
    """

    expires_at: datetime.datetime
    holds: list[JointHold]

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        holds = []
        for holds_item_data in self.holds:
            holds_item = holds_item_data.to_dict()
            holds.append(holds_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "expires_at": expires_at,
                "holds": holds,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.joint_hold import JointHold  # noqa: PLC0415

        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        holds = []
        _holds = d.pop("holds")
        for holds_item_data in _holds:
            holds_item = JointHold.from_dict(holds_item_data)

            holds.append(holds_item)

        joint_hold_create = cls(
            expires_at=expires_at,
            holds=holds,
        )

        return joint_hold_create
