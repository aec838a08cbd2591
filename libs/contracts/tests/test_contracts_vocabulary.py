"""The shared vocabulary: one enum per word list, checked and documented the same by every service."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from contracts.capacity import Candidates, Excluded, UnitOut
from contracts.matching import DecisionRequest
from contracts.vocabulary import (
    CAPACITY_EXCLUSIONS,
    MAX_NEEDS,
    CareType,
    ExclusionReason,
    InlineCapacityExclusion,
    InlineCareType,
    Needs,
    OutOfRegionCriterion,
    TargetGroup,
)


def _values(enum: type[Any]) -> list[str]:
    return [member.value for member in enum]


def test_the_documents_list_each_enums_values_in_place() -> None:
    request = DecisionRequest.model_json_schema()["properties"]
    assert request["care_type"]["enum"] == _values(CareType)
    assert request["target_group"]["enum"] == _values(TargetGroup)
    assert request["out_of_region"]["anyOf"][0]["enum"] == _values(OutOfRegionCriterion)
    unit = UnitOut.model_json_schema()["properties"]
    assert unit["care_type"] == {"enum": _values(CareType), "title": "Care Type", "type": "string"}
    assert unit["target_groups"]["items"]["enum"] == _values(TargetGroup)
    assert Excluded.model_json_schema()["properties"]["reason"]["enum"] == list(CAPACITY_EXCLUSIONS)
    # Listed in place: no shared schema of the enum appears beside them.
    assert "$defs" not in DecisionRequest.model_json_schema()
    assert set(Candidates.model_json_schema()["$defs"]) == {"UnitOut", "Excluded", "GroupProfile", "ProductionUse"}


def test_capacitys_reasons_are_the_first_of_the_exclusion_reasons() -> None:
    assert list(CAPACITY_EXCLUSIONS) == list(ExclusionReason)[: len(CAPACITY_EXCLUSIONS)]


class _Unit(BaseModel):
    care_type: InlineCareType
    reason: InlineCapacityExclusion | None = None


def test_an_inline_field_gives_the_member_and_refuses_other_values() -> None:
    unit = _Unit.model_validate({"care_type": "family_home", "reason": "no_free_place"})
    assert unit.care_type is CareType.FAMILY_HOME
    assert unit.reason is ExclusionReason.NO_FREE_PLACE
    assert unit.model_dump(mode="json") == {"care_type": "family_home", "reason": "no_free_place"}
    with pytest.raises(ValidationError) as refused:
        _Unit.model_validate({"care_type": "castle"})
    assert refused.value.errors()[0]["msg"].startswith("Input should be 'crisis', 'foster_care'")
    # Matching's own reasons are not capacity's to give.
    with pytest.raises(ValidationError):
        _Unit.model_validate({"care_type": "crisis", "reason": ExclusionReason.DECLINED.value})


class _Needs(BaseModel):
    needs: Needs = []


@pytest.mark.parametrize("code", ["trauma", "eating_disorder", "self-harm"])
def test_a_need_is_a_code(code: str) -> None:
    assert _Needs(needs=[code]).needs == [code]


@pytest.mark.parametrize("code", ["Trauma", "t", "trauma 2", "123456789", "jan de vries"])
def test_a_sentence_or_a_number_is_no_need(code: str) -> None:
    with pytest.raises(ValidationError):
        _Needs(needs=[code])


def test_needs_are_bounded() -> None:
    with pytest.raises(ValidationError):
        _Needs(needs=["trauma"] * (MAX_NEEDS + 1))
