from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

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
    """

    occupancy: OccupancyOut
    reservation: ReservationOut
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        occupancy = self.occupancy.to_dict()

        reservation = self.reservation.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "occupancy": occupancy,
                "reservation": reservation,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.occupancy_out import OccupancyOut  # noqa: PLC0415
        from ..models.reservation_out import ReservationOut  # noqa: PLC0415

        d = dict(src_dict)
        occupancy = OccupancyOut.from_dict(d.pop("occupancy"))

        reservation = ReservationOut.from_dict(d.pop("reservation"))

        confirmation_out = cls(
            occupancy=occupancy,
            reservation=reservation,
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
