from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.access_log_item_out import AccessLogItemOut
    from ..models.subject_referral_out import SubjectReferralOut


T = TypeVar("T", bound="SubjectAccessOut")


@_attrs_define
class SubjectAccessOut:
    """What the point holds about one child (the AVG right of access).

    Attributes:
        access_log (list[AccessLogItemOut]):
        client_key (None | str):
        referrals (list[SubjectReferralOut]):
    """

    access_log: list[AccessLogItemOut]
    client_key: None | str
    referrals: list[SubjectReferralOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_log = []
        for access_log_item_data in self.access_log:
            access_log_item = access_log_item_data.to_dict()
            access_log.append(access_log_item)

        client_key: None | str
        client_key = self.client_key

        referrals = []
        for referrals_item_data in self.referrals:
            referrals_item = referrals_item_data.to_dict()
            referrals.append(referrals_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_log": access_log,
                "client_key": client_key,
                "referrals": referrals,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.access_log_item_out import AccessLogItemOut  # noqa: PLC0415
        from ..models.subject_referral_out import SubjectReferralOut  # noqa: PLC0415

        d = dict(src_dict)
        access_log = []
        _access_log = d.pop("access_log")
        for access_log_item_data in _access_log:
            access_log_item = AccessLogItemOut.from_dict(access_log_item_data)

            access_log.append(access_log_item)

        def _parse_client_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_key = _parse_client_key(d.pop("client_key"))

        referrals = []
        _referrals = d.pop("referrals")
        for referrals_item_data in _referrals:
            referrals_item = SubjectReferralOut.from_dict(referrals_item_data)

            referrals.append(referrals_item)

        subject_access_out = cls(
            access_log=access_log,
            client_key=client_key,
            referrals=referrals,
        )

        subject_access_out.additional_properties = d
        return subject_access_out

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
