"""Siblings referred together keep every child's school, travel limit, voice and court authorisation:
each child is checked as a referral is, named by its place in the group, and weighed on its own rules
of school and distance when the group is matched as one."""

from __future__ import annotations

from typing import Any

import httpx
from intake_support import COORDINATOR, REFERRER, create_provider, create_unit, provider_headers
from test_referral_groups import group_body, sibling, submit_group, submitted_group
from test_school_and_distance import km

DEN_HAAG, ZOETERMEER = "GM0518", "GM0637"


def at_school(school: str | None = None, **fields: Any) -> dict[str, Any]:
    child = sibling(**fields)
    if school is not None:
        child["client"]["school_municipality_code"] = school
    return child


async def unit_in(capacity: httpx.AsyncClient, code: str, places: int) -> str:
    provider = await create_provider(capacity, name=f"Aanbieder {code}")
    return str((await create_unit(capacity, provider, municipality_code=code, capacity=places))["id"])


async def test_each_sibling_is_checked_for_school_voice_and_authorisation(intake: httpx.AsyncClient) -> None:
    secure = sibling(care_type="secure", court_authorisation=None)
    wrong = at_school("GM9999", child_voice={"heard": True, "wishes": ["near_school", "pony"], "note": None})
    lapsed = sibling(
        care_type="secure",
        court_authorisation={"kind": "machtiging", "decided_on": "2026-09-01", "valid_until": "2026-08-01"},
    )
    response = await submit_group(intake, group_body(referrals=[secure, wrong, lapsed]))

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [
        "referrals[0].court_authorisation",
        "referrals[1].client.school_municipality_code",
        "referrals[1].child_voice.wishes.1",
        "referrals[2].court_authorisation.valid_until",
    ]
    too_far = await submit_group(intake, group_body(referrals=[sibling(), sibling(max_travel_km=0)]))
    assert too_far.status_code == 422, too_far.text
    assert [error["field"] for error in too_far.json()["errors"]] == ["referrals[1].max_travel_km"]


async def test_a_sibling_s_travel_limit_holds_for_the_group(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    # Room for both only in Zoetermeer, too far from home (Den Haag) for the first child.
    await unit_in(capacity, DEN_HAAG, 1)
    roomy = await unit_in(capacity, ZOETERMEER, 2)

    group = await submitted_group(intake, group_body(referrals=[sibling(max_travel_km=5), sibling()]))

    assert group["status"] == "waiting"
    assert [r["status"] for r in group["referrals"]] == ["unmatched", "unmatched"]
    assert [r["max_travel_km"] for r in group["referrals"]] == [5.0, None]
    decisions = await intake.get(f"/v1/referral-groups/{group['id']}/decisions", headers=COORDINATOR)
    assert decisions.status_code == 200, decisions.text
    first = decisions.json()["items"][0]["children"][0]
    assert first["referral_id"] == group["referrals"][0]["id"]
    assert {c["unit_id"]: c["excluded_reason"] for c in first["candidates"]}[roomy] == "too_far"
    assert first["labels"]["too_far"]["nl"] == "Verder weg dan de maximale reisafstand"


async def test_siblings_are_weighed_on_their_school_and_voice_and_shown_their_distances(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await unit_in(capacity, DEN_HAAG, 2)
    roomy = await unit_in(capacity, ZOETERMEER, 2)
    # The elder goes to school in Zoetermeer and may live 5 km from it: Den Haag is too far from school.
    voice = {"heard": True, "wishes": ["near_school", "faith"], "note": "Ik wil bij mijn vrienden op school blijven."}
    elder = at_school(ZOETERMEER, max_travel_km=5, child_voice=voice)
    younger = at_school(child_voice={"heard": False, "wishes": [], "note": None})

    group = await submitted_group(intake, group_body(referrals=[elder, younger]))

    assert group["status"] == "proposed"
    first, second = group["referrals"]
    assert {first["proposal"]["unit_id"], second["proposal"]["unit_id"]} == {roomy}
    assert first["client"]["school_municipality_code"] == ZOETERMEER
    assert first["proposal"]["distance_school_km"] == 0.0
    assert second["proposal"]["distance_school_km"] is None
    assert (
        first["proposal"]["distance_home_km"]
        == second["proposal"]["distance_home_km"]
        == round(km(DEN_HAAG, ZOETERMEER), 1)
    )
    assert "the child wished to be near school: 0.0 km away" in first["proposal"]["reasons"]
    assert "wishes passed on to the provider: faith" in first["proposal"]["reasons"]
    # The referrer reads what the child said; the provider the place was proposed to its wishes only.
    assert first["child_voice"] == voice
    assert second["child_voice"] == {"heard": False, "wishes": [], "note": None}
    provider = provider_headers(first["proposal"]["provider_id"])
    shown = (await intake.get(f"/v1/referrals/{first['id']}", headers=provider)).json()
    assert shown["child_voice"] == {**voice, "note": None}
    assert shown["proposal"]["distance_school_km"] == 0.0
    # The group's decision weighed each child on its own school and wishes.
    items = (await intake.get(f"/v1/referral-groups/{group['id']}/decisions", headers=COORDINATOR)).json()["items"]
    kept = {child["referral_id"]: child for child in items[0]["children"]}
    elder_parts = next(c["parts"] for c in kept[first["id"]]["candidates"] if c["unit_id"] == roomy)
    assert {"school", "wish_near_school"} <= set(elder_parts)
    assert "too_far" in {c["excluded_reason"] for c in kept[first["id"]]["candidates"]}
    assert "school" not in next(c["parts"] for c in kept[second["id"]]["candidates"] if c["unit_id"] == roomy)
    again = await intake.get(f"/v1/referral-groups/{group['id']}", headers=REFERRER)
    assert again.json()["referrals"][0]["child_voice"]["note"] == voice["note"]
