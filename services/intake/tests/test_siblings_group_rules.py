"""Siblings kept together and the group they join, through HTTP with the three services: the joint hold
carries each child's age and codes, so that siblings placed together show in their unit's group profile,
and a group decision weighs every child under the group and production rules as a single decision does."""

from __future__ import annotations

from typing import Any

import httpx
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    create_unit,
    fresh_bsn,
    provider_headers,
    referral_body,
    submitted,
    unit_state,
)


def sibling(birth_date: str, **overrides: Any) -> dict[str, Any]:
    body = referral_body(**overrides)
    body["client"] = {**body["client"], "bsn": fresh_bsn(), "birth_date": birth_date}
    return body


async def submitted_group(intake: httpx.AsyncClient, *children: dict[str, Any]) -> dict[str, Any]:
    body = {"referrals": list(children), "keep_together": True, "split": None}
    response = await intake.post("/v1/referral-groups", json=body, headers=REFERRER)
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    return group


async def group_decision(intake: httpx.AsyncClient, group_id: str) -> dict[str, Any]:
    response = await intake.get(f"/v1/referral-groups/{group_id}/decisions", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    decision: dict[str, Any] = response.json()["items"][0]
    return decision


async def test_siblings_placed_together_show_in_their_units_group_profile(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity, role="strategic")
    unit = await create_unit(capacity, provider_id, capacity=3, age_min=8)
    group = await submitted_group(
        intake,
        sibling("2012-05-01", risk_flags=["aggression"]),
        sibling("2016-05-01", vulnerabilities=["under_twelve", "bullying_victim"]),
    )
    assert group["status"] == "proposed"
    assert [r["proposal"]["unit_id"] for r in group["referrals"]] == [unit["id"], unit["id"]]
    # Held, not yet staying: the group in the unit is still empty.
    assert (await unit_state(capacity, unit["id"]))["group_profile"] == {"count": 0, "ages": [], "flags": {}}

    headers = provider_headers(provider_id)
    older, younger = (r["id"] for r in group["referrals"])
    accepted = await intake.post(f"/v1/referrals/{older}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    profile = (await unit_state(capacity, unit["id"]))["group_profile"]
    assert profile == {"count": 1, "ages": [14], "flags": {"aggression": 1}}

    accepted = await intake.post(f"/v1/referrals/{younger}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    assert accepted.status_code == 200, accepted.text
    profile = (await unit_state(capacity, unit["id"]))["group_profile"]
    assert profile == {
        "count": 2,
        "ages": [10, 14],
        "flags": {"aggression": 1, "bullying_victim": 1, "under_twelve": 1},
    }

    ended = await intake.post(
        f"/v1/referrals/{older}/end", json={"end_date": "2026-11-02", "reason": "returned_home"}, headers=headers
    )
    assert ended.status_code == 200, ended.text
    profile = (await unit_state(capacity, unit["id"]))["group_profile"]
    assert profile == {"count": 1, "ages": [10], "flags": {"bullying_victim": 1, "under_twelve": 1}}


async def test_siblings_are_not_proposed_to_a_group_one_of_them_may_not_join(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    # A unit close by where a child with sexually transgressive behaviour stays, with room for two more.
    near_provider = await create_provider(capacity, role="strategic", name="De Linde")
    near = await create_unit(capacity, near_provider, capacity=3, municipality_code="GM0518")
    staying = await submitted(intake, sibling("2011-05-01", risk_flags=["sexually_transgressive_behaviour"]))
    assert staying["proposal"]["unit_id"] == near["id"]
    start = {"start_date": "2026-10-03"}
    accepted = await intake.post(
        f"/v1/referrals/{staying['id']}/accept", json=start, headers=provider_headers(near_provider)
    )
    assert accepted.status_code == 200, accepted.text
    # Farther away, a unit with room for two.
    far_provider = await create_provider(capacity, role="strategic", name="De Eik")
    far = await create_unit(capacity, far_provider, capacity=2, municipality_code="GM0629")

    # The younger sibling is vulnerable to sexual exploitation: the near unit is no place for it, so it
    # is no place for the two together.
    group = await submitted_group(
        intake, sibling("2012-05-01"), sibling("2013-05-01", vulnerabilities=["sexual_exploitation"])
    )
    assert group["status"] == "proposed"
    assert [r["proposal"]["unit_id"] for r in group["referrals"]] == [far["id"], far["id"]]

    decision = await group_decision(intake, group["id"])
    older, younger = decision["children"]
    left_out = next(c for c in younger["candidates"] if c["unit_id"] == near["id"])
    assert left_out["excluded_reason"] == "group_conflict"
    assert left_out["rules"] == ["exploitation_victim_with_transgressive_or_recruiting"]
    assert younger["rules"]["exploitation_victim_with_transgressive_or_recruiting"]["reason"] == "group_conflict"
    # The older sibling alone could have gone there: the rule is the younger one's.
    near_for_older = next(c for c in older["candidates"] if c["unit_id"] == near["id"])
    assert near_for_older["excluded_reason"] is None and older["rules"] == {}
    assert all(option["units"] != {older["referral_id"]: near["id"]} for option in decision["options"])


async def test_siblings_are_not_proposed_to_a_provider_whose_agreement_is_used_up(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    capped = await create_provider(capacity, role="operational", name="Op de grens")
    agreement = {"production_agreements": [{"year": 2026, "care_type": "residential", "care_days": 1}]}
    patched = await capacity.patch(f"/v1/providers/{capped}", json=agreement, headers=COORDINATOR)
    assert patched.status_code == 200, patched.text
    capped_unit = await create_unit(capacity, capped, capacity=3, municipality_code="GM0518")
    # One stay of more than a day uses the agreement up.
    staying = await submitted(intake, sibling("2011-05-01"))
    assert staying["proposal"]["unit_id"] == capped_unit["id"]
    accepted = await intake.post(
        f"/v1/referrals/{staying['id']}/accept", json={"start_date": "2026-10-03"}, headers=provider_headers(capped)
    )
    assert accepted.status_code == 200, accepted.text
    partner = await create_provider(capacity, role="tactical", name="Partner")
    farther = await create_unit(capacity, partner, capacity=2, municipality_code="GM0629")

    group = await submitted_group(intake, sibling("2012-05-01"), sibling("2013-05-01"))
    assert [r["proposal"]["unit_id"] for r in group["referrals"]] == [farther["id"], farther["id"]]
    decision = await group_decision(intake, group["id"])
    for child in decision["children"]:
        left_out = next(c for c in child["candidates"] if c["unit_id"] == capped_unit["id"])
        assert left_out["excluded_reason"] == "production_cap_reached" and left_out["rules"] == ["production_cap"]
        assert child["rules"]["production_cap"]["reason"] == "production_cap_reached"
