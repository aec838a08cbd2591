"""The group a child joins and production agreements, end to end: a referral's risk flags and
vulnerabilities go from intake through matching to capacity with the client key, the group in a unit
keeps a child out or ranks the unit lower, a used-up production agreement leaves an operational
provider out (or ranks it lower when so configured), and the decision keeps which rule applied, in
Dutch and English, for the coordinators' page."""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    create_unit,
    provider_headers,
    referral_body,
    submit,
    submitted,
    unit_state,
)

from common.testing import bearer
from intake.domain import CLIENT_KEY_LENGTH
from matching.rules_config import load_placement_rules

_numbers = itertools.count(31_000_000)


def new_bsn() -> str:
    """A BSN of a child of its own: eight digits and the check digit the eleven-test asks for."""
    while True:
        head = str(next(_numbers))
        check = sum(int(digit) * weight for digit, weight in zip(head, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            return head + str(check)


def body(birth_date: str = "2012-05-01", **overrides: Any) -> dict[str, Any]:
    sent = referral_body(**overrides)
    sent["client"] = {**sent["client"], "bsn": new_bsn(), "birth_date": birth_date}
    return sent


async def place(intake: httpx.AsyncClient, unit_id: str, provider_id: str, **overrides: Any) -> dict[str, Any]:
    """A child proposed to `unit_id` (the only unit with a free place) and placed there."""
    referral = await submitted(intake, body(**overrides))
    assert referral["status"] == "proposed" and referral["proposal"]["unit_id"] == unit_id, referral
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-03"},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200, accepted.text
    return referral


async def decision_of(intake: httpx.AsyncClient, referral_id: str) -> dict[str, Any]:
    response = await intake.get(f"/v1/referrals/{referral_id}/decision", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    decision: dict[str, Any] = response.json()["items"][0]
    return decision


async def close(capacity: httpx.AsyncClient, unit_id: str) -> None:
    """No free place left in the unit: later children look elsewhere."""
    unit = await unit_state(capacity, unit_id)
    response = await capacity.put(
        f"/v1/units/{unit_id}/availability",
        json={"capacity": unit["occupied"] + unit["reserved"], "blocked": 0},
        headers={**COORDINATOR, "If-Match": str(unit["version"])},
    )
    assert response.status_code == 200, response.text


async def test_flags_must_be_known_codes_and_are_named_when_refused(intake: httpx.AsyncClient) -> None:
    for overrides, field in [
        # Codes of the vocabulary's sections, named by their index as a need is.
        ({"risk_flags": ["aggression", "arson"]}, "risk_flags.1"),
        ({"vulnerabilities": ["aggression"]}, "vulnerabilities.0"),
        ({"risk_flags": ["Jan is agressief"]}, "risk_flags.0"),
        ({"vulnerabilities": "under_twelve"}, "vulnerabilities"),
        ({"risk_flags": ["aggression"] * 21}, "risk_flags"),
    ]:
        response = await submit(intake, body(**overrides))
        assert response.status_code == 422, (overrides, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field], overrides
    assert (await intake.get("/v1/referrals", headers=REFERRER)).json()["items"] == []

    stored = await submitted(
        intake, body(risk_flags=["aggression", "absconding", "aggression"], vulnerabilities=["bullying_victim"])
    )
    assert stored["risk_flags"] == ["aggression", "absconding"]
    assert stored["vulnerabilities"] == ["bullying_victim"]
    read = (await intake.get(f"/v1/referrals/{stored['id']}", headers=COORDINATOR)).json()
    assert (read["risk_flags"], read["vulnerabilities"]) == (["aggression", "absconding"], ["bullying_victim"])


async def test_a_child_at_risk_is_not_proposed_to_a_group_with_a_transgressive_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_provider = await create_provider(capacity, role="strategic", name="De Linde")
    with_group = await create_unit(capacity, first_provider, capacity=2, municipality_code="GM0518")
    await place(intake, with_group["id"], first_provider, risk_flags=["sexually_transgressive_behaviour"])
    assert (await unit_state(capacity, with_group["id"]))["group_profile"] == {
        "count": 1,
        "ages": [14],
        "flags": {"sexually_transgressive_behaviour": 1},
    }
    # The unit in the child's own municipality ranks first on every other count.
    other_provider = await create_provider(capacity, role="tactical", name="Het Anker")
    elsewhere = await create_unit(capacity, other_provider, capacity=1, municipality_code="GM0637")

    at_risk = await submitted(intake, body(vulnerabilities=["sexual_exploitation"]))
    assert at_risk["status"] == "proposed"
    assert at_risk["proposal"]["unit_id"] == elsewhere["id"]

    decision = await decision_of(intake, at_risk["id"])
    left = next(c for c in decision["candidates"] if c["unit_id"] == with_group["id"])
    rule_id = "exploitation_victim_with_transgressive_or_recruiting"
    assert (left["eligible"], left["excluded_reason"], left["rules"]) == (False, "group_conflict", [rule_id])
    assert decision["rules"][rule_id]["reason"] == "group_conflict"
    assert "seksuele uitbuiting" in decision["rules"][rule_id]["nl"]
    assert "sexual exploitation" in decision["rules"][rule_id]["en"]
    assert (
        "1 unit left out: the group does not fit: a child in the group poses a risk, or is at risk"
        in (decision["reasons"])
    )

    # A child without the vulnerability would have gone to the first unit.
    plain = await submitted(intake, body())
    assert plain["proposal"]["unit_id"] == with_group["id"]

    page = await intake.get(f"/dashboard/referrals/{at_risk['id']}", headers=COORDINATOR)
    assert page.status_code == 200
    # The rule in the page's words (Dutch by default), never its id.
    assert decision["rules"][rule_id]["nl"] in page.text and "Kwetsbaarheden" in page.text
    assert rule_id not in page.text


async def test_a_wide_age_gap_ranks_the_unit_lower_with_its_reason(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity, role="strategic")
    older_group = await create_unit(capacity, provider_id, capacity=2, age_min=10, municipality_code="GM0518")
    await place(intake, older_group["id"], provider_id, birth_date="2009-06-01")  # 17
    other = await create_provider(capacity, role="tactical")
    further = await create_unit(capacity, other, capacity=1, age_min=10, municipality_code="GM0603")

    young = await submitted(intake, body(birth_date="2014-03-01"))  # 12: five years younger
    assert young["proposal"]["unit_id"] == further["id"]
    decision = await decision_of(intake, young["id"])
    penalised = next(c for c in decision["candidates"] if c["unit_id"] == older_group["id"])
    assert penalised["eligible"] and penalised["rank"] == 2
    assert penalised["parts"]["group_age_gap"] == -15.0
    assert penalised["rules"] == ["age_gap"]
    assert decision["rules"]["age_gap"]["reason"] == "group_age_gap"

    # Ranked lower, not left out: with no other place the child is proposed there, and told why.
    await close(capacity, further["id"])
    second = await submitted(intake, body(birth_date="2014-03-01"))
    assert second["proposal"]["unit_id"] == older_group["id"]
    assert any(reason.startswith("ranked lower: more than four years") for reason in second["proposal"]["reasons"])


@contextmanager
def production_cap_as_penalty(matching_app: FastAPI) -> Iterator[None]:
    """Matching configured with REGIEPUNT_PRODUCTION_CAP_MODE=penalty for a while."""
    configured = matching_app.state.placement_rules
    matching_app.state.placement_rules = load_placement_rules(cap_mode="penalty", cap_penalty=30.0)
    try:
        yield
    finally:
        matching_app.state.placement_rules = configured


async def test_an_operational_provider_with_a_used_up_agreement_is_left_out_or_ranked_lower(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, matching_app: FastAPI
) -> None:
    capped = await create_provider(capacity, role="operational", name="Op de grens")
    agreement = {"production_agreements": [{"year": 2026, "care_type": "residential", "care_days": 30}]}
    response = await capacity.patch(f"/v1/providers/{capped}", json=agreement, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    capped_unit = await create_unit(capacity, capped, capacity=3, municipality_code="GM0518")
    # One stay from 3 October to today (2 November) uses 31 days of the 30 agreed.
    await place(intake, capped_unit["id"], capped)
    production = await capacity.get(f"/v1/providers/{capped}/production", headers=COORDINATOR)
    assert production.json()["items"] == [
        {"care_type": "residential", "agreed_days": 30, "used_days": 31, "projected_days": 31 + 59}
    ]
    # A strategic partner with the same agreement used up is not capped.
    partner = await create_provider(capacity, role="strategic", name="Partner")
    await capacity.patch(f"/v1/providers/{partner}", json=agreement, headers=COORDINATOR)
    farther = await create_unit(capacity, partner, capacity=1, municipality_code="GM0629")

    left_out = await submitted(intake, body())
    assert left_out["proposal"]["unit_id"] == farther["id"]
    decision = await decision_of(intake, left_out["id"])
    capped_candidate = next(c for c in decision["candidates"] if c["unit_id"] == capped_unit["id"])
    assert capped_candidate["excluded_reason"] == "production_cap_reached"
    assert capped_candidate["rules"] == ["production_cap"]
    assert decision["rules"]["production_cap"]["nl"].startswith("Productieafspraak")

    # Only the capped provider has a place left: the child waits rather than go over the agreement.
    unmatched = await submitted(intake, body())
    assert unmatched["status"] == "unmatched"
    waiting = (await intake.get(f"/v1/referrals/{unmatched['id']}/decision", headers=COORDINATOR)).json()
    assert any("production agreement" in reason for reason in waiting["items"][0]["reasons"])

    with production_cap_as_penalty(matching_app):
        ranked_lower = await submitted(intake, body())
    assert ranked_lower["proposal"]["unit_id"] == capped_unit["id"]
    decision = await decision_of(intake, ranked_lower["id"])
    chosen = next(c for c in decision["candidates"] if c["chosen"])
    assert chosen["parts"]["production_cap_reached"] == -30.0 and chosen["rules"] == ["production_cap"]

    dashboard = await intake.get("/dashboard", headers=COORDINATOR)
    assert dashboard.status_code == 200
    assert "Productieafspraken 2026" in dashboard.text and "Op de grens" in dashboard.text


async def test_flags_reach_capacity_with_the_client_key_and_never_the_bsn(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, capacity_app: FastAPI
) -> None:
    provider_id = await create_provider(capacity, role="strategic")
    unit = await create_unit(capacity, provider_id, capacity=2)
    sent = body(risk_flags=["fire_setting"], vulnerabilities=["self_harm"])
    referral = await submitted(intake, sent)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200
    async with capacity_app.state.database.engine.connect() as connection:
        rows = (await connection.execute(sa.text("SELECT client_key, age, flags FROM occupancies"))).all()
    assert len(rows) == 1
    client_key, age, flags = rows[0]
    assert age == 14 and sent["client"]["bsn"] not in str(rows[0]) and len(client_key) == CLIENT_KEY_LENGTH
    assert sorted(flags if isinstance(flags, list) else json.loads(flags)) == ["fire_setting", "self_harm"]
    assert (await unit_state(capacity, unit["id"]))["group_profile"]["flags"] == {"fire_setting": 1, "self_harm": 1}

    # The child's own file shows them too.
    auditor = bearer("auditor", org="Regiepunt Haaglanden", sub="fg")
    answer = await intake.post("/v1/subject-access", json={"bsn": sent["client"]["bsn"]}, headers=auditor)
    assert answer.status_code == 200, answer.text
    kept = answer.json()["referrals"][0]
    assert (kept["risk_flags"], kept["vulnerabilities"]) == (["fire_setting"], ["self_harm"])
