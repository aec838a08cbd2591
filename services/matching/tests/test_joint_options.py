"""The joint options of siblings, pure: each child weighed on its own, then placed all at once."""

from __future__ import annotations

from matching.domain import Unit, Wish, rank_units
from matching.joint import ONE_UNIT_WEIGHT, Child, joint_options, unmatched_group_reasons

DELFT, DEN_HAAG = "GM0503", "GM0518"


def unit(unit_id: str, provider: str, *, municipality: str = DEN_HAAG, available: int = 1) -> Unit:
    return Unit(unit_id, provider, "operational", municipality, True, [], False, available, None, None, 8)


def children(units: list[Unit], count: int = 2, **wish: object) -> list[Child]:
    values: dict[str, object] = {"care_type": "residential", "municipality_code": DELFT, **wish}
    return [Child(f"r-{n}", rank_units(Wish(**values), units, [])) for n in range(count)]  # type: ignore[arg-type]


def test_one_unit_for_all_weighs_more_than_a_nearer_spread() -> None:
    units = [unit("near-1", "p", municipality=DELFT), unit("near-2", "p", municipality=DELFT)]
    units.append(unit("far", "q", available=2))
    options = joint_options(children(units))
    assert [(o.provider_id, o.one_unit) for o in options] == [("q", True), ("p", False)]
    assert options[0].parts["one_unit"] == ONE_UNIT_WEIGHT
    assert options[1].units == {"r-0": "near-1", "r-1": "near-2"} or options[1].units == {
        "r-0": "near-2",
        "r-1": "near-1",
    }


def test_a_unit_gets_no_more_children_than_free_places() -> None:
    options = joint_options(children([unit("only", "p", available=2)], count=3))
    assert options == []


def test_units_of_one_provider_in_two_municipalities_are_no_option() -> None:
    units = [unit("a", "p", municipality=DELFT), unit("b", "p", municipality=DEN_HAAG)]
    assert joint_options(children(units)) == []


def test_a_place_a_child_holds_already_counts_for_the_group() -> None:
    # The first child holds the unit's only other place (its own view shows one more free place).
    group = [
        Child("r-0", rank_units(Wish("residential", DELFT), [unit("u", "p", available=2)], [])),
        Child("r-1", rank_units(Wish("residential", DELFT), [unit("u", "p", available=1)], [])),
    ]
    assert [o.units for o in joint_options(group)] == [{"r-0": "u", "r-1": "u"}]


def test_the_reasons_say_why_the_children_wait_together() -> None:
    group = children([unit("a", "p")])
    reasons = unmatched_group_reasons(group, joint_options(group))
    assert reasons[0].startswith("siblings kept together: no unit")
    assert reasons[-1] == "the children wait together: joint duty to place of the partners"
