from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.child_voice_out import ChildVoiceOut
    from ..models.court_authorisation_out import CourtAuthorisationOut
    from ..models.crisis_extension_out import CrisisExtensionOut
    from ..models.decline_out import DeclineOut
    from ..models.out_of_region_out import OutOfRegionOut
    from ..models.placement_out import PlacementOut
    from ..models.proposal_out import ProposalOut
    from ..models.signal_out import SignalOut
    from ..models.subject_client_out import SubjectClientOut
    from ..models.subject_group_out import SubjectGroupOut


T = TypeVar("T", bound="SubjectReferralOut")


@_attrs_define
class SubjectReferralOut:
    """Everything intake keeps of one referral of the child.

    Attributes:
        care_type (str):
        client (SubjectClientOut):
        created_at (datetime.datetime):
        crisis_extensions (list[CrisisExtensionOut]):
        declines (list[DeclineOut]):
        excluded_unit_ids (list[str]):
        id (str):
        needs (list[str]):
        needs_free_text (list[str]):
        notes (None | str):
        out_of_region (None | OutOfRegionOut):
        part_time (bool):
        placement (None | PlacementOut):
        proposal (None | ProposalOut):
        referrer_org (str):
        referrer_sub (str):
        requested_start (datetime.date | None):
        signals (list[SignalOut]):
        status (str):
        target_group (str):
        unmatched_reasons (list[str] | None):
        updated_at (datetime.datetime):
        child_voice (ChildVoiceOut | None | Unset):
        court_authorisation (CourtAuthorisationOut | None | Unset):
        group (None | SubjectGroupOut | Unset):
        max_travel_km (float | None | Unset):
        risk_flags (list[str] | Unset):
        school_municipality_code (None | str | Unset):
        vulnerabilities (list[str] | Unset):
    """

    care_type: str
    client: SubjectClientOut
    created_at: datetime.datetime
    crisis_extensions: list[CrisisExtensionOut]
    declines: list[DeclineOut]
    excluded_unit_ids: list[str]
    id: str
    needs: list[str]
    needs_free_text: list[str]
    notes: None | str
    out_of_region: None | OutOfRegionOut
    part_time: bool
    placement: None | PlacementOut
    proposal: None | ProposalOut
    referrer_org: str
    referrer_sub: str
    requested_start: datetime.date | None
    signals: list[SignalOut]
    status: str
    target_group: str
    unmatched_reasons: list[str] | None
    updated_at: datetime.datetime
    child_voice: ChildVoiceOut | None | Unset = UNSET
    court_authorisation: CourtAuthorisationOut | None | Unset = UNSET
    group: None | SubjectGroupOut | Unset = UNSET
    max_travel_km: float | None | Unset = UNSET
    risk_flags: list[str] | Unset = UNSET
    school_municipality_code: None | str | Unset = UNSET
    vulnerabilities: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.child_voice_out import ChildVoiceOut  # noqa: PLC0415
        from ..models.court_authorisation_out import CourtAuthorisationOut  # noqa: PLC0415
        from ..models.out_of_region_out import OutOfRegionOut  # noqa: PLC0415
        from ..models.placement_out import PlacementOut  # noqa: PLC0415
        from ..models.proposal_out import ProposalOut  # noqa: PLC0415
        from ..models.subject_group_out import SubjectGroupOut  # noqa: PLC0415

        care_type = self.care_type

        client = self.client.to_dict()

        created_at = self.created_at.isoformat()

        crisis_extensions = []
        for crisis_extensions_item_data in self.crisis_extensions:
            crisis_extensions_item = crisis_extensions_item_data.to_dict()
            crisis_extensions.append(crisis_extensions_item)

        declines = []
        for declines_item_data in self.declines:
            declines_item = declines_item_data.to_dict()
            declines.append(declines_item)

        excluded_unit_ids = self.excluded_unit_ids

        id = self.id

        needs = self.needs

        needs_free_text = self.needs_free_text

        notes: None | str
        notes = self.notes

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

        referrer_sub = self.referrer_sub

        requested_start: None | str
        if isinstance(self.requested_start, datetime.date):
            requested_start = self.requested_start.isoformat()
        else:
            requested_start = self.requested_start

        signals = []
        for signals_item_data in self.signals:
            signals_item = signals_item_data.to_dict()
            signals.append(signals_item)

        status = self.status

        target_group = self.target_group

        unmatched_reasons: list[str] | None
        if isinstance(self.unmatched_reasons, list):
            unmatched_reasons = self.unmatched_reasons

        else:
            unmatched_reasons = self.unmatched_reasons

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

        group: dict[str, Any] | None | Unset
        if isinstance(self.group, Unset):
            group = UNSET
        elif isinstance(self.group, SubjectGroupOut):
            group = self.group.to_dict()
        else:
            group = self.group

        max_travel_km: float | None | Unset
        if isinstance(self.max_travel_km, Unset):
            max_travel_km = UNSET
        else:
            max_travel_km = self.max_travel_km

        risk_flags: list[str] | Unset = UNSET
        if not isinstance(self.risk_flags, Unset):
            risk_flags = self.risk_flags

        school_municipality_code: None | str | Unset
        if isinstance(self.school_municipality_code, Unset):
            school_municipality_code = UNSET
        else:
            school_municipality_code = self.school_municipality_code

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
                "crisis_extensions": crisis_extensions,
                "declines": declines,
                "excluded_unit_ids": excluded_unit_ids,
                "id": id,
                "needs": needs,
                "needs_free_text": needs_free_text,
                "notes": notes,
                "out_of_region": out_of_region,
                "part_time": part_time,
                "placement": placement,
                "proposal": proposal,
                "referrer_org": referrer_org,
                "referrer_sub": referrer_sub,
                "requested_start": requested_start,
                "signals": signals,
                "status": status,
                "target_group": target_group,
                "unmatched_reasons": unmatched_reasons,
                "updated_at": updated_at,
            }
        )
        if child_voice is not UNSET:
            field_dict["child_voice"] = child_voice
        if court_authorisation is not UNSET:
            field_dict["court_authorisation"] = court_authorisation
        if group is not UNSET:
            field_dict["group"] = group
        if max_travel_km is not UNSET:
            field_dict["max_travel_km"] = max_travel_km
        if risk_flags is not UNSET:
            field_dict["risk_flags"] = risk_flags
        if school_municipality_code is not UNSET:
            field_dict["school_municipality_code"] = school_municipality_code
        if vulnerabilities is not UNSET:
            field_dict["vulnerabilities"] = vulnerabilities

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.child_voice_out import ChildVoiceOut  # noqa: PLC0415
        from ..models.court_authorisation_out import CourtAuthorisationOut  # noqa: PLC0415
        from ..models.crisis_extension_out import CrisisExtensionOut  # noqa: PLC0415
        from ..models.decline_out import DeclineOut  # noqa: PLC0415
        from ..models.out_of_region_out import OutOfRegionOut  # noqa: PLC0415
        from ..models.placement_out import PlacementOut  # noqa: PLC0415
        from ..models.proposal_out import ProposalOut  # noqa: PLC0415
        from ..models.signal_out import SignalOut  # noqa: PLC0415
        from ..models.subject_client_out import SubjectClientOut  # noqa: PLC0415
        from ..models.subject_group_out import SubjectGroupOut  # noqa: PLC0415

        d = dict(src_dict)
        care_type = d.pop("care_type")

        client = SubjectClientOut.from_dict(d.pop("client"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        crisis_extensions = []
        _crisis_extensions = d.pop("crisis_extensions")
        for crisis_extensions_item_data in _crisis_extensions:
            crisis_extensions_item = CrisisExtensionOut.from_dict(crisis_extensions_item_data)

            crisis_extensions.append(crisis_extensions_item)

        declines = []
        _declines = d.pop("declines")
        for declines_item_data in _declines:
            declines_item = DeclineOut.from_dict(declines_item_data)

            declines.append(declines_item)

        excluded_unit_ids = cast(list[str], d.pop("excluded_unit_ids"))

        id = d.pop("id")

        needs = cast(list[str], d.pop("needs"))

        needs_free_text = cast(list[str], d.pop("needs_free_text"))

        def _parse_notes(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        notes = _parse_notes(d.pop("notes"))

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

        referrer_sub = d.pop("referrer_sub")

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

        status = d.pop("status")

        target_group = d.pop("target_group")

        def _parse_unmatched_reasons(data: object) -> list[str] | None:
            if data is None:
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                unmatched_reasons_type_0 = cast(list[str], data)

                return unmatched_reasons_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None, data)

        unmatched_reasons = _parse_unmatched_reasons(d.pop("unmatched_reasons"))

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

        def _parse_group(data: object) -> None | SubjectGroupOut | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                group_type_0 = SubjectGroupOut.from_dict(data)

                return group_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | SubjectGroupOut | Unset, data)

        group = _parse_group(d.pop("group", UNSET))

        def _parse_max_travel_km(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        max_travel_km = _parse_max_travel_km(d.pop("max_travel_km", UNSET))

        risk_flags = cast(list[str], d.pop("risk_flags", UNSET))

        def _parse_school_municipality_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        school_municipality_code = _parse_school_municipality_code(d.pop("school_municipality_code", UNSET))

        vulnerabilities = cast(list[str], d.pop("vulnerabilities", UNSET))

        subject_referral_out = cls(
            care_type=care_type,
            client=client,
            created_at=created_at,
            crisis_extensions=crisis_extensions,
            declines=declines,
            excluded_unit_ids=excluded_unit_ids,
            id=id,
            needs=needs,
            needs_free_text=needs_free_text,
            notes=notes,
            out_of_region=out_of_region,
            part_time=part_time,
            placement=placement,
            proposal=proposal,
            referrer_org=referrer_org,
            referrer_sub=referrer_sub,
            requested_start=requested_start,
            signals=signals,
            status=status,
            target_group=target_group,
            unmatched_reasons=unmatched_reasons,
            updated_at=updated_at,
            child_voice=child_voice,
            court_authorisation=court_authorisation,
            group=group,
            max_travel_km=max_travel_km,
            risk_flags=risk_flags,
            school_municipality_code=school_municipality_code,
            vulnerabilities=vulnerabilities,
        )

        subject_referral_out.additional_properties = d
        return subject_referral_out

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
