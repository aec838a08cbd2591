from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.care_type import CareType
from ..models.target_group import TargetGroup
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.child_voice_in import ChildVoiceIn
    from ..models.client_in import ClientIn
    from ..models.court_authorisation_in import CourtAuthorisationIn
    from ..models.out_of_region_in import OutOfRegionIn


T = TypeVar("T", bound="ReferralIn")


@_attrs_define
class ReferralIn:
    """
    Attributes:
        care_type (CareType):
        client (ClientIn):
        target_group (TargetGroup):
        child_voice (ChildVoiceIn | None | Unset):
        court_authorisation (CourtAuthorisationIn | None | Unset):
        max_travel_km (float | None | Unset):
        needs (list[str] | Unset): codes of the vocabulary's needs (GET /v1/vocabulary)
        notes (None | str | Unset):
        out_of_region (None | OutOfRegionIn | Unset):
        part_time (bool | Unset):  Default: False.
        requested_start (datetime.date | None | Unset):
        risk_flags (list[str] | Unset): codes of the vocabulary's risk_flags (GET /v1/vocabulary)
        vulnerabilities (list[str] | Unset): codes of the vocabulary's vulnerabilities (GET /v1/vocabulary)
    """

    care_type: CareType
    client: ClientIn
    target_group: TargetGroup
    child_voice: ChildVoiceIn | None | Unset = UNSET
    court_authorisation: CourtAuthorisationIn | None | Unset = UNSET
    max_travel_km: float | None | Unset = UNSET
    needs: list[str] | Unset = UNSET
    notes: None | str | Unset = UNSET
    out_of_region: None | OutOfRegionIn | Unset = UNSET
    part_time: bool | Unset = False
    requested_start: datetime.date | None | Unset = UNSET
    risk_flags: list[str] | Unset = UNSET
    vulnerabilities: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.child_voice_in import ChildVoiceIn  # noqa: PLC0415
        from ..models.court_authorisation_in import CourtAuthorisationIn  # noqa: PLC0415
        from ..models.out_of_region_in import OutOfRegionIn  # noqa: PLC0415

        care_type = self.care_type.value

        client = self.client.to_dict()

        target_group = self.target_group.value

        child_voice: dict[str, Any] | None | Unset
        if isinstance(self.child_voice, Unset):
            child_voice = UNSET
        elif isinstance(self.child_voice, ChildVoiceIn):
            child_voice = self.child_voice.to_dict()
        else:
            child_voice = self.child_voice

        court_authorisation: dict[str, Any] | None | Unset
        if isinstance(self.court_authorisation, Unset):
            court_authorisation = UNSET
        elif isinstance(self.court_authorisation, CourtAuthorisationIn):
            court_authorisation = self.court_authorisation.to_dict()
        else:
            court_authorisation = self.court_authorisation

        max_travel_km: float | None | Unset
        if isinstance(self.max_travel_km, Unset):
            max_travel_km = UNSET
        else:
            max_travel_km = self.max_travel_km

        needs: list[str] | Unset = UNSET
        if not isinstance(self.needs, Unset):
            needs = self.needs

        notes: None | str | Unset
        if isinstance(self.notes, Unset):
            notes = UNSET
        else:
            notes = self.notes

        out_of_region: dict[str, Any] | None | Unset
        if isinstance(self.out_of_region, Unset):
            out_of_region = UNSET
        elif isinstance(self.out_of_region, OutOfRegionIn):
            out_of_region = self.out_of_region.to_dict()
        else:
            out_of_region = self.out_of_region

        part_time = self.part_time

        requested_start: None | str | Unset
        if isinstance(self.requested_start, Unset):
            requested_start = UNSET
        elif isinstance(self.requested_start, datetime.date):
            requested_start = self.requested_start.isoformat()
        else:
            requested_start = self.requested_start

        risk_flags: list[str] | Unset = UNSET
        if not isinstance(self.risk_flags, Unset):
            risk_flags = self.risk_flags

        vulnerabilities: list[str] | Unset = UNSET
        if not isinstance(self.vulnerabilities, Unset):
            vulnerabilities = self.vulnerabilities

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "care_type": care_type,
                "client": client,
                "target_group": target_group,
            }
        )
        if child_voice is not UNSET:
            field_dict["child_voice"] = child_voice
        if court_authorisation is not UNSET:
            field_dict["court_authorisation"] = court_authorisation
        if max_travel_km is not UNSET:
            field_dict["max_travel_km"] = max_travel_km
        if needs is not UNSET:
            field_dict["needs"] = needs
        if notes is not UNSET:
            field_dict["notes"] = notes
        if out_of_region is not UNSET:
            field_dict["out_of_region"] = out_of_region
        if part_time is not UNSET:
            field_dict["part_time"] = part_time
        if requested_start is not UNSET:
            field_dict["requested_start"] = requested_start
        if risk_flags is not UNSET:
            field_dict["risk_flags"] = risk_flags
        if vulnerabilities is not UNSET:
            field_dict["vulnerabilities"] = vulnerabilities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.child_voice_in import ChildVoiceIn  # noqa: PLC0415
        from ..models.client_in import ClientIn  # noqa: PLC0415
        from ..models.court_authorisation_in import CourtAuthorisationIn  # noqa: PLC0415
        from ..models.out_of_region_in import OutOfRegionIn  # noqa: PLC0415

        d = dict(src_dict)
        care_type = CareType(d.pop("care_type"))

        client = ClientIn.from_dict(d.pop("client"))

        target_group = TargetGroup(d.pop("target_group"))

        def _parse_child_voice(data: object) -> ChildVoiceIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                child_voice_type_0 = ChildVoiceIn.from_dict(data)

                return child_voice_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChildVoiceIn | None | Unset, data)

        child_voice = _parse_child_voice(d.pop("child_voice", UNSET))

        def _parse_court_authorisation(data: object) -> CourtAuthorisationIn | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                court_authorisation_type_0 = CourtAuthorisationIn.from_dict(data)

                return court_authorisation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CourtAuthorisationIn | None | Unset, data)

        court_authorisation = _parse_court_authorisation(d.pop("court_authorisation", UNSET))

        def _parse_max_travel_km(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_travel_km = _parse_max_travel_km(d.pop("max_travel_km", UNSET))

        needs = cast(list[str], d.pop("needs", UNSET))

        def _parse_notes(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        notes = _parse_notes(d.pop("notes", UNSET))

        def _parse_out_of_region(data: object) -> None | OutOfRegionIn | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                out_of_region_type_0 = OutOfRegionIn.from_dict(data)

                return out_of_region_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutOfRegionIn | Unset, data)

        out_of_region = _parse_out_of_region(d.pop("out_of_region", UNSET))

        part_time = d.pop("part_time", UNSET)

        def _parse_requested_start(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_start_type_0 = datetime.date.fromisoformat(data)

                return requested_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        requested_start = _parse_requested_start(d.pop("requested_start", UNSET))

        risk_flags = cast(list[str], d.pop("risk_flags", UNSET))

        vulnerabilities = cast(list[str], d.pop("vulnerabilities", UNSET))

        referral_in = cls(
            care_type=care_type,
            client=client,
            target_group=target_group,
            child_voice=child_voice,
            court_authorisation=court_authorisation,
            max_travel_km=max_travel_km,
            needs=needs,
            notes=notes,
            out_of_region=out_of_region,
            part_time=part_time,
            requested_start=requested_start,
            risk_flags=risk_flags,
            vulnerabilities=vulnerabilities,
        )

        return referral_in
