from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.occupancy_out import OccupancyOut
    from ..models.reservation_out import ReservationOut


T = TypeVar("T", bound="ConfirmationOut")


@_attrs_define
class ConfirmationOut:
    """
    Attributes:
        occupancy (OccupancyOut):
        reservation (ReservationOut):
        provider_contracted (bool | None | Unset):
    """

    occupancy: OccupancyOut
    reservation: ReservationOut
    provider_contracted: bool | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        occupancy = self.occupancy.to_dict()

        reservation = self.reservation.to_dict()

        provider_contracted: bool | None | Unset
        if isinstance(self.provider_contracted, Unset):
            provider_contracted = UNSET
        else:
            provider_contracted = self.provider_contracted

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "occupancy": occupancy,
                "reservation": reservation,
            }
        )
        if provider_contracted is not UNSET:
            field_dict["provider_contracted"] = provider_contracted

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.occupancy_out import OccupancyOut  # noqa: PLC0415
        from ..models.reservation_out import ReservationOut  # noqa: PLC0415

        d = dict(src_dict)
        occupancy = OccupancyOut.from_dict(d.pop("occupancy"))

        reservation = ReservationOut.from_dict(d.pop("reservation"))

        def _parse_provider_contracted(data: object) -> bool | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(bool | None | Unset, data)

        provider_contracted = _parse_provider_contracted(d.pop("provider_contracted", UNSET))

        confirmation_out = cls(
            occupancy=occupancy,
            reservation=reservation,
            provider_contracted=provider_contracted,
        )

        confirmation_out.additional_properties = d
        return confirmation_out

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
