"""Group decisions end to end: siblings kept together in one unit, or in units of one provider in one
municipality, held all at once or not at all; matching and capacity over HTTP, real databases."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from contracts.geography import haversine_km, municipality, shown_km
from services.matching.tests.test_decisions import COORDINATOR, DELFT, DEN_HAAG, HOLD_UNTIL, SERVICE, provider, unit

ZOETERMEER, RIJSWIJK, LEIDEN = "GM0637", "GM0603", "GM0546"


def child(**overrides: Any) -> dict[str, Any]:
    referral_id = str(uuid.uuid4())
    body: dict[str, Any] = {
        "referral_id": referral_id,
        "client_key": f"client-{referral_id[:8]}",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": DELFT,
        "needs": [],
    }
    body.update(overrides)
    return body


def group_request(*children: dict[str, Any], group_id: str | None = None) -> dict[str, Any]:
    group_id = group_id or str(uuid.uuid4())
    return {
        "request_id": f"{group_id}:attempt-1",
        "group_id": group_id,
        "hold_until": HOLD_UNTIL,
        "children": list(children),
    }


async def decide(matching: httpx.AsyncClient, body: dict[str, Any]) -> dict[str, Any]:
    response = await matching.post("/v1/group-decisions", json=body, headers=SERVICE)
    assert response.status_code == 200, response.text
    decision: dict[str, Any] = response.json()
    return decision


async def free(capacity: httpx.AsyncClient, unit_id: str) -> int:
    response = await capacity.get(f"/v1/units/{unit_id}", headers=COORDINATOR)
    return int(response.json()["available"])


def units_of(decision: dict[str, Any]) -> dict[str, str]:
    return {c["referral_id"]: c["proposal"]["unit_id"] for c in decision["children"]}


async def test_siblings_go_to_one_unit_with_places_for_all(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    # The nearer unit has room for one child only; the one in Den Haag for both.
    near = await unit(capacity, await provider(capacity), municipality=DELFT, places=1)
    roomy = await unit(capacity, await provider(capacity), municipality=DEN_HAAG, places=2)
    decision = await decide(matching, group_request(child(), child()))
    assert decision["outcome"] == "proposed"
    assert set(units_of(decision).values()) == {roomy}
    assert all(c["proposal"]["reasons"][-1] == "together with 1 sibling in one unit" for c in decision["children"])
    assert (await free(capacity, roomy), await free(capacity, near)) == (0, 1)
    # The stored decision records every child, the units weighed for it and the joint options.
    stored = await matching.get(f"/v1/group-decisions/{decision['id']}", headers=COORDINATOR)
    assert stored.status_code == 200, stored.text
    record = stored.json()
    assert [option["units"] for option in record["options"] if option["chosen"]] == [units_of(decision)]
    assert all({c["unit_id"] for c in kid["candidates"]} == {near, roomy} for kid in record["children"])


async def test_siblings_share_the_units_of_one_provider_in_one_municipality(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    same = await provider(capacity)
    first = await unit(capacity, same, municipality=DEN_HAAG, places=1)
    second = await unit(capacity, same, municipality=DEN_HAAG, places=1)
    decision = await decide(matching, group_request(child(), child()))
    assert decision["outcome"] == "proposed"
    assert sorted(units_of(decision).values()) == sorted([first, second])
    assert "units of one provider in one municipality" in decision["reasons"]


async def test_siblings_are_not_split_over_providers_or_municipalities(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await unit(capacity, await provider(capacity), municipality=DEN_HAAG, places=1)
    await unit(capacity, await provider(capacity), municipality=DEN_HAAG, places=1)
    same = await provider(capacity)
    in_delft = await unit(capacity, same, municipality=DELFT, places=1)
    await unit(capacity, same, municipality=DEN_HAAG, places=1)
    decision = await decide(matching, group_request(child(), child()))
    assert decision["outcome"] == "unmatched"
    assert all(c["proposal"] is None for c in decision["children"])
    assert decision["reasons"][0].startswith("siblings kept together: no unit")
    assert "1 unit could take this child alone" not in decision["children"][0]["reasons"]
    assert await free(capacity, in_delft) == 1


async def test_each_child_is_weighed_on_its_own_rules(matching: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    # The young child fits only the family home's ages: the group goes where both fit.
    same = await provider(capacity)
    teens = await unit(capacity, same, municipality=DEN_HAAG, places=2, ages=(12, 17))
    everyone = await unit(capacity, await provider(capacity), municipality=DELFT, places=2, ages=(6, 17))
    decision = await decide(matching, group_request(child(age=14), child(age=8)))
    assert set(units_of(decision).values()) == {everyone}
    assert await free(capacity, teens) == 2


async def test_the_same_request_answers_the_same_decision(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    roomy = await unit(capacity, await provider(capacity), places=3)
    body = group_request(child(), child())
    first = await decide(matching, body)
    again = await decide(matching, body)
    assert again["id"] == first["id"]
    assert await free(capacity, roomy) == 1


async def test_two_groups_racing_for_the_last_places_one_gets_all(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    same = await provider(capacity)
    await unit(capacity, same, places=2)
    await unit(capacity, same, places=1)
    groups = [group_request(child(), child(), child()) for _ in range(3)]
    decisions = await asyncio.gather(*(decide(matching, body) for body in groups))
    assert sorted(d["outcome"] for d in decisions) == ["proposed", "unmatched", "unmatched"]
    for decision in decisions:
        proposals = [c["proposal"] for c in decision["children"]]
        assert all(p is not None for p in proposals) or all(p is None for p in proposals)


async def test_a_group_request_names_the_bad_field(matching: httpx.AsyncClient) -> None:
    body = group_request(child(), child(age=40))
    response = await matching.post("/v1/group-decisions", json=body, headers=SERVICE)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["children[1].age"]
    alone = await matching.post("/v1/group-decisions", json=group_request(child()), headers=SERVICE)
    assert alone.status_code == 422
    twin = child()
    twice = await matching.post("/v1/group-decisions", json=group_request(twin, twin), headers=SERVICE)
    assert [e["field"] for e in twice.json()["errors"]] == ["children"]


def km(a: str, b: str) -> float | None:
    first, second = municipality(a), municipality(b)
    assert first is not None and second is not None
    return shown_km(haversine_km(first.point, second.point))


async def test_each_child_keeps_its_travel_limit_school_and_wishes(
    matching: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    # Room for both only in Zoetermeer; the unit in Rijswijk has one place.
    roomy = await unit(capacity, await provider(capacity), municipality=ZOETERMEER, places=2)
    await unit(capacity, await provider(capacity), municipality=RIJSWIJK, places=1)
    # One child may live 5 km from home at most: Zoetermeer is too far for it, so not for the group either.
    limited = child(max_travel_km=5.0)
    unmatched = await decide(matching, group_request(limited, child()))
    assert unmatched["outcome"] == "unmatched"
    record = (await matching.get(f"/v1/group-decisions/{unmatched['id']}", headers=COORDINATOR)).json()
    kept = {kid["referral_id"]: kid for kid in record["children"]}
    reasons = {c["unit_id"]: c["excluded_reason"] for c in kept[limited["referral_id"]]["candidates"]}
    assert reasons[roomy] == "too_far"
    assert kept[limited["referral_id"]]["labels"]["too_far"]["en"]
    assert await free(capacity, roomy) == 2

    # A limit Zoetermeer lies within, and a sibling who goes to school in Leiden and wished to be near family.
    near = child(max_travel_km=15.0)
    schooled = child(school_municipality_code=LEIDEN, wishes=["near_family", "faith"])
    proposed = await decide(matching, group_request(near, schooled))
    assert proposed["outcome"] == "proposed"
    proposals = {kid["referral_id"]: kid["proposal"] for kid in proposed["children"]}
    assert {p["unit_id"] for p in proposals.values()} == {roomy}
    assert proposals[near["referral_id"]]["distance_home_km"] == km(DELFT, ZOETERMEER)
    assert proposals[near["referral_id"]]["distance_school_km"] is None
    assert proposals[schooled["referral_id"]]["distance_school_km"] == km(LEIDEN, ZOETERMEER)
    words = proposals[schooled["referral_id"]]["reasons"]
    assert any(reason.endswith("from school (Leiden)") for reason in words)
    assert any(reason.startswith("the child wished to be near family") for reason in words)
    assert "wishes passed on to the provider: faith" in words
    # The stored decision keeps what each child asked, its score parts and the words of their codes.
    record = (await matching.get(f"/v1/group-decisions/{proposed['id']}", headers=COORDINATOR)).json()
    kept = {kid["referral_id"]: kid for kid in record["children"]}
    parts = next(c["parts"] for c in kept[schooled["referral_id"]]["candidates"] if c["unit_id"] == roomy)
    assert {"school", "wish_near_family"} <= set(parts)
    assert {"school", "wish_near_family", "near_family", "faith"} <= set(kept[schooled["referral_id"]]["labels"])
    assert "school" not in kept[near["referral_id"]]["labels"]
