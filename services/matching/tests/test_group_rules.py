"""The group and production rules without a database: conflicts, penalties, the age gap, the
production cap, the rules file, and how they change a ranking."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.vocabulary import load_vocabulary
from matching.domain import Ground, Unit, Wish, rank_units, unmatched_reasons
from matching.group_rules import (
    GROUP_AGE_GAP,
    GROUP_CONFLICT,
    GROUP_PENALTY,
    PRODUCTION_CAP_REACHED,
    Child,
    PlacementRules,
    ProductionCap,
    judge,
    production_cap_reached,
)
from matching.placement import check_units, child_of, complete, rule_reasons
from matching.rules_config import DEFAULT_RULES_FILE, load_placement_rules

DEFAULTS = load_placement_rules()


def profile(ages: list[int], **flags: int) -> dict[str, Any]:
    return {"count": len(ages), "ages": ages, "flags": flags}


def child(age: int = 14, *codes: str) -> Child:
    return Child(age, frozenset(codes))


def unit(unit_id: str, *, role: str = "operational", provider: str | None = None) -> Unit:
    return Unit(unit_id, provider or f"p-{unit_id}", role, "GM0518", True, [], False, 1, None, None, 4)


# --- the rules -------------------------------------------------------------------------------------


def test_a_child_vulnerable_to_sexual_exploitation_is_not_placed_with_a_transgressive_child() -> None:
    verdict = judge(
        DEFAULTS, child(14, "sexual_exploitation"), profile([15], sexually_transgressive_behaviour=1), "x", None
    )
    assert verdict is not None
    assert verdict.excluded_reason == GROUP_CONFLICT
    assert verdict.rules == ["exploitation_victim_with_transgressive_or_recruiting"]


def test_a_transgressive_child_is_not_placed_with_a_child_under_twelve() -> None:
    verdict = judge(DEFAULTS, child(13, "sexually_transgressive_behaviour"), profile([11], under_twelve=1), "x", None)
    assert verdict is not None and verdict.excluded_reason == GROUP_CONFLICT
    assert verdict.rules == ["transgressive_with_young_or_exploited"]


def test_a_flag_that_conflicts_with_nobody_in_the_group_leaves_the_unit_as_it_is() -> None:
    assert judge(DEFAULTS, child(14, "sexual_exploitation"), profile([15], aggression=1), "x", None) is None
    assert judge(DEFAULTS, child(14, "sexual_exploitation"), profile([]), "x", None) is None
    assert judge(DEFAULTS, child(14), profile([15], sexually_transgressive_behaviour=2), "x", None) is None


def test_an_age_gap_of_more_than_four_years_with_everyone_is_a_penalty_with_its_rule() -> None:
    verdict = judge(DEFAULTS, child(12), profile([17, 17]), "x", None)
    assert verdict is not None and verdict.excluded_reason is None
    assert verdict.parts == {GROUP_AGE_GAP: -15.0}
    assert verdict.rules == ["age_gap"]
    # Within four years of one child of the group is no gap; exactly four is none either.
    assert judge(DEFAULTS, child(12), profile([17, 16]), "x", None) is None
    assert judge(DEFAULTS, child(17), profile([13]), "x", None) is None
    assert judge(DEFAULTS, child(17), profile([12]), "x", None) is not None


def test_a_penalty_rule_lowers_the_score_and_adds_up_with_the_age_gap() -> None:
    verdict = judge(DEFAULTS, child(8, "bullying_victim"), profile([16], aggression=1), "x", None)
    assert verdict is not None
    assert verdict.parts == {GROUP_PENALTY: -10.0, GROUP_AGE_GAP: -15.0}
    assert verdict.rules == ["bullying_victim_with_aggression", "age_gap"]


def test_only_an_operational_provider_with_a_used_up_agreement_is_capped() -> None:
    used_up = {"agreed_days": 100, "used_days": 100}
    assert production_cap_reached("operational", used_up)
    assert not production_cap_reached("operational", {"agreed_days": 100, "used_days": 99})
    assert not production_cap_reached("operational", None)
    assert not production_cap_reached("strategic", used_up)
    assert not production_cap_reached("tactical", used_up)
    verdict = judge(DEFAULTS, child(), None, "operational", used_up)
    assert verdict is not None and verdict.excluded_reason == PRODUCTION_CAP_REACHED
    assert verdict.rules == ["production_cap"]


def test_the_penalty_setting_turns_the_production_cap_into_a_lower_score() -> None:
    rules = PlacementRules(production_cap=ProductionCap(mode="penalty", penalty=30.0))
    verdict = judge(rules, child(), None, "operational", {"agreed_days": 10, "used_days": 12})
    assert verdict is not None and verdict.excluded_reason is None
    assert verdict.parts == {PRODUCTION_CAP_REACHED: -30.0}


def test_a_group_conflict_outweighs_a_penalty_of_the_same_unit() -> None:
    group = profile([9], under_twelve=1)
    verdict = judge(DEFAULTS, child(14, "sexually_transgressive_behaviour"), group, "operational", None)
    assert verdict is not None and verdict.excluded_reason == GROUP_CONFLICT


# --- the ranking ---------------------------------------------------------------------------------


def test_the_rules_leave_units_out_and_rank_a_penalised_unit_below_an_equal_one() -> None:
    units = [unit("a-gap"), unit("b-conflict"), unit("c-plain"), unit("d-capped")]
    profiles = {"a-gap": profile([17]), "b-conflict": profile([15], sexually_transgressive_behaviour=1)}
    production = {"p-d-capped": {"agreed_days": 30, "used_days": 31}}
    wish = Wish(care_type="residential", municipality_code="GM0518")
    checked = check_units(DEFAULTS, child_of(12, [], ["sexual_exploitation"]), units, profiles, production)
    ranking = rank_units(wish, checked.kept, [])
    complete(ranking, checked, wish)

    assert [(c.unit_id, c.rank) for c in ranking.ranked] == [("c-plain", 1), ("a-gap", 2)]
    left = {c.unit_id: (c.excluded_reason, c.rules) for c in ranking.candidates if not c.eligible}
    assert left == {
        "b-conflict": (GROUP_CONFLICT, ["exploitation_victim_with_transgressive_or_recruiting"]),
        "d-capped": (PRODUCTION_CAP_REACHED, ["production_cap"]),
    }
    gap = next(c for c in ranking.candidates if c.unit_id == "a-gap")
    plain = next(c for c in ranking.candidates if c.unit_id == "c-plain")
    assert gap.parts[GROUP_AGE_GAP] == -15.0 and GROUP_AGE_GAP not in plain.parts
    assert gap.score == plain.score - 15.0
    assert set(checked.applied) == {"age_gap", "exploitation_victim_with_transgressive_or_recruiting", "production_cap"}
    assert checked.applied["age_gap"]["nl"] and checked.applied["age_gap"]["en"]
    assert rule_reasons(gap, checked.applied) == [f"ranked lower: {checked.applied['age_gap']['en']}"]
    reasons = unmatched_reasons(ranking, wish)
    assert any("the group does not fit" in reason for reason in reasons)


def test_a_group_conflict_inside_the_region_lets_expertise_outside_count() -> None:
    inside = Unit("inside", "p-1", "tactical", "GM0518", True, ["autism"], False, 1, None, None, 4)
    outside = Unit("outside", "p-2", "tactical", "GM0599", False, ["autism"], False, 1, None, None, 4)
    wish = Wish(care_type="residential", municipality_code="GM0518", needs=("autism",), ground=Ground.EXPERTISE)
    checked = check_units(
        DEFAULTS,
        child_of(14, ["sexually_transgressive_behaviour"], []),
        [inside, outside],
        {"inside": profile([10], under_twelve=1)},
        {},
    )
    ranking = rank_units(wish, checked.kept, [])
    complete(ranking, checked, wish)
    assert [c.unit_id for c in ranking.ranked] == ["outside"]


def test_an_offered_unit_the_group_rules_out_is_known_and_left_out() -> None:
    wish = Wish(care_type="residential", municipality_code="GM0518", offered_unit_id="offered")
    checked = check_units(
        DEFAULTS,
        child_of(14, [], ["sexual_exploitation"]),
        [unit("offered", role="tactical")],
        {"offered": profile([16], exploitation_recruiting=1)},
        {},
    )
    ranking = rank_units(wish, checked.kept, [])
    complete(ranking, checked, wish)
    assert ranking.offered_unit_known
    assert [(c.unit_id, c.excluded_reason) for c in ranking.candidates] == [("offered", GROUP_CONFLICT)]


# --- the rules file ------------------------------------------------------------------------------


def test_the_shipped_rules_file_holds_the_safe_defaults() -> None:
    assert DEFAULT_RULES_FILE.name == "group_rules.toml"
    assert [rule.id for rule in DEFAULTS.exclusions] == [
        "exploitation_victim_with_transgressive_or_recruiting",
        "transgressive_with_young_or_exploited",
        "recruiter_with_exploitation_victim",
    ]
    assert DEFAULTS.age_gap is not None and DEFAULTS.age_gap.years == 4
    assert DEFAULTS.production_cap.mode == "exclude"


def test_a_rules_file_with_an_unknown_code_or_a_repeated_id_is_refused(tmp_path: Path) -> None:
    unknown = tmp_path / "unknown.toml"
    unknown.write_text(
        '[[exclusions]]\nid = "x_rule"\nchild = ["sexual_exploitation"]\ngroup = ["arson"]\n'
        'nl = "woorden"\nen = "words"\n'
    )
    with pytest.raises(ValueError, match=r"exclusions\[0\]\.group \(rule x_rule\).*arson"):
        load_placement_rules(unknown)
    repeated = tmp_path / "repeated.toml"
    rule = (
        '[[exclusions]]\nid = "same"\nchild = ["sexual_exploitation"]\ngroup = ["aggression"]\n'
        'nl = "woorden"\nen = "words"\n'
    )
    repeated.write_text(rule + rule)
    with pytest.raises(ValueError, match="same"):
        load_placement_rules(repeated)


def test_a_region_may_configure_its_own_rules_and_the_cap_as_a_penalty(tmp_path: Path) -> None:
    own = tmp_path / "rules.toml"
    own.write_text(
        '[[exclusions]]\nid = "no_fire_with_absconding"\nchild = ["fire_setting"]\ngroup = ["absconding"]\n'
        'nl = "brandstichting bij weglopers"\nen = "fire setting with absconding"\n'
        '[age_gap]\nid = "wide_age_gap"\nyears = 6\npenalty = 5.0\nnl = "zes jaar"\nen = "six years"\n'
    )
    rules = load_placement_rules(own, cap_mode="penalty", cap_penalty=12.5)
    verdict = judge(rules, child(14, "fire_setting"), profile([14], absconding=1), "operational", None)
    assert verdict is not None and verdict.rules == ["no_fire_with_absconding"]
    assert judge(rules, child(12), profile([17]), "operational", None) is None
    cap = rules.production_cap
    assert (cap.mode, cap.penalty) == ("penalty", 12.5)
    # Ranked lower, the cap is a score part: its words are that part's label in the vocabulary.
    assert (cap.nl, cap.en) == ("Productieafspraak voor deze zorgvorm is op", "The production agreement is used up")


def test_the_rules_file_is_checked_against_the_configured_vocabulary(tmp_path: Path) -> None:
    region = tmp_path / "vocabulary.toml"
    region.write_text(
        '[[risk_flags]]\ncode = "arson"\nnl = "Brandstichting"\nen = "Arson"\n'
        '[[vulnerabilities]]\ncode = "under_twelve"\nnl = "Jonger dan twaalf"\nen = "Under twelve"\n'
    )
    own = tmp_path / "rules.toml"
    own.write_text(
        '[[exclusions]]\nid = "no_arson_with_young"\nchild = ["arson"]\ngroup = ["under_twelve"]\n'
        'nl = "brandstichting bij jonge kinderen"\nen = "arson with young children"\n'
    )
    vocabulary = load_vocabulary(region)
    rules = load_placement_rules(own, vocabulary=vocabulary)
    verdict = judge(rules, child(15, "arson"), profile([9], under_twelve=1), "operational", None)
    assert verdict is not None and verdict.excluded_reason == GROUP_CONFLICT
    # The shipped vocabulary has no code "arson"; the region's has no "aggression" any more.
    with pytest.raises(ValueError, match="arson"):
        load_placement_rules(own)
    with pytest.raises(ValueError, match="not a risk flag or vulnerability of the vocabulary: sexual_exploitation"):
        load_placement_rules(vocabulary=vocabulary)
    # The group profile counts both sections in one map: they may not share a code.
    shared = tmp_path / "shared.toml"
    shared.write_text(
        '[[risk_flags]]\ncode = "self_harm"\nnl = "Zelfbeschadiging"\nen = "Self-harm"\n'
        '[[vulnerabilities]]\ncode = "self_harm"\nnl = "Zelfbeschadiging"\nen = "Self-harm"\n'
    )
    with pytest.raises(ValueError, match="share the codes self_harm"):
        load_placement_rules(own, vocabulary=load_vocabulary(shared))


async def test_matching_takes_its_rules_file_and_cap_mode_from_the_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from matching.main import create_app
    from matching.settings import MatchingSettings

    own = tmp_path / "rules.toml"
    own.write_text('[age_gap]\nid = "gap"\nyears = 3\npenalty = 9.0\nnl = "drie jaar"\nen = "three years"\n')
    monkeypatch.setenv("REGIEPUNT_GROUP_RULES_FILE", str(own))
    monkeypatch.setenv("REGIEPUNT_PRODUCTION_CAP_MODE", "penalty")
    monkeypatch.setenv("REGIEPUNT_PRODUCTION_CAP_PENALTY", "45")
    settings = MatchingSettings(data_dir=tmp_path, run_workers=False)
    app = create_app(settings)
    rules = app.state.placement_rules
    await app.state.capacity.aclose()
    await app.state.database.dispose()
    assert rules.exclusions == () and rules.age_gap is not None and rules.age_gap.years == 3
    assert (rules.production_cap.mode, rules.production_cap.penalty) == ("penalty", 45.0)

    own.write_text('[age_gap]\nid = "gap"\nyears = 3\npenalty = 9.0\nnl = "drie jaar"\nen = "three years"\nx = 1\n')
    with pytest.raises(ValidationError, match="x"):
        create_app(MatchingSettings(data_dir=tmp_path, run_workers=False))
