from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.signal_out_detail import SignalOutDetail


T = TypeVar("T", bound="SignalOut")


@_attrs_define
class SignalOut:
    """
    Attributes:
        acknowledged_at (datetime.datetime | None):
        acknowledged_by (None | str):
        analysis (None | str):
        client_key (None | str):
        created_at (datetime.datetime):
        detail (SignalOutDetail):
        id (str):
        referral_id (str):
        status (str):
        type_ (str):
        crisis_days_left (int | None | Unset):
        resolved_at (datetime.datetime | None | Unset):
    """

    acknowledged_at: datetime.datetime | None
    acknowledged_by: None | str
    analysis: None | str
    client_key: None | str
    created_at: datetime.datetime
    detail: SignalOutDetail
    id: str
    referral_id: str
    status: str
    type_: str
    crisis_days_left: int | None | Unset = UNSET
    resolved_at: datetime.datetime | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        acknowledged_at: None | str
        if isinstance(self.acknowledged_at, datetime.datetime):
            acknowledged_at = self.acknowledged_at.isoformat()
        else:
            acknowledged_at = self.acknowledged_at

        acknowledged_by: None | str
        acknowledged_by = self.acknowledged_by

        analysis: None | str
        analysis = self.analysis

        client_key: None | str
        client_key = self.client_key

        created_at = self.created_at.isoformat()

        detail = self.detail.to_dict()

        id = self.id

        referral_id = self.referral_id

        status = self.status

        type_ = self.type_

        crisis_days_left: int | None | Unset
        if isinstance(self.crisis_days_left, Unset):
            crisis_days_left = UNSET
        else:
            crisis_days_left = self.crisis_days_left

        resolved_at: None | str | Unset
        if isinstance(self.resolved_at, Unset):
            resolved_at = UNSET
        elif isinstance(self.resolved_at, datetime.datetime):
            resolved_at = self.resolved_at.isoformat()
        else:
            resolved_at = self.resolved_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "acknowledged_at": acknowledged_at,
                "acknowledged_by": acknowledged_by,
                "analysis": analysis,
                "client_key": client_key,
                "created_at": created_at,
                "detail": detail,
                "id": id,
                "referral_id": referral_id,
                "status": status,
                "type": type_,
            }
        )
        if crisis_days_left is not UNSET:
            field_dict["crisis_days_left"] = crisis_days_left
        if resolved_at is not UNSET:
            field_dict["resolved_at"] = resolved_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.signal_out_detail import SignalOutDetail  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_acknowledged_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                acknowledged_at_type_0 = datetime.datetime.fromisoformat(data)

                return acknowledged_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        acknowledged_at = _parse_acknowledged_at(d.pop("acknowledged_at"))

        def _parse_acknowledged_by(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        acknowledged_by = _parse_acknowledged_by(d.pop("acknowledged_by"))

        def _parse_analysis(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        analysis = _parse_analysis(d.pop("analysis"))

        def _parse_client_key(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        client_key = _parse_client_key(d.pop("client_key"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        detail = SignalOutDetail.from_dict(d.pop("detail"))

        id = d.pop("id")

        referral_id = d.pop("referral_id")

        status = d.pop("status")

        type_ = d.pop("type")

        def _parse_crisis_days_left(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        crisis_days_left = _parse_crisis_days_left(d.pop("crisis_days_left", UNSET))

        def _parse_resolved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                resolved_at_type_0 = datetime.datetime.fromisoformat(data)

                return resolved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        resolved_at = _parse_resolved_at(d.pop("resolved_at", UNSET))

        signal_out = cls(
            acknowledged_at=acknowledged_at,
            acknowledged_by=acknowledged_by,
            analysis=analysis,
            client_key=client_key,
            created_at=created_at,
            detail=detail,
            id=id,
            referral_id=referral_id,
            status=status,
            type_=type_,
            crisis_days_left=crisis_days_left,
            resolved_at=resolved_at,
        )

        signal_out.additional_properties = d
        return signal_out

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
