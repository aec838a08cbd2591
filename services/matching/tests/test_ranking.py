"""The matching rules without a database: exclusions, region first and the suitability ranking."""

from __future__ import annotations

import pytest

from matching.domain import (
    Exclusion,
    Ground,
    Rejected,
    Unit,
    Wish,
    distance_km,
    inside_meets_need,
    outside_exclusion,
    outside_left_out_reason,
    outside_needed,
    rank_units,
    unmatched_reasons,
)

DELFT, DEN_HAAG, RIJSWIJK, ZOETERMEER, WASSENAAR = "GM0503", "GM0518", "GM0603", "GM0637", "GM0629"
ROTTERDAM = "GM0599"


def unit(
    unit_id: str,
    *,
    municipality: str = DEN_HAAG,
    in_region: bool = True,
    specialisms: tuple[str, ...] = (),
    provider: str | None = None,
    role: str = "operational",
    part_time: bool = False,
    latitude: float | None = None,
    longitude: float | None = None,
    capacity: int = 6,
) -> Unit:
    return Unit(
        id=unit_id,
        provider_id=provider or f"p-{unit_id}",
        provider_role=role,
        municipality_code=municipality,
        in_region=in_region,
        specialisms=frozenset(specialisms),  # type: ignore[arg-type]
        part_time=part_time,
        available=1,
        latitude=latitude,
        longitude=longitude,
        capacity=capacity,
    )


def wish(**overrides: object) -> Wish:
    values: dict[str, object] = {"care_type": "residential", "municipality_code": DELFT}
    values.update(overrides)
    return Wish(**values)  # type: ignore[arg-type]


def order(units: list[Unit], w: Wish) -> list[str]:
    return [c.unit_id for c in rank_units(w, units, []).ranked]


def excluded(units: list[Unit], w: Wish) -> dict[str, str | None]:
    return {c.unit_id: c.excluded_reason for c in rank_units(w, units, []).candidates if not c.eligible}


def test_units_covering_every_need_rank_before_partial_cover() -> None:
    units = [unit("partial", specialisms=("trauma",)), unit("full", specialisms=("trauma", "adhd"))]
    assert order(units, wish(needs=("trauma", "adhd"))) == ["full", "partial"]


def test_home_municipality_ranks_before_neighbour_and_neighbour_before_far() -> None:
    units = [unit("far", municipality=WASSENAAR), unit("home", municipality=DELFT), unit("near", municipality=RIJSWIJK)]
    assert order(units, wish()) == ["home", "near", "far"]


def test_known_provider_ranks_higher() -> None:
    units = [unit("stranger", municipality=DELFT), unit("known", municipality=DELFT, provider="p-known")]
    ranking = rank_units(wish(known_provider_ids=frozenset({"p-known"})), units, [])
    best = ranking.ranked[0]
    assert best.unit_id == "known"
    assert best.parts["continuity"] == 15.0
    assert "known provider" in best.reasons


def test_strategic_and_tactical_rank_before_operational_at_equal_fit() -> None:
    units = [unit("op", role="operational"), unit("strat", role="strategic"), unit("tact", role="tactical")]
    ranked = order(units, wish())
    assert ranked[-1] == "op"
    assert set(ranked[:2]) == {"strat", "tact"}


def test_contract_role_does_not_beat_a_better_fit() -> None:
    units = [unit("strat", role="strategic", municipality=ZOETERMEER), unit("op", municipality=DELFT)]
    assert order(units, wish()) == ["op", "strat"]


def test_part_time_wish_prefers_part_time_unit_but_keeps_full_time() -> None:
    units = [unit("full"), unit("part", part_time=True)]
    ranking = rank_units(wish(part_time=True), units, [])
    assert [c.unit_id for c in ranking.ranked] == ["part", "full"]
    assert ranking.ranked[0].parts["part_time"] == 10.0
    assert ranking.ranked[1].parts["part_time"] == 0.0


def test_part_time_only_unit_is_excluded_for_full_time_request() -> None:
    units = [unit("full"), unit("part", part_time=True)]
    assert excluded(units, wish(part_time=False)) == {"part": Exclusion.PART_TIME_ONLY}


def test_declined_units_are_never_ranked() -> None:
    units = [unit("declined", municipality=DELFT), unit("other")]
    w = wish(excluded_unit_ids=frozenset({"declined"}))
    assert order(units, w) == ["other"]
    assert excluded(units, w) == {"declined": Exclusion.DECLINED}


def test_without_ground_outside_units_are_excluded() -> None:
    units = [unit("out", municipality=ROTTERDAM, in_region=False), unit("in")]
    assert order(units, wish()) == ["in"]
    assert excluded(units, wish()) == {"out": Exclusion.OUTSIDE_REGION_WITHOUT_GROUND}


def test_without_ground_and_only_outside_units_nothing_is_ranked() -> None:
    units = [unit("out", municipality=ROTTERDAM, in_region=False)]
    ranking = rank_units(wish(), units, [])
    assert ranking.ranked == []
    reasons = unmatched_reasons(ranking, wish())
    assert any("outside the region" in r for r in reasons)
    assert any("joint duty" in r for r in reasons)


def test_expertise_keeps_inside_when_an_inside_unit_covers_the_needs() -> None:
    units = [
        unit("out", municipality=ROTTERDAM, in_region=False, specialisms=("eating_disorder",)),
        unit("in", specialisms=("eating_disorder",)),
    ]
    w = wish(ground=Ground.EXPERTISE, needs=("eating_disorder",))
    assert order(units, w) == ["in"]
    assert excluded(units, w) == {"out": Exclusion.EXPERTISE_AVAILABLE_IN_REGION}


def test_expertise_goes_outside_first_when_no_inside_unit_covers_the_needs() -> None:
    units = [
        unit("out", municipality=ROTTERDAM, in_region=False, specialisms=("eating_disorder",)),
        unit("out-without", municipality=ROTTERDAM, in_region=False),
        unit("in", municipality=DELFT),
    ]
    w = wish(ground=Ground.EXPERTISE, needs=("eating_disorder",))
    assert order(units, w) == ["out", "in"]
    assert excluded(units, w) == {"out-without": Exclusion.OUTSIDE_REGION_LACKS_EXPERTISE}


def test_safety_puts_outside_units_first() -> None:
    units = [unit("in", municipality=DELFT, provider="p-known"), unit("out", municipality=ROTTERDAM, in_region=False)]
    ranking = rank_units(wish(ground=Ground.SAFETY, known_provider_ids=frozenset({"p-known"})), units, [])
    assert [c.unit_id for c in ranking.ranked] == ["out", "in"]
    assert ranking.ranked[0].reasons[0] == "outside the region, as safety requires"


def test_capacity_rejections_are_kept_with_their_reason() -> None:
    rejected = [Rejected("full", "p1", True, "no_free_place"), Rejected("old", "p2", True, "age_out_of_range")]
    ranking = rank_units(wish(), [unit("ok")], rejected)
    reasons = {c.unit_id: c.excluded_reason for c in ranking.candidates}
    assert reasons == {"ok": None}
    assert ranking.rejected == rejected
    assert unmatched_reasons(rank_units(wish(), [], rejected), wish()) == [
        "1 unit: does not take a child of this age",
        "1 unit: no free place",
    ]


def test_offer_path_weighs_only_the_offered_unit() -> None:
    units = [unit("best", municipality=DELFT), unit("offered", municipality=WASSENAAR)]
    ranking = rank_units(wish(offered_unit_id="offered"), units, [])
    assert [c.unit_id for c in ranking.candidates] == ["offered"]
    assert ranking.ranked[0].rank == 1


def test_offer_from_outside_on_expertise_is_refused_when_inside_covers() -> None:
    units = [
        unit("in", specialisms=("autism",)),
        unit("offered", municipality=ROTTERDAM, in_region=False, specialisms=("autism",)),
    ]
    w = wish(ground=Ground.EXPERTISE, needs=("autism",), offered_unit_id="offered")
    ranking = rank_units(w, units, [])
    assert ranking.ranked == []
    assert ranking.candidates[0].excluded_reason == Exclusion.EXPERTISE_AVAILABLE_IN_REGION
    assert unmatched_reasons(ranking, w) == [
        "the offered unit: outside the region, while a unit inside covers every need"
    ]


def test_unknown_offered_unit_is_explained() -> None:
    w = wish(offered_unit_id="nope")
    ranking = rank_units(w, [unit("a")], [])
    assert ranking.candidates == []
    assert unmatched_reasons(ranking, w) == ["the offered unit is not a residential unit known to capacity"]


def test_reasons_read_like_a_coordinator_would_say_them() -> None:
    best = unit("u", municipality=DELFT, specialisms=("trauma",), provider="p-known", role="strategic")
    ranking = rank_units(wish(needs=("trauma",), known_provider_ids=frozenset({"p-known"})), [best], [])
    assert ranking.ranked[0].reasons == [
        "covers trauma",
        "in home municipality Delft",
        "known provider",
        "strategic partner",
    ]
    assert ranking.ranked[0].parts == {
        "region_ground": 0.0,
        "needs": 40.0,
        "proximity": 25.0,
        "continuity": 15.0,
        "contract_role": 5.0,
        "part_time": 0.0,
    }
    assert ranking.ranked[0].score == 85.0


def test_equal_scores_rank_reproducibly() -> None:
    units = [unit("b"), unit("a"), unit("c")]
    assert order(units, wish()) == ["a", "b", "c"]


@pytest.mark.parametrize(("a", "b", "low", "high"), [(DELFT, RIJSWIJK, 2, 6), (DELFT, WASSENAAR, 14, 19)])
def test_distances_between_municipalities_are_plausible(a: str, b: str, low: float, high: float) -> None:
    km = distance_km(a, b)
    assert km is not None and low <= km <= high
    assert distance_km(a, "GM9999") is None


def test_units_outside_are_needed_only_on_safety_or_on_expertise_missing_inside() -> None:
    covering = unit("in", specialisms=("autism",))
    other = unit("other")
    assert outside_needed(wish(), [other]) is False
    assert outside_needed(wish(ground=Ground.SAFETY), [covering]) is True
    expertise = wish(ground=Ground.EXPERTISE, needs=("autism",))
    assert outside_needed(expertise, [covering, other]) is False
    assert outside_needed(expertise, [other]) is True


def test_a_declined_or_part_time_only_unit_inside_does_not_keep_expertise_inside() -> None:
    declined = unit("declined", specialisms=("autism",))
    part_time = unit("part", specialisms=("autism",), part_time=True)
    w = wish(ground=Ground.EXPERTISE, needs=("autism",), excluded_unit_ids=frozenset({"declined"}))
    assert outside_needed(w, [declined, part_time]) is True


def test_units_outside_left_out_are_named_by_the_rule_that_left_them_out() -> None:
    assert outside_left_out_reason(wish()) == Exclusion.OUTSIDE_REGION_WITHOUT_GROUND
    assert outside_left_out_reason(wish(ground=Ground.EXPERTISE)) == Exclusion.EXPERTISE_AVAILABLE_IN_REGION


def test_without_a_ground_units_outside_never_count() -> None:
    assert outside_exclusion(wish(), inside_meets_need=False) == Exclusion.OUTSIDE_REGION_WITHOUT_GROUND
    assert outside_exclusion(wish(), inside_meets_need=True) == Exclusion.OUTSIDE_REGION_WITHOUT_GROUND
    assert outside_exclusion(wish(), False, unit("far", in_region=False)) == Exclusion.OUTSIDE_REGION_WITHOUT_GROUND


def test_on_safety_units_outside_count_whatever_the_units_inside_offer() -> None:
    safety = wish(ground=Ground.SAFETY, needs=("autism",))
    assert outside_exclusion(safety, inside_meets_need=True) is None
    assert outside_exclusion(safety, inside_meets_need=False) is None
    assert outside_exclusion(safety, True, unit("far", in_region=False)) is None


def test_on_expertise_units_outside_count_only_when_inside_falls_short_and_they_cover_the_needs() -> None:
    expertise = wish(ground=Ground.EXPERTISE, needs=("autism",))
    covering = unit("far", in_region=False, specialisms=("autism",))
    lacking = unit("far-other", in_region=False)
    assert outside_exclusion(expertise, inside_meets_need=True) == Exclusion.EXPERTISE_AVAILABLE_IN_REGION
    assert outside_exclusion(expertise, True, covering) == Exclusion.EXPERTISE_AVAILABLE_IN_REGION
    assert outside_exclusion(expertise, inside_meets_need=False) is None
    assert outside_exclusion(expertise, False, covering) is None
    assert outside_exclusion(expertise, False, lacking) == Exclusion.OUTSIDE_REGION_LACKS_EXPERTISE


def test_inside_meets_need_only_with_a_unit_inside_the_child_may_be_proposed() -> None:
    expertise = wish(ground=Ground.EXPERTISE, needs=("autism",), excluded_unit_ids=frozenset({"declined"}))
    assert inside_meets_need(expertise, [unit("in", specialisms=("autism",))]) is True
    assert inside_meets_need(expertise, [unit("far", in_region=False, specialisms=("autism",))]) is False
    assert inside_meets_need(expertise, [unit("declined", specialisms=("autism",))]) is False
    assert inside_meets_need(expertise, [unit("part", specialisms=("autism",), part_time=True)]) is False
    assert inside_meets_need(expertise, [unit("in", specialisms=("trauma",))]) is False


def test_ranking_and_reading_follow_the_same_region_rule() -> None:
    inside = [unit("in", specialisms=("trauma",))]
    outside = [unit("far", in_region=False, specialisms=("autism",)), unit("far-other", in_region=False)]
    for ground in (None, Ground.SAFETY, Ground.EXPERTISE):
        w = wish(ground=ground, needs=("autism",))
        ranked = {c.unit_id for c in rank_units(w, inside + outside, []).ranked}
        counts_outside = outside_needed(w, inside)
        assert ("far" in ranked) is counts_outside, ground


def test_units_outside_counted_instead_of_listed_count_in_the_reasons() -> None:
    counted = {Exclusion.OUTSIDE_REGION_WITHOUT_GROUND: 3, "no_free_place": 0}
    ranking = rank_units(wish(), [], [Rejected("full", "p1", True, "no_free_place")], counted)
    assert ranking.outside_counted == {Exclusion.OUTSIDE_REGION_WITHOUT_GROUND: 3}
    assert unmatched_reasons(ranking, wish()) == [
        "3 units: outside the region, and no ground to place outside was recorded",
        "1 unit: no free place",
        "not sent out of the region without a ground: joint duty to place of the partners",
    ]


def test_nothing_of_the_care_type_anywhere_is_said_plainly() -> None:
    ranking = rank_units(wish(), [], [], {Exclusion.OUTSIDE_REGION_WITHOUT_GROUND: 0})
    assert unmatched_reasons(ranking, wish()) == ["no unit offers residential"]
