from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.referral_in import ReferralIn
    from ..models.split_in import SplitIn


T = TypeVar("T", bound="ReferralGroupIn")


@_attrs_define
class ReferralGroupIn:
    """
    Attributes:
        referrals (list[ReferralIn]):
        keep_together (bool | Unset):  Default: True.
        split (None | SplitIn | Unset):
    """

    referrals: list[ReferralIn]
    keep_together: bool | Unset = True
    split: None | SplitIn | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.split_in import SplitIn  # noqa: PLC0415

        referrals = []
        for referrals_item_data in self.referrals:
            referrals_item = referrals_item_data.to_dict()
            referrals.append(referrals_item)

        keep_together = self.keep_together

        split: dict[str, Any] | None | Unset
        if isinstance(self.split, Unset):
            split = UNSET
        elif isinstance(self.split, SplitIn):
            split = self.split.to_dict()
        else:
            split = self.split

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "referrals": referrals,
            }
        )
        if keep_together is not UNSET:
            field_dict["keep_together"] = keep_together
        if split is not UNSET:
            field_dict["split"] = split

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.referral_in import ReferralIn  # noqa: PLC0415
        from ..models.split_in import SplitIn  # noqa: PLC0415

        d = dict(src_dict)
        referrals = []
        _referrals = d.pop("referrals")
        for referrals_item_data in _referrals:
            referrals_item = ReferralIn.from_dict(referrals_item_data)

            referrals.append(referrals_item)

        keep_together = d.pop("keep_together", UNSET)

        def _parse_split(data: object) -> None | SplitIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                split_type_0 = SplitIn.from_dict(data)

                return split_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SplitIn | Unset, data)

        split = _parse_split(d.pop("split", UNSET))

        referral_group_in = cls(
            referrals=referrals,
            keep_together=keep_together,
            split=split,
        )

        return referral_group_in
