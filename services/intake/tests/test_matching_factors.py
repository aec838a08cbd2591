"""The `baseline` matching factors (REGIEPUNT_MATCHING_FACTORS), through HTTP with the three services
wired as in production: the ranking as it was before siblings, school, the group and the child's voice
were weighed, so that docs/matching.md can measure what those factors change. Under `all` (the
default) the same children meet every rule."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import COORDINATOR, REFERRER, create_provider, create_unit, provider_with_unit, unit_state
from test_group_and_production import body, decision_of, place
from test_referral_groups import group_body

from contracts.matching import MatchingFactors


@contextmanager
def factors(intake_app: FastAPI, matching_app: FastAPI, chosen: MatchingFactors) -> Iterator[None]:
    """Both services under `chosen`, as REGIEPUNT_MATCHING_FACTORS sets them in a deployment."""
    apps = (intake_app, matching_app)
    before = [app.state.settings for app in apps]
    for app in apps:
        app.state.settings = app.state.settings.model_copy(update={"matching_factors": chosen})
    try:
        yield
    finally:
        for app, settings in zip(apps, before, strict=True):
            app.state.settings = settings


@pytest.mark.parametrize("chosen", [MatchingFactors.ALL, MatchingFactors.BASELINE])
async def test_the_group_rules_leave_a_unit_out_under_all_and_not_under_baseline(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    matching_app: FastAPI,
    chosen: MatchingFactors,
) -> None:
    provider = await create_provider(capacity, role="strategic", name="De Linde")
    with_group = await create_unit(capacity, provider, capacity=2, municipality_code="GM0518")
    await place(intake, with_group["id"], provider, risk_flags=["sexually_transgressive_behaviour"])
    # The unit in the child's own municipality ranks first on every other count.
    other = await create_provider(capacity, role="tactical", name="Het Anker")
    elsewhere = await create_unit(capacity, other, capacity=1, municipality_code="GM0637")

    with factors(intake_app, matching_app, chosen):
        at_risk = (
            await intake.post("/v1/referrals", json=body(vulnerabilities=["sexual_exploitation"]), headers=REFERRER)
        ).json()
    assert at_risk["status"] == "proposed", at_risk
    decision = await decision_of(intake, at_risk["id"])
    weighed = next(c for c in decision["candidates"] if c["unit_id"] == with_group["id"])
    if chosen is MatchingFactors.ALL:
        assert at_risk["proposal"]["unit_id"] == elsewhere["id"]
        assert (weighed["eligible"], weighed["excluded_reason"]) == (False, "group_conflict")
        assert list(decision["rules"]) == ["exploitation_victim_with_transgressive_or_recruiting"]
    else:
        # As before the group was weighed: the nearest unit, whoever stays there.
        assert at_risk["proposal"]["unit_id"] == with_group["id"]
        assert (weighed["eligible"], weighed["excluded_reason"], weighed["rank"]) == (True, None, 1)
        assert decision["rules"] == {}
        assert all(c["excluded_reason"] != "group_conflict" for c in decision["candidates"])


async def test_under_baseline_siblings_are_matched_one_by_one(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, matching_app: FastAPI
) -> None:
    # Two providers with one place each: kept together the siblings wait (test_referral_groups), under
    # the baseline each child takes a place of its own.
    _a, first = await provider_with_unit(capacity, capacity=1)
    _b, second = await provider_with_unit(capacity, capacity=1)
    with factors(intake_app, matching_app, MatchingFactors.BASELINE):
        response = await intake.post("/v1/referral-groups", json=group_body(), headers=REFERRER)
    assert response.status_code == 201, response.text
    group: dict[str, Any] = response.json()
    # The referrer's wish is kept as it was asked; no split was recorded, so no coordinator is asked to look.
    assert group["keep_together"] is True
    assert group["status"] == "proposed"
    assert {r["status"] for r in group["referrals"]} == {"proposed"}
    assert {r["proposal"]["unit_id"] for r in group["referrals"]} == {first["id"], second["id"]}
    assert all(r["signals"] == [] for r in group["referrals"])
    assert (await unit_state(capacity, first["id"]))["reserved"] == 1
    # Matching was asked about each child, not about the group.
    decisions = await intake.get(f"/v1/referral-groups/{group['id']}/decisions", headers=COORDINATOR)
    assert decisions.status_code == 200, decisions.text
    assert decisions.json()["items"] == []
