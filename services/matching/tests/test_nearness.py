"""School, distance and the child's wishes in the ranking, without a database (matching.nearness)."""

from __future__ import annotations

import pytest
from test_ranking import DELFT, DEN_HAAG, RIJSWIJK, ROTTERDAM, WASSENAAR, ZOETERMEER, unit, wish

from contracts.geography import haversine_km, municipality
from matching import nearness
from matching.domain import Exclusion, Ground, rank_units

LEIDEN, GRONINGEN = "GM0546", "GM0014"


def km_between(a: str, b: str) -> float:
    first, second = municipality(a), municipality(b)
    assert first is not None and second is not None
    return haversine_km(first.point, second.point)


def test_a_unit_beyond_the_travel_limit_from_home_is_too_far() -> None:
    units = [unit("near", municipality=RIJSWIJK), unit("far", municipality=ZOETERMEER)]
    limit = (km_between(DELFT, RIJSWIJK) + km_between(DELFT, ZOETERMEER)) / 2
    ranking = rank_units(wish(max_travel_km=limit), units, [])

    assert [c.unit_id for c in ranking.ranked] == ["near"]
    assert {c.unit_id: c.excluded_reason for c in ranking.candidates if not c.eligible} == {"far": Exclusion.TOO_FAR}


def test_with_a_school_the_limit_counts_from_school_not_from_home() -> None:
    # Home in Delft, school in Leiden: a unit in Wassenaar is near school, one in Westland is not.
    units = [unit("wassenaar", municipality=WASSENAAR), unit("westland", municipality="GM1783")]
    ranking = rank_units(wish(school_municipality_code=LEIDEN, max_travel_km=12.0), units, [])

    assert [c.unit_id for c in ranking.ranked] == ["wassenaar"]
    assert km_between(DELFT, "GM1783") < 12.0 < km_between(LEIDEN, "GM1783")


def test_a_unit_is_measured_from_its_own_point() -> None:
    # A unit of a Rotterdam provider that stands in Delft, by its own point.
    delft = municipality(DELFT)
    assert delft is not None
    own = unit("own", municipality=ROTTERDAM, latitude=delft.point.latitude, longitude=delft.point.longitude)
    assert nearness.km_from(DELFT, own) == 0.0
    assert not nearness.too_far(own, wish(max_travel_km=1.0))
    assert nearness.too_far(unit("rotterdam", municipality=ROTTERDAM), wish(max_travel_km=1.0))


def test_a_unit_whose_distance_is_unknown_is_not_too_far() -> None:
    assert not nearness.too_far(unit("u", municipality="GM9999"), wish(max_travel_km=1.0))


def test_distance_to_school_weighs_like_distance_to_home() -> None:
    units = [unit("home", municipality=DELFT), unit("school", municipality=LEIDEN, in_region=True)]
    ranked = rank_units(wish(school_municipality_code=LEIDEN), units, []).ranked
    parts = {c.unit_id: c.parts for c in ranked}

    assert parts["school"]["school"] == parts["home"]["proximity"] == 25.0
    assert parts["home"]["school"] == pytest.approx(20.0 * (1 - km_between(DELFT, LEIDEN) / 30.0), abs=0.01)
    assert ranked[0].score == ranked[1].score
    words = {c.unit_id: c.reasons for c in ranked}
    assert "in the school's municipality Leiden" in words["school"]
    assert f"{km_between(DELFT, LEIDEN):.1f} km from school (Leiden)" in words["home"]


def test_without_a_school_or_wishes_the_parts_are_as_before() -> None:
    best = rank_units(wish(), [unit("u", municipality=DELFT)], []).ranked[0]
    assert set(best.parts) == {"region_ground", "needs", "proximity", "continuity", "contract_role", "part_time"}


def test_the_wish_to_be_near_school_or_family_adds_its_part_with_its_reason() -> None:
    units = [unit("delft", municipality=DELFT), unit("leiden", municipality=LEIDEN)]
    near_school = rank_units(wish(school_municipality_code=LEIDEN, wishes=frozenset({"near_school"})), units, []).ranked
    assert near_school[0].unit_id == "leiden"
    assert near_school[0].parts["wish_near_school"] == 10.0
    assert "the child wished to be near school: 0.0 km away" in near_school[0].reasons

    near_family = rank_units(wish(wishes=frozenset({"near_family"})), units, []).ranked
    assert near_family[0].unit_id == "delft"
    assert near_family[0].parts["wish_near_family"] == 10.0
    assert "the child wished to be near family: 0.0 km from home" in near_family[0].reasons


def test_the_wish_for_a_small_group_prefers_fewer_places() -> None:
    units = [unit("large", municipality=DELFT, capacity=12), unit("small", municipality=DELFT, capacity=3)]
    ranked = rank_units(wish(wishes=frozenset({"small_group"})), units, []).ranked

    assert [c.unit_id for c in ranked] == ["small", "large"]
    assert [c.parts["wish_small_group"] for c in ranked] == [10.0, 0.0]
    assert "the child wished a small group: 3 places" in ranked[0].reasons
    assert nearness.small_group(8) == 0.5


def test_wishes_matching_cannot_weigh_are_passed_on_in_words() -> None:
    best = rank_units(wish(wishes=frozenset({"same_language", "faith"})), [unit("u", municipality=DELFT)], [])
    assert best.ranked[0].reasons[-1] == "wishes passed on to the provider: faith, same language"
    assert "wish_same_language" not in best.ranked[0].parts


def test_a_wish_never_outweighs_a_need() -> None:
    units = [unit("covers", municipality=DEN_HAAG, specialisms=("trauma",), capacity=12), unit("small", capacity=2)]
    ranked = rank_units(wish(needs=("trauma",), wishes=frozenset({"small_group"})), units, []).ranked
    assert ranked[0].unit_id == "covers"


def test_too_far_units_outside_the_region_are_left_out_as_well() -> None:
    outside = unit("groningen", municipality=GRONINGEN, in_region=False)
    ranking = rank_units(wish(ground=Ground.SAFETY, max_travel_km=50.0), [outside], [])
    assert [c.excluded_reason for c in ranking.candidates] == [Exclusion.TOO_FAR]


def test_the_codes_a_decision_can_use() -> None:
    w = wish(school_municipality_code=LEIDEN, max_travel_km=10.0, wishes=frozenset({"near_school", "faith"}))
    assert nearness.codes(w) == [
        ("exclusion_reasons", "too_far"),
        ("score_parts", "school"),
        ("score_parts", "wish_near_school"),
        ("wishes", "faith"),
        ("wishes", "near_school"),
    ]
    assert nearness.codes(wish(wishes=frozenset({"near_school"}))) == [("wishes", "near_school")]
