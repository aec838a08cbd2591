"""Every reason and score part a decision keeps has its words in Dutch and English in the vocabulary, so
that a coordinator's page and the API explain a decision from one place."""

from __future__ import annotations

from contracts.vocabulary import load_vocabulary
from matching.domain import EXCLUSION_WORDS, Exclusion, Wish, score_parts
from matching.domain import Unit as CompactUnit
from matching.group_rules import GROUP_AGE_GAP, GROUP_PENALTY, PRODUCTION_CAP_REACHED


def test_every_exclusion_reason_of_a_decision_has_dutch_and_english_words() -> None:
    vocabulary = load_vocabulary()
    for reason in [*Exclusion, *EXCLUSION_WORDS]:
        labels = vocabulary.labels("exclusion_reasons", reason)
        assert labels["nl"] != reason and labels["en"] != reason, reason
    assert vocabulary.labels("exclusion_reasons", "request_refused")["nl"] == "De matchingsvraag werd geweigerd"


def test_every_score_part_has_dutch_and_english_words() -> None:
    unit = CompactUnit("u", "p", "strategic", "GM0503", True, frozenset({"trauma"}), False, 1, None, None, 4, True)  # type: ignore[arg-type]
    wish = Wish(
        care_type="residential",
        municipality_code="GM0503",
        needs=("trauma",),
        school_municipality_code="GM0518",
        wishes=frozenset({"near_school", "near_family", "small_group"}),
    )
    parts = list(score_parts(unit, wish))
    codes = [term.code for term in load_vocabulary().score_parts]
    assert [code for code in codes if code in parts] == parts
    # And the parts the group and production rules add after ranking (matching.group_rules).
    assert set(codes) == {*parts, GROUP_AGE_GAP, GROUP_PENALTY, PRODUCTION_CAP_REACHED}
