from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.term_out import TermOut


T = TypeVar("T", bound="VocabularyOut")


@_attrs_define
class VocabularyOut:
    """
    Attributes:
        decline_reasons (list[TermOut]):
        exclusion_reasons (list[TermOut]): why a matching decision left a unit out
        needs (list[TermOut]): a referral's needs, and the codes of a unit's specialisms
        risk_flags (list[TermOut]):
        score_parts (list[TermOut]): the parts of a suitable unit's score in a matching decision
        split_reasons (list[TermOut]): why brothers and sisters are placed apart
        vulnerabilities (list[TermOut]):
        wishes (list[TermOut]): the child's wishes, as heard
    """

    decline_reasons: list[TermOut]
    exclusion_reasons: list[TermOut]
    needs: list[TermOut]
    risk_flags: list[TermOut]
    score_parts: list[TermOut]
    split_reasons: list[TermOut]
    vulnerabilities: list[TermOut]
    wishes: list[TermOut]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decline_reasons = []
        for decline_reasons_item_data in self.decline_reasons:
            decline_reasons_item = decline_reasons_item_data.to_dict()
            decline_reasons.append(decline_reasons_item)

        exclusion_reasons = []
        for exclusion_reasons_item_data in self.exclusion_reasons:
            exclusion_reasons_item = exclusion_reasons_item_data.to_dict()
            exclusion_reasons.append(exclusion_reasons_item)

        needs = []
        for needs_item_data in self.needs:
            needs_item = needs_item_data.to_dict()
            needs.append(needs_item)

        risk_flags = []
        for risk_flags_item_data in self.risk_flags:
            risk_flags_item = risk_flags_item_data.to_dict()
            risk_flags.append(risk_flags_item)

        score_parts = []
        for score_parts_item_data in self.score_parts:
            score_parts_item = score_parts_item_data.to_dict()
            score_parts.append(score_parts_item)

        split_reasons = []
        for split_reasons_item_data in self.split_reasons:
            split_reasons_item = split_reasons_item_data.to_dict()
            split_reasons.append(split_reasons_item)

        vulnerabilities = []
        for vulnerabilities_item_data in self.vulnerabilities:
            vulnerabilities_item = vulnerabilities_item_data.to_dict()
            vulnerabilities.append(vulnerabilities_item)

        wishes = []
        for wishes_item_data in self.wishes:
            wishes_item = wishes_item_data.to_dict()
            wishes.append(wishes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decline_reasons": decline_reasons,
                "exclusion_reasons": exclusion_reasons,
                "needs": needs,
                "risk_flags": risk_flags,
                "score_parts": score_parts,
                "split_reasons": split_reasons,
                "vulnerabilities": vulnerabilities,
                "wishes": wishes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.term_out import TermOut  # noqa: PLC0415

        d = dict(src_dict)
        decline_reasons = []
        _decline_reasons = d.pop("decline_reasons")
        for decline_reasons_item_data in _decline_reasons:
            decline_reasons_item = TermOut.from_dict(decline_reasons_item_data)

            decline_reasons.append(decline_reasons_item)

        exclusion_reasons = []
        _exclusion_reasons = d.pop("exclusion_reasons")
        for exclusion_reasons_item_data in _exclusion_reasons:
            exclusion_reasons_item = TermOut.from_dict(exclusion_reasons_item_data)

            exclusion_reasons.append(exclusion_reasons_item)

        needs = []
        _needs = d.pop("needs")
        for needs_item_data in _needs:
            needs_item = TermOut.from_dict(needs_item_data)

            needs.append(needs_item)

        risk_flags = []
        _risk_flags = d.pop("risk_flags")
        for risk_flags_item_data in _risk_flags:
            risk_flags_item = TermOut.from_dict(risk_flags_item_data)

            risk_flags.append(risk_flags_item)

        score_parts = []
        _score_parts = d.pop("score_parts")
        for score_parts_item_data in _score_parts:
            score_parts_item = TermOut.from_dict(score_parts_item_data)

            score_parts.append(score_parts_item)

        split_reasons = []
        _split_reasons = d.pop("split_reasons")
        for split_reasons_item_data in _split_reasons:
            split_reasons_item = TermOut.from_dict(split_reasons_item_data)

            split_reasons.append(split_reasons_item)

        vulnerabilities = []
        _vulnerabilities = d.pop("vulnerabilities")
        for vulnerabilities_item_data in _vulnerabilities:
            vulnerabilities_item = TermOut.from_dict(vulnerabilities_item_data)

            vulnerabilities.append(vulnerabilities_item)

        wishes = []
        _wishes = d.pop("wishes")
        for wishes_item_data in _wishes:
            wishes_item = TermOut.from_dict(wishes_item_data)

            wishes.append(wishes_item)

        vocabulary_out = cls(
            decline_reasons=decline_reasons,
            exclusion_reasons=exclusion_reasons,
            needs=needs,
            risk_flags=risk_flags,
            score_parts=score_parts,
            split_reasons=split_reasons,
            vulnerabilities=vulnerabilities,
            wishes=wishes,
        )

        vocabulary_out.additional_properties = d
        return vocabulary_out

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
