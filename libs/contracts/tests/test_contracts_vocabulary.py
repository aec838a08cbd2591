"""The shared vocabulary: one enum per word list, checked and documented the same by every service."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from contracts.capacity import Candidates, Excluded, UnitOut
from contracts.matching import DecisionRequest
from contracts.vocabulary import (
    CAPACITY_EXCLUSIONS,
    MAX_NEEDS,
    SECTIONS,
    CareType,
    ExclusionReason,
    InlineCapacityExclusion,
    InlineCareType,
    Needs,
    OutOfRegionCriterion,
    TargetGroup,
    VocabularyError,
    load_vocabulary,
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


# --- the configured vocabulary ---------------------------------------------------------------------


def test_the_shipped_vocabulary_loads_and_labels_every_code_in_dutch_and_english() -> None:
    vocabulary = load_vocabulary()
    for section in SECTIONS:
        terms = getattr(vocabulary, section)
        assert terms, section
        for term in terms:
            assert term.nl.strip() and term.en.strip(), (section, term.code)
    assert vocabulary.label("needs", "attachment") == "Hechtingsproblematiek"
    assert vocabulary.label("needs", "attachment", "en") == "Attachment difficulties"
    # A code the file does not (or no longer) have is shown as itself.
    assert vocabulary.label("needs", "gaming_disorder") == "gaming_disorder"


def test_every_reason_a_decision_gives_has_its_words() -> None:
    reasons = load_vocabulary().codes("exclusion_reasons")
    assert set(ExclusionReason) <= reasons
    assert {"request_refused", "too_far", "group_conflict", "production_cap_reached"} <= reasons


def test_the_vocabulary_is_read_once_per_file() -> None:
    assert load_vocabulary() is load_vocabulary(None)


def test_unknown_codes_are_named_by_position() -> None:
    vocabulary = load_vocabulary()
    assert vocabulary.unknown("needs", ["trauma", "hechting", "autism", "castle"]) == [(1, "hechting"), (3, "castle")]
    assert vocabulary.unknown("wishes", ["near_school"]) == []
    assert vocabulary.refusal("needs", "hechting").startswith("'hechting' is not a code of the vocabulary's needs")


def test_a_file_replaces_the_sections_it_holds_and_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "region.toml"
    path.write_text('[[wishes]]\ncode = "with_pets"\nnl = "Met huisdier"\nen = "With a pet"\n', encoding="utf-8")
    vocabulary = load_vocabulary(path)
    assert vocabulary.codes("wishes") == {"with_pets"}
    assert vocabulary.codes("needs") == load_vocabulary().codes("needs")
    as_json = tmp_path / "region.json"
    as_json.write_text(json.dumps({"wishes": [{"code": "with_pets", "nl": "Met huisdier", "en": "With a pet"}]}))
    assert load_vocabulary(as_json) == vocabulary


@pytest.mark.parametrize(
    ("content", "says"),
    [
        ('[[needs]]\ncode = "a"\nnl = "x"\nen = "x"\n', "needs[0].code: String should match pattern"),
        ('[[needs]]\ncode = "trauma2"\nnl = "x"\nen = "x"\n', "needs[0].code"),
        ('[[needs]]\ncode = "trauma"\nen = "x"\n', "needs[0].nl: Field required"),
        ('[[needs]]\ncode = "trauma"\nnl = "x"\nen = "x"\ncolour = "red"\n', "needs[0].colour: Extra inputs"),
        ('needs = "trauma"\n', "needs: Input should be a valid tuple"),
        ("[needs\n", "not valid TOML"),
    ],
)
def test_a_broken_file_is_refused_with_where_and_why(tmp_path: Path, content: str, says: str) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(VocabularyError) as refused:
        load_vocabulary(path)
    message = str(refused.value)
    assert message.startswith(f"vocabulary file {path}: ")
    assert says in message
    assert "\n" not in message
