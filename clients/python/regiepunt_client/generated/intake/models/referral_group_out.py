from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.group_status import GroupStatus

if TYPE_CHECKING:
    from ..models.referral_out import ReferralOut
    from ..models.split_out import SplitOut


T = TypeVar("T", bound="ReferralGroupOut")


@_attrs_define
class ReferralGroupOut:
    """
    Attributes:
        created_at (datetime.datetime):
        id (str):
        keep_together (bool):
        referrals (list[ReferralOut]):
        referrer_org (str):
        split (None | SplitOut):
        status (GroupStatus):
        updated_at (datetime.datetime):
    """

    created_at: datetime.datetime
    id: str
    keep_together: bool
    referrals: list[ReferralOut]
    referrer_org: str
    split: None | SplitOut
    status: GroupStatus
    updated_at: datetime.datetime
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.split_out import SplitOut  # noqa: PLC0415

        created_at = self.created_at.isoformat()

        id = self.id

        keep_together = self.keep_together

        referrals = []
        for referrals_item_data in self.referrals:
            referrals_item = referrals_item_data.to_dict()
            referrals.append(referrals_item)

        referrer_org = self.referrer_org

        split: dict[str, Any] | None
        if isinstance(self.split, SplitOut):
            split = self.split.to_dict()
        else:
            split = self.split

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "keep_together": keep_together,
                "referrals": referrals,
                "referrer_org": referrer_org,
                "split": split,
                "status": status,
                "updated_at": updated_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.referral_out import ReferralOut  # noqa: PLC0415
        from ..models.split_out import SplitOut  # noqa: PLC0415

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        keep_together = d.pop("keep_together")

        referrals = []
        _referrals = d.pop("referrals")
        for referrals_item_data in _referrals:
            referrals_item = ReferralOut.from_dict(referrals_item_data)

            referrals.append(referrals_item)

        referrer_org = d.pop("referrer_org")

        def _parse_split(data: object) -> None | SplitOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                split_type_0 = SplitOut.from_dict(data)

                return split_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SplitOut, data)

        split = _parse_split(d.pop("split"))

        status = GroupStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        referral_group_out = cls(
            created_at=created_at,
            id=id,
            keep_together=keep_together,
            referrals=referrals,
            referrer_org=referrer_org,
            split=split,
            status=status,
            updated_at=updated_at,
        )

        referral_group_out.additional_properties = d
        return referral_group_out

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
