from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.status import Status
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.child_voice_out import ChildVoiceOut
    from ..models.client_out import ClientOut
    from ..models.court_authorisation_out import CourtAuthorisationOut
    from ..models.ijw_out import IjwOut
    from ..models.out_of_region_out import OutOfRegionOut
    from ..models.placement_out import PlacementOut
    from ..models.proposal_out import ProposalOut
    from ..models.signal_out import SignalOut


T = TypeVar("T", bound="ReferralOut")


@_attrs_define
class ReferralOut:
    """
    Attributes:
        care_type (str):
        client (ClientOut):
        created_at (datetime.datetime):
        id (str):
        needs (list[str]):
        out_of_region (None | OutOfRegionOut):
        part_time (bool):
        placement (None | PlacementOut):
        proposal (None | ProposalOut):
        referrer_org (str):
        requested_start (datetime.date | None):
        signals (list[SignalOut]):
        status (Status):
        target_group (str):
        updated_at (datetime.datetime):
        child_voice (ChildVoiceOut | None | Unset):
        court_authorisation (CourtAuthorisationOut | None | Unset):
        group_id (None | str | Unset):
        ijw (IjwOut | None | Unset):
        max_travel_km (float | None | Unset):
        reference (None | str | Unset):
        risk_flags (list[str] | Unset):
        vulnerabilities (list[str] | Unset):
    """

    care_type: str
    client: ClientOut
    created_at: datetime.datetime
    id: str
    needs: list[str]
    out_of_region: None | OutOfRegionOut
    part_time: bool
    placement: None | PlacementOut
    proposal: None | ProposalOut
    referrer_org: str
    requested_start: datetime.date | None
    signals: list[SignalOut]
    status: Status
    target_group: str
    updated_at: datetime.datetime
    child_voice: ChildVoiceOut | None | Unset = UNSET
    court_authorisation: CourtAuthorisationOut | None | Unset = UNSET
    group_id: None | str | Unset = UNSET
    ijw: IjwOut | None | Unset = UNSET
    max_travel_km: float | None | Unset = UNSET
    reference: None | str | Unset = UNSET
    risk_flags: list[str] | Unset = UNSET
    vulnerabilities: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.child_voice_out import ChildVoiceOut  # noqa: PLC0415
        from ..models.court_authorisation_out import CourtAuthorisationOut  # noqa: PLC0415
        from ..models.ijw_out import IjwOut  # noqa: PLC0415
        from ..models.out_of_region_out import OutOfRegionOut  # noqa: PLC0415
        from ..models.placement_out import PlacementOut  # noqa: PLC0415
        from ..models.proposal_out import ProposalOut  # noqa: PLC0415

        care_type = self.care_type

        client = self.client.to_dict()

        created_at = self.created_at.isoformat()

        id = self.id

        needs = self.needs

        out_of_region: dict[str, Any] | None
        if isinstance(self.out_of_region, OutOfRegionOut):
            out_of_region = self.out_of_region.to_dict()
        else:
            out_of_region = self.out_of_region

        part_time = self.part_time

        placement: dict[str, Any] | None
        if isinstance(self.placement, PlacementOut):
            placement = self.placement.to_dict()
        else:
            placement = self.placement

        proposal: dict[str, Any] | None
        if isinstance(self.proposal, ProposalOut):
            proposal = self.proposal.to_dict()
        else:
            proposal = self.proposal

        referrer_org = self.referrer_org

        requested_start: None | str
        if isinstance(self.requested_start, datetime.date):
            requested_start = self.requested_start.isoformat()
        else:
            requested_start = self.requested_start

        signals = []
        for signals_item_data in self.signals:
            signals_item = signals_item_data.to_dict()
            signals.append(signals_item)

        status = self.status.value

        target_group = self.target_group

        updated_at = self.updated_at.isoformat()

        child_voice: dict[str, Any] | None | Unset
        if isinstance(self.child_voice, Unset):
            child_voice = UNSET
        elif isinstance(self.child_voice, ChildVoiceOut):
            child_voice = self.child_voice.to_dict()
        else:
            child_voice = self.child_voice

        court_authorisation: dict[str, Any] | None | Unset
        if isinstance(self.court_authorisation, Unset):
            court_authorisation = UNSET
        elif isinstance(self.court_authorisation, CourtAuthorisationOut):
            court_authorisation = self.court_authorisation.to_dict()
        else:
            court_authorisation = self.court_authorisation

        group_id: None | str | Unset
        if isinstance(self.group_id, Unset):
            group_id = UNSET
        else:
            group_id = self.group_id

        ijw: dict[str, Any] | None | Unset
        if isinstance(self.ijw, Unset):
            ijw = UNSET
        elif isinstance(self.ijw, IjwOut):
            ijw = self.ijw.to_dict()
        else:
            ijw = self.ijw

        max_travel_km: float | None | Unset
        if isinstance(self.max_travel_km, Unset):
            max_travel_km = UNSET
        else:
            max_travel_km = self.max_travel_km

        reference: None | str | Unset
        if isinstance(self.reference, Unset):
            reference = UNSET
        else:
            reference = self.reference

        risk_flags: list[str] | Unset = UNSET
        if not isinstance(self.risk_flags, Unset):
            risk_flags = self.risk_flags

        vulnerabilities: list[str] | Unset = UNSET
        if not isinstance(self.vulnerabilities, Unset):
            vulnerabilities = self.vulnerabilities

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "care_type": care_type,
                "client": client,
                "created_at": created_at,
                "id": id,
                "needs": needs,
                "out_of_region": out_of_region,
                "part_time": part_time,
                "placement": placement,
                "proposal": proposal,
                "referrer_org": referrer_org,
                "requested_start": requested_start,
                "signals": signals,
                "status": status,
                "target_group": target_group,
                "updated_at": updated_at,
            }
        )
        if child_voice is not UNSET:
            field_dict["child_voice"] = child_voice
        if court_authorisation is not UNSET:
            field_dict["court_authorisation"] = court_authorisation
        if group_id is not UNSET:
            field_dict["group_id"] = group_id
        if ijw is not UNSET:
            field_dict["ijw"] = ijw
        if max_travel_km is not UNSET:
            field_dict["max_travel_km"] = max_travel_km
        if reference is not UNSET:
            field_dict["reference"] = reference
        if risk_flags is not UNSET:
            field_dict["risk_flags"] = risk_flags
        if vulnerabilities is not UNSET:
            field_dict["vulnerabilities"] = vulnerabilities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.child_voice_out import ChildVoiceOut  # noqa: PLC0415
        from ..models.client_out import ClientOut  # noqa: PLC0415
        from ..models.court_authorisation_out import CourtAuthorisationOut  # noqa: PLC0415
        from ..models.ijw_out import IjwOut  # noqa: PLC0415
        from ..models.out_of_region_out import OutOfRegionOut  # noqa: PLC0415
        from ..models.placement_out import PlacementOut  # noqa: PLC0415
        from ..models.proposal_out import ProposalOut  # noqa: PLC0415
        from ..models.signal_out import SignalOut  # noqa: PLC0415

        d = dict(src_dict)
        care_type = d.pop("care_type")

        client = ClientOut.from_dict(d.pop("client"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = d.pop("id")

        needs = cast(list[str], d.pop("needs"))

        def _parse_out_of_region(data: object) -> None | OutOfRegionOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                out_of_region_type_0 = OutOfRegionOut.from_dict(data)

                return out_of_region_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OutOfRegionOut, data)

        out_of_region = _parse_out_of_region(d.pop("out_of_region"))

        part_time = d.pop("part_time")

        def _parse_placement(data: object) -> None | PlacementOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                placement_type_0 = PlacementOut.from_dict(data)

                return placement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | PlacementOut, data)

        placement = _parse_placement(d.pop("placement"))

        def _parse_proposal(data: object) -> None | ProposalOut:
            if data is None:
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                proposal_type_0 = ProposalOut.from_dict(data)

                return proposal_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | ProposalOut, data)

        proposal = _parse_proposal(d.pop("proposal"))

        referrer_org = d.pop("referrer_org")

        def _parse_requested_start(data: object) -> datetime.date | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                requested_start_type_0 = datetime.date.fromisoformat(data)

                return requested_start_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None, data)

        requested_start = _parse_requested_start(d.pop("requested_start"))

        signals = []
        _signals = d.pop("signals")
        for signals_item_data in _signals:
            signals_item = SignalOut.from_dict(signals_item_data)

            signals.append(signals_item)

        status = Status(d.pop("status"))

        target_group = d.pop("target_group")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        def _parse_child_voice(data: object) -> ChildVoiceOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                child_voice_type_0 = ChildVoiceOut.from_dict(data)

                return child_voice_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ChildVoiceOut | None | Unset, data)

        child_voice = _parse_child_voice(d.pop("child_voice", UNSET))

        def _parse_court_authorisation(data: object) -> CourtAuthorisationOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                court_authorisation_type_0 = CourtAuthorisationOut.from_dict(data)

                return court_authorisation_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(CourtAuthorisationOut | None | Unset, data)

        court_authorisation = _parse_court_authorisation(d.pop("court_authorisation", UNSET))

        def _parse_group_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        group_id = _parse_group_id(d.pop("group_id", UNSET))

        def _parse_ijw(data: object) -> IjwOut | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                ijw_type_0 = IjwOut.from_dict(data)

                return ijw_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(IjwOut | None | Unset, data)

        ijw = _parse_ijw(d.pop("ijw", UNSET))

        def _parse_max_travel_km(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_travel_km = _parse_max_travel_km(d.pop("max_travel_km", UNSET))

        def _parse_reference(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reference = _parse_reference(d.pop("reference", UNSET))

        risk_flags = cast(list[str], d.pop("risk_flags", UNSET))

        vulnerabilities = cast(list[str], d.pop("vulnerabilities", UNSET))

        referral_out = cls(
            care_type=care_type,
            client=client,
            created_at=created_at,
            id=id,
            needs=needs,
            out_of_region=out_of_region,
            part_time=part_time,
            placement=placement,
            proposal=proposal,
            referrer_org=referrer_org,
            requested_start=requested_start,
            signals=signals,
            status=status,
            target_group=target_group,
            updated_at=updated_at,
            child_voice=child_voice,
            court_authorisation=court_authorisation,
            group_id=group_id,
            ijw=ijw,
            max_travel_km=max_travel_km,
            reference=reference,
            risk_flags=risk_flags,
            vulnerabilities=vulnerabilities,
        )

        referral_out.additional_properties = d
        return referral_out

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
