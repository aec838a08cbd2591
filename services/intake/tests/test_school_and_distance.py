"""School and distance through the whole point: a referral's school and travel limit, a unit's own point,
the too_far exclusion, and the distances the proposal shows and the decision keeps."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from intake_support import (
    COORDINATOR,
    COURT_AUTHORISATION,
    REFERRER,
    create_provider,
    create_unit,
    provider_headers,
    submit,
    submitted,
    with_client,
)

from contracts.geography import haversine_km, municipality

DEN_HAAG, ZOETERMEER, DELFT, LEIDEN = "GM0518", "GM0637", "GM0503", "GM0546"


def km(a: str, b: str) -> float:
    first, second = municipality(a), municipality(b)
    assert first is not None and second is not None
    return haversine_km(first.point, second.point)


def body(*, school: str | None = None, max_travel_km: float | None = None, **fields: Any) -> dict[str, Any]:
    referral = with_client(municipality_code=DEN_HAAG, school_municipality_code=school)
    referral.update(fields)
    if max_travel_km is not None:
        referral["max_travel_km"] = max_travel_km
    return referral


async def decision(intake: httpx.AsyncClient, referral_id: str) -> dict[str, Any]:
    response = await intake.get(f"/v1/referrals/{referral_id}/decision", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    latest: dict[str, Any] = response.json()["items"][0]
    return latest


async def units_in(capacity: httpx.AsyncClient, *codes: str, **fields: Any) -> dict[str, str]:
    """One unit per municipality, of one provider each; their ids by municipality."""
    found = {}
    fields.setdefault("capacity", 3)
    for code in codes:
        provider = await create_provider(capacity, name=f"Aanbieder {code}")
        found[code] = (await create_unit(capacity, provider, municipality_code=code, **fields))["id"]
    return found


async def test_a_unit_beyond_the_travel_limit_from_home_is_left_out_as_too_far(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    units = await units_in(capacity, DEN_HAAG, ZOETERMEER)

    referral = await submitted(intake, body(max_travel_km=5))

    assert referral["status"] == "proposed"
    assert referral["proposal"]["unit_id"] == units[DEN_HAAG]
    assert referral["max_travel_km"] == 5.0
    weighed = {c["unit_id"]: c for c in (await decision(intake, referral["id"]))["candidates"]}
    assert weighed[units[ZOETERMEER]]["excluded_reason"] == "too_far"
    assert weighed[units[DEN_HAAG]]["chosen"] is True


async def test_a_child_with_every_unit_too_far_waits_with_the_reason(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await units_in(capacity, ZOETERMEER, DELFT)

    referral = await submitted(intake, body(max_travel_km=2.5))

    assert referral["status"] == "unmatched"
    stored = await decision(intake, referral["id"])
    assert stored["reasons"] == ["2 units: further away than the child may travel"]
    assert stored["labels"]["too_far"] == {
        "nl": "Verder weg dan de maximale reisafstand",
        "en": "Further away than the maximum travel distance",
    }


async def test_with_a_school_the_limit_counts_from_school(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    units = await units_in(capacity, DEN_HAAG, ZOETERMEER)

    from_home = await submitted(intake, body(max_travel_km=5))
    from_school = await submitted(intake, with_bsn(body(school=ZOETERMEER, max_travel_km=5), "123456782"))

    assert from_home["proposal"]["unit_id"] == units[DEN_HAAG]
    assert from_school["proposal"]["unit_id"] == units[ZOETERMEER]
    assert from_school["client"]["school_municipality_code"] == ZOETERMEER
    weighed = {c["unit_id"]: c for c in (await decision(intake, from_school["id"]))["candidates"]}
    assert weighed[units[DEN_HAAG]]["excluded_reason"] == "too_far"


async def test_the_proposal_shows_the_distances_to_home_and_school(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    units = await units_in(capacity, DELFT)

    referral = await submitted(intake, body(school=LEIDEN))

    proposal = referral["proposal"]
    assert proposal["unit_id"] == units[DELFT]
    assert proposal["distance_home_km"] == round(km(DEN_HAAG, DELFT), 1)
    assert proposal["distance_school_km"] == round(km(LEIDEN, DELFT), 1)
    assert f"{km(LEIDEN, DELFT):.1f} km from school (Leiden)" in proposal["reasons"]
    # The provider it was proposed to reads the same, and the decision keeps it.
    provider_view = await intake.get(
        f"/v1/referrals/{referral['id']}", headers=provider_headers(proposal["provider_id"])
    )
    assert provider_view.json()["proposal"]["distance_school_km"] == proposal["distance_school_km"]
    stored = await decision(intake, referral["id"])
    assert stored["proposal"]["distance_home_km"] == proposal["distance_home_km"]
    assert stored["proposal"]["distance_school_km"] == proposal["distance_school_km"]
    chosen = next(c for c in stored["candidates"] if c["chosen"])
    assert chosen["parts"]["school"] == pytest.approx(20 * (1 - km(LEIDEN, DELFT) / 30), abs=0.01)
    assert stored["labels"]["school"] == {"nl": "Dicht bij school", "en": "Close to school"}


async def test_without_a_school_its_distance_is_null(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await units_in(capacity, DEN_HAAG)

    proposal = (await submitted(intake, body()))["proposal"]

    assert proposal["distance_home_km"] == 0.0
    assert proposal["distance_school_km"] is None


async def test_the_school_weighs_in_the_ranking(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    # Delft is closer to home (Den Haag) than Zoetermeer; with the school in Zoetermeer, Zoetermeer wins.
    units = await units_in(capacity, DELFT, ZOETERMEER)
    assert km(DEN_HAAG, DELFT) < km(DEN_HAAG, ZOETERMEER)

    without = await submitted(intake, body())
    with_school = await submitted(intake, with_bsn(body(school=ZOETERMEER), "123456782"))

    assert without["proposal"]["unit_id"] == units[DELFT]
    assert with_school["proposal"]["unit_id"] == units[ZOETERMEER]
    assert "in the school's municipality Zoetermeer" in with_school["proposal"]["reasons"]


async def test_a_unit_is_measured_from_its_own_point(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    zoetermeer = municipality(ZOETERMEER)
    assert zoetermeer is not None
    provider = await create_provider(capacity)
    # Registered in Den Haag, but standing in Zoetermeer by its own point.
    await create_unit(
        capacity,
        provider,
        municipality_code=DEN_HAAG,
        latitude=zoetermeer.point.latitude,
        longitude=zoetermeer.point.longitude,
    )

    near_zoetermeer = await submitted(intake, body(school=ZOETERMEER, max_travel_km=1))
    assert near_zoetermeer["proposal"]["distance_school_km"] == 0.0
    assert near_zoetermeer["proposal"]["distance_home_km"] == round(km(DEN_HAAG, ZOETERMEER), 1)
    unit_id = near_zoetermeer["proposal"]["unit_id"]
    withdrawn = await intake.post(f"/v1/referrals/{near_zoetermeer['id']}/withdraw", headers=REFERRER)
    assert withdrawn.status_code == 200, withdrawn.text

    from_home = await submitted(intake, with_bsn(body(max_travel_km=5), "123456782"))
    assert from_home["status"] == "unmatched"
    weighed = (await decision(intake, from_home["id"]))["candidates"]
    assert [(c["unit_id"], c["excluded_reason"]) for c in weighed] == [(unit_id, "too_far")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"school": "GM9999"}, "client.school_municipality_code"),
        ({"school": "Delft"}, "client.school_municipality_code"),
        ({"max_travel_km": 0}, "max_travel_km"),
        ({"max_travel_km": -3}, "max_travel_km"),
        ({"max_travel_km": 5000}, "max_travel_km"),
        ({"max_travel_km": "ver"}, "max_travel_km"),
    ],
)
async def test_a_bad_school_or_travel_limit_is_refused_naming_the_field(
    intake: httpx.AsyncClient, change: dict[str, Any], field: str
) -> None:
    response = await submit(intake, body(**change))

    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]


def with_bsn(referral: dict[str, Any], bsn: str) -> dict[str, Any]:
    return {**referral, "client": {**referral["client"], "bsn": bsn}}


async def test_the_coordinators_referral_page_explains_school_distance_voice_and_authorisation(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    units = await units_in(capacity, DEN_HAAG, ZOETERMEER, care_type="secure")
    referral = body(school=DEN_HAAG, max_travel_km=5, care_type="secure", court_authorisation=COURT_AUTHORISATION)
    referral["child_voice"] = {"heard": True, "wishes": ["small_group"], "note": "Ik wil op mijn school blijven."}
    submitted_referral = await submitted(intake, referral)
    assert submitted_referral["proposal"]["unit_id"] == units[DEN_HAAG]

    page = (await intake.get(f"/dashboard/referrals/{submitted_referral['id']}?lang=en", headers=COORDINATOR)).text

    facts = page.split('id="referral"')[1].split("</section>")[0]
    assert "at most 5 km from school" in facts
    assert "heard · wishes: A small group" in facts and "Ik wil op mijn school blijven." in facts
    assert "Court authorisation for secure care of 1 Oct 2026, valid until 1 Apr 2027" in facts
    assert "0 km from home · 0 km from school" in page.split('id="proposal"')[1].split("</section>")[0]
    decisions = page.split('id="decisions"')[1].split("</section>")[0]
    assert "Further away than the maximum travel distance" in decisions  # the Zoetermeer unit: too_far
    assert re.search(r"Close to school 25\b", decisions) and "The child&#39;s wish: a small group" in decisions
