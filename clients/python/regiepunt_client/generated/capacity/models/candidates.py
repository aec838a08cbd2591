from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.candidates_excluded_type_1_item_item_type_3 import (
    CandidatesExcludedType1ItemItemType3,
)
from ..models.candidates_units_type_1_item_item_type_2 import (
    CandidatesUnitsType1ItemItemType2,
)
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.candidates_group_profiles_type_0 import CandidatesGroupProfilesType0
    from ..models.candidates_outside_excluded_type_0 import CandidatesOutsideExcludedType0
    from ..models.candidates_production_type_0 import CandidatesProductionType0
    from ..models.candidates_unfit_excluded_type_0 import CandidatesUnfitExcludedType0
    from ..models.excluded import Excluded
    from ..models.unit_out import UnitOut


T = TypeVar("T", bound="Candidates")


@_attrs_define
class Candidates:
    """
    Attributes:
        excluded (list[Excluded] | list[list[bool | CandidatesExcludedType1ItemItemType3 | str]]):
        units (list[list[bool | CandidatesUnitsType1ItemItemType2 | float | int | list[str] | None | str]] |
            list[UnitOut]):
        group_profiles (CandidatesGroupProfilesType0 | None | Unset):
        held_unit_id (None | str | Unset):
        outside_excluded (CandidatesOutsideExcludedType0 | None | Unset):
        outside_fitting (int | None | Unset):
        production (CandidatesProductionType0 | None | Unset):
        unfit_excluded (CandidatesUnfitExcludedType0 | None | Unset):
    """

    excluded: list[Excluded] | list[list[bool | CandidatesExcludedType1ItemItemType3 | str]]
    units: list[list[bool | CandidatesUnitsType1ItemItemType2 | float | int | list[str] | None | str]] | list[UnitOut]
    group_profiles: CandidatesGroupProfilesType0 | None | Unset = UNSET
    held_unit_id: None | str | Unset = UNSET
    outside_excluded: CandidatesOutsideExcludedType0 | None | Unset = UNSET
    outside_fitting: int | None | Unset = UNSET
    production: CandidatesProductionType0 | None | Unset = UNSET
    unfit_excluded: CandidatesUnfitExcludedType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.candidates_group_profiles_type_0 import (
            CandidatesGroupProfilesType0,  # noqa: PLC0415
        )
        from ..models.candidates_outside_excluded_type_0 import (
            CandidatesOutsideExcludedType0,  # noqa: PLC0415
        )
        from ..models.candidates_production_type_0 import CandidatesProductionType0  # noqa: PLC0415
        from ..models.candidates_unfit_excluded_type_0 import (
            CandidatesUnfitExcludedType0,  # noqa: PLC0415
        )

        excluded: list[dict[str, Any]] | list[list[bool | str]]
        if isinstance(self.excluded, list):
            excluded = []
            for excluded_type_0_item_data in self.excluded:
                excluded_type_0_item = excluded_type_0_item_data.to_dict()
                excluded.append(excluded_type_0_item)

        else:
            excluded = []
            for excluded_type_1_item_data in self.excluded:
                excluded_type_1_item = []
                for excluded_type_1_item_item_data in excluded_type_1_item_data:
                    excluded_type_1_item_item: bool | str
                    if isinstance(excluded_type_1_item_item_data, CandidatesExcludedType1ItemItemType3):
                        excluded_type_1_item_item = excluded_type_1_item_item_data.value
                    else:
                        excluded_type_1_item_item = excluded_type_1_item_item_data
                    excluded_type_1_item.append(excluded_type_1_item_item)

                excluded.append(excluded_type_1_item)

        units: list[dict[str, Any]] | list[list[bool | float | int | list[str] | None | str]]
        if isinstance(self.units, list):
            units = []
            for units_type_0_item_data in self.units:
                units_type_0_item = units_type_0_item_data.to_dict()
                units.append(units_type_0_item)

        else:
            units = []
            for units_type_1_item_data in self.units:
                units_type_1_item = []
                for units_type_1_item_item_data in units_type_1_item_data:
                    units_type_1_item_item: bool | float | int | list[str] | None | str
                    if isinstance(units_type_1_item_item_data, CandidatesUnitsType1ItemItemType2):
                        units_type_1_item_item = units_type_1_item_item_data.value
                    elif isinstance(units_type_1_item_item_data, list):
                        units_type_1_item_item = units_type_1_item_item_data

                    else:
                        units_type_1_item_item = units_type_1_item_item_data
                    units_type_1_item.append(units_type_1_item_item)

                units.append(units_type_1_item)

        group_profiles: dict[str, Any] | None | Unset
        if isinstance(self.group_profiles, Unset):
            group_profiles = UNSET
        elif isinstance(self.group_profiles, CandidatesGroupProfilesType0):
            group_profiles = self.group_profiles.to_dict()
        else:
            group_profiles = self.group_profiles

        held_unit_id: None | str | Unset
        if isinstance(self.held_unit_id, Unset):
            held_unit_id = UNSET
        else:
            held_unit_id = self.held_unit_id

        outside_excluded: dict[str, Any] | None | Unset
        if isinstance(self.outside_excluded, Unset):
            outside_excluded = UNSET
        elif isinstance(self.outside_excluded, CandidatesOutsideExcludedType0):
            outside_excluded = self.outside_excluded.to_dict()
        else:
            outside_excluded = self.outside_excluded

        outside_fitting: int | None | Unset
        if isinstance(self.outside_fitting, Unset):
            outside_fitting = UNSET
        else:
            outside_fitting = self.outside_fitting

        production: dict[str, Any] | None | Unset
        if isinstance(self.production, Unset):
            production = UNSET
        elif isinstance(self.production, CandidatesProductionType0):
            production = self.production.to_dict()
        else:
            production = self.production

        unfit_excluded: dict[str, Any] | None | Unset
        if isinstance(self.unfit_excluded, Unset):
            unfit_excluded = UNSET
        elif isinstance(self.unfit_excluded, CandidatesUnfitExcludedType0):
            unfit_excluded = self.unfit_excluded.to_dict()
        else:
            unfit_excluded = self.unfit_excluded

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "excluded": excluded,
                "units": units,
            }
        )
        if group_profiles is not UNSET:
            field_dict["group_profiles"] = group_profiles
        if held_unit_id is not UNSET:
            field_dict["held_unit_id"] = held_unit_id
        if outside_excluded is not UNSET:
            field_dict["outside_excluded"] = outside_excluded
        if outside_fitting is not UNSET:
            field_dict["outside_fitting"] = outside_fitting
        if production is not UNSET:
            field_dict["production"] = production
        if unfit_excluded is not UNSET:
            field_dict["unfit_excluded"] = unfit_excluded

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.candidates_group_profiles_type_0 import (
            CandidatesGroupProfilesType0,  # noqa: PLC0415
        )
        from ..models.candidates_outside_excluded_type_0 import (
            CandidatesOutsideExcludedType0,  # noqa: PLC0415
        )
        from ..models.candidates_production_type_0 import CandidatesProductionType0  # noqa: PLC0415
        from ..models.candidates_unfit_excluded_type_0 import (
            CandidatesUnfitExcludedType0,  # noqa: PLC0415
        )
        from ..models.excluded import Excluded  # noqa: PLC0415
        from ..models.unit_out import UnitOut  # noqa: PLC0415

        d = dict(src_dict)

        def _parse_excluded(
            data: object,
        ) -> list[Excluded] | list[list[bool | CandidatesExcludedType1ItemItemType3 | str]]:
            try:
                if not isinstance(data, list):
                    raise TypeError()
                excluded_type_0 = []
                _excluded_type_0 = data
                for excluded_type_0_item_data in _excluded_type_0:
                    excluded_type_0_item = Excluded.from_dict(excluded_type_0_item_data)

                    excluded_type_0.append(excluded_type_0_item)

                return excluded_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            excluded_type_1 = []
            _excluded_type_1 = data
            for excluded_type_1_item_data in _excluded_type_1:
                excluded_type_1_item = []
                _excluded_type_1_item = excluded_type_1_item_data
                for excluded_type_1_item_item_data in _excluded_type_1_item:

                    def _parse_excluded_type_1_item_item(
                        data: object,
                    ) -> bool | CandidatesExcludedType1ItemItemType3 | str:
                        try:
                            if not isinstance(data, str):
                                raise TypeError()
                            excluded_type_1_item_item_type_3 = CandidatesExcludedType1ItemItemType3(data)

                            return excluded_type_1_item_item_type_3
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(bool | CandidatesExcludedType1ItemItemType3 | str, data)

                    excluded_type_1_item_item = _parse_excluded_type_1_item_item(excluded_type_1_item_item_data)

                    excluded_type_1_item.append(excluded_type_1_item_item)

                excluded_type_1.append(excluded_type_1_item)

            return excluded_type_1

        excluded = _parse_excluded(d.pop("excluded"))

        def _parse_units(
            data: object,
        ) -> (
            list[list[bool | CandidatesUnitsType1ItemItemType2 | float | int | list[str] | None | str]] | list[UnitOut]
        ):
            try:
                if not isinstance(data, list):
                    raise TypeError()
                units_type_0 = []
                _units_type_0 = data
                for units_type_0_item_data in _units_type_0:
                    units_type_0_item = UnitOut.from_dict(units_type_0_item_data)

                    units_type_0.append(units_type_0_item)

                return units_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            units_type_1 = []
            _units_type_1 = data
            for units_type_1_item_data in _units_type_1:
                units_type_1_item = []
                _units_type_1_item = units_type_1_item_data
                for units_type_1_item_item_data in _units_type_1_item:

                    def _parse_units_type_1_item_item(
                        data: object,
                    ) -> bool | CandidatesUnitsType1ItemItemType2 | float | int | list[str] | None | str:
                        if data is None:
                            return data
                        try:
                            if not isinstance(data, str):
                                raise TypeError()
                            units_type_1_item_item_type_2 = CandidatesUnitsType1ItemItemType2(data)

                            return units_type_1_item_item_type_2
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        try:
                            if not isinstance(data, list):
                                raise TypeError()
                            units_type_1_item_item_type_5 = cast(list[str], data)

                            return units_type_1_item_item_type_5
                        except (TypeError, ValueError, AttributeError, KeyError):
                            pass
                        return cast(
                            bool | CandidatesUnitsType1ItemItemType2 | float | int | list[str] | None | str, data
                        )

                    units_type_1_item_item = _parse_units_type_1_item_item(units_type_1_item_item_data)

                    units_type_1_item.append(units_type_1_item_item)

                units_type_1.append(units_type_1_item)

            return units_type_1

        units = _parse_units(d.pop("units"))

        def _parse_group_profiles(data: object) -> CandidatesGroupProfilesType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                group_profiles_type_0 = CandidatesGroupProfilesType0.from_dict(data)

                return group_profiles_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CandidatesGroupProfilesType0 | None | Unset, data)

        group_profiles = _parse_group_profiles(d.pop("group_profiles", UNSET))

        def _parse_held_unit_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        held_unit_id = _parse_held_unit_id(d.pop("held_unit_id", UNSET))

        def _parse_outside_excluded(data: object) -> CandidatesOutsideExcludedType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                outside_excluded_type_0 = CandidatesOutsideExcludedType0.from_dict(data)

                return outside_excluded_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CandidatesOutsideExcludedType0 | None | Unset, data)

        outside_excluded = _parse_outside_excluded(d.pop("outside_excluded", UNSET))

        def _parse_outside_fitting(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        outside_fitting = _parse_outside_fitting(d.pop("outside_fitting", UNSET))

        def _parse_production(data: object) -> CandidatesProductionType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                production_type_0 = CandidatesProductionType0.from_dict(data)

                return production_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CandidatesProductionType0 | None | Unset, data)

        production = _parse_production(d.pop("production", UNSET))

        def _parse_unfit_excluded(data: object) -> CandidatesUnfitExcludedType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                unfit_excluded_type_0 = CandidatesUnfitExcludedType0.from_dict(data)

                return unfit_excluded_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CandidatesUnfitExcludedType0 | None | Unset, data)

        unfit_excluded = _parse_unfit_excluded(d.pop("unfit_excluded", UNSET))

        candidates = cls(
            excluded=excluded,
            units=units,
            group_profiles=group_profiles,
            held_unit_id=held_unit_id,
            outside_excluded=outside_excluded,
            outside_fitting=outside_fitting,
            production=production,
            unfit_excluded=unfit_excluded,
        )

        candidates.additional_properties = d
        return candidates

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
