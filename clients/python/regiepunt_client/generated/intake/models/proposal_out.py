from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ProposalOut")


@_attrs_define
class ProposalOut:
    """
    Attributes:
        expires_at (datetime.datetime):
        in_region (bool):
        provider_id (str):
        reasons (list[str]):
        unit_id (str):
        distance_home_km (float | None | Unset):
        distance_school_km (float | None | Unset):
    """

    expires_at: datetime.datetime
    in_region: bool
    provider_id: str
    reasons: list[str]
    unit_id: str
    distance_home_km: float | None | Unset = UNSET
    distance_school_km: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expires_at = self.expires_at.isoformat()

        in_region = self.in_region

        provider_id = self.provider_id

        reasons = self.reasons

        unit_id = self.unit_id

        distance_home_km: float | None | Unset
        if isinstance(self.distance_home_km, Unset):
            distance_home_km = UNSET
        else:
            distance_home_km = self.distance_home_km

        distance_school_km: float | None | Unset
        if isinstance(self.distance_school_km, Unset):
            distance_school_km = UNSET
        else:
            distance_school_km = self.distance_school_km

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expires_at": expires_at,
                "in_region": in_region,
                "provider_id": provider_id,
                "reasons": reasons,
                "unit_id": unit_id,
            }
        )
        if distance_home_km is not UNSET:
            field_dict["distance_home_km"] = distance_home_km
        if distance_school_km is not UNSET:
            field_dict["distance_school_km"] = distance_school_km

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        expires_at = datetime.datetime.fromisoformat(d.pop("expires_at"))

        in_region = d.pop("in_region")

        provider_id = d.pop("provider_id")

        reasons = cast(list[str], d.pop("reasons"))

        unit_id = d.pop("unit_id")

        def _parse_distance_home_km(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        distance_home_km = _parse_distance_home_km(d.pop("distance_home_km", UNSET))

        def _parse_distance_school_km(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        distance_school_km = _parse_distance_school_km(d.pop("distance_school_km", UNSET))

        proposal_out = cls(
            expires_at=expires_at,
            in_region=in_region,
            provider_id=provider_id,
            reasons=reasons,
            unit_id=unit_id,
            distance_home_km=distance_home_km,
            distance_school_km=distance_school_km,
        )

        proposal_out.additional_properties = d
        return proposal_out

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
