"""The one vocabulary: intake publishes it to every participant, a referral's needs and a unit's
specialisms must be its codes, and a region extends it with a file, without a change of code."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from intake_support import COORDINATOR, REFERRER, SERVICE, create_provider, create_unit, provider_headers, referral_body

from common.clock import ManualClock
from common.errors import ConfigurationError
from common.testing import bearer
from contracts.vocabulary import DEFAULT_VOCABULARY_FILE, SECTIONS, load_vocabulary

AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="audrey")

ISSUE_DEFAULTS = {
    "needs": [
        "trauma",
        "attachment",
        "autism",
        "adhd",
        "self_harm",
        "suicidality",
        "substance_use",
        "eating_disorder",
        "sexual_exploitation",
        "sexually_transgressive_behaviour",
        "aggression",
        "young_parent",
        "unaccompanied_minor",
        "psychiatric_care",
    ],
    "risk_flags": [
        "aggression",
        "sexually_transgressive_behaviour",
        "exploitation_recruiting",
        "absconding",
        "substance_use",
        "fire_setting",
    ],
    "vulnerabilities": ["sexual_exploitation", "under_twelve", "self_harm", "bullying_victim"],
    "wishes": ["near_school", "near_family", "small_group", "with_siblings", "same_language", "faith"],
    "split_reasons": ["no_joint_place_in_time", "safety_between_siblings", "different_care_needs", "child_wish"],
}
DECLINE_REASONS = [
    "no_free_place",
    "needs_not_met",
    "group_composition",
    "staffing",
    "child_or_family_wishes",
    "safety",
    "other",
]


@pytest.mark.parametrize("role", ["referrer", "provider", "coordinator", "service"])
async def test_every_participant_reads_the_vocabulary_with_dutch_and_english_labels(
    intake: httpx.AsyncClient, role: str
) -> None:
    headers = {
        "referrer": REFERRER,
        "provider": provider_headers("p-1"),
        "coordinator": COORDINATOR,
        "service": SERVICE,
    }[role]
    response = await intake.get("/v1/vocabulary", headers=headers)
    assert response.status_code == 200, response.text
    answer = response.json()
    assert list(answer) == list(SECTIONS)
    for section, codes in ISSUE_DEFAULTS.items():
        assert [term["code"] for term in answer[section]] == codes, section
    assert [term["code"] for term in answer["decline_reasons"]] == DECLINE_REASONS
    attachment = next(term for term in answer["needs"] if term["code"] == "attachment")
    assert attachment == {"code": "attachment", "nl": "Hechtingsproblematiek", "en": "Attachment difficulties"}
    for section in SECTIONS:
        for term in answer[section]:
            assert set(term) == {"code", "nl", "en"} and term["nl"] and term["en"], (section, term)
    # The words of a decision's reasons have their home here too, the reasons still to come included.
    reasons = {term["code"] for term in answer["exclusion_reasons"]}
    assert {"no_free_place", "request_refused", "too_far", "group_conflict", "production_cap_reached"} <= reasons
    assert [term["code"] for term in answer["score_parts"]] == [
        "region_ground",
        "needs",
        "proximity",
        "continuity",
        "contract_role",
        "part_time",
        "school",
        "wish_near_school",
        "wish_near_family",
        "wish_small_group",
        "availability_stale",
        "group_age_gap",
        "group_penalty",
        "production_cap_reached",
    ]


async def test_the_auditor_and_a_caller_without_a_token_are_refused(intake: httpx.AsyncClient) -> None:
    refused = await intake.get("/v1/vocabulary", headers=AUDITOR)
    assert refused.status_code == 403
    assert refused.headers["content-type"].startswith("application/problem+json")
    anonymous = await intake.get("/v1/vocabulary")
    assert anonymous.status_code == 401
    assert anonymous.headers["content-type"].startswith("application/problem+json")


async def test_a_need_that_is_no_code_of_the_vocabulary_is_refused_naming_the_field_and_the_code(
    intake: httpx.AsyncClient,
) -> None:
    response = await intake.post(
        "/v1/referrals", json=referral_body(needs=["trauma", "autism", "hechting"]), headers=REFERRER
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert [error["field"] for error in errors] == ["needs.2"]
    assert "'hechting'" in errors[0]["message"]
    # Nothing was stored.
    listed = await intake.get("/v1/referrals", headers=COORDINATOR)
    assert listed.json()["items"] == []


async def test_unknown_needs_are_named_with_every_other_broken_rule(intake: httpx.AsyncClient) -> None:
    body = referral_body(needs=["castle", "trauma", "moat"])
    body["client"] = {**body["client"], "municipality_code": "GM0599"}
    response = await intake.post("/v1/referrals", json=body, headers=REFERRER)
    assert response.status_code == 422
    fields = [error["field"] for error in response.json()["errors"]]
    assert fields == ["client.municipality_code", "needs.0", "needs.2"]


def _extended_vocabulary(tmp_path: Path) -> Path:
    """A region's file: the default needs and one more; the sections it leaves out are the default's."""
    needs = [term.model_dump() for term in load_vocabulary().needs]
    needs.append({"code": "gaming_disorder", "nl": "Gameverslaving", "en": "Gaming disorder"})
    path = tmp_path / "vocabulary.json"
    path.write_text(json.dumps({"needs": needs}), encoding="utf-8")
    return path


@asynccontextmanager
async def _services_on(
    path: Path, capacity_app: FastAPI, matching_app: FastAPI, intake_app: FastAPI, clock: ManualClock
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient]]:
    """Capacity and intake started anew with the file, on the databases of the running ones."""
    from capacity.main import create_app as create_capacity
    from intake.main import create_app as create_intake

    capacity_settings = capacity_app.state.settings.model_copy(update={"vocabulary_file": path})
    intake_settings = intake_app.state.settings.model_copy(update={"vocabulary_file": path})
    capacity = create_capacity(capacity_settings, clock=clock)
    intake = create_intake(
        intake_settings,
        clock=clock,
        capacity_transport=httpx.ASGITransport(app=capacity),
        matching_transport=httpx.ASGITransport(app=matching_app),
    )
    try:
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=capacity), base_url="http://capacity") as to_capacity,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=intake), base_url="http://intake") as to_intake,
        ):
            yield to_capacity, to_intake
    finally:
        await intake.state.capacity.aclose()
        await intake.state.matching.aclose()
        await intake.state.database.dispose()
        await capacity.state.database.dispose()


async def test_a_code_added_to_the_file_is_taken_by_intake_and_capacity_without_a_change_of_code(
    tmp_path: Path,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    intake_app: FastAPI,
    capacity: httpx.AsyncClient,
    intake: httpx.AsyncClient,
    clock: ManualClock,
) -> None:
    provider_id = await create_provider(capacity)
    unit_body = {
        "name": "Groep De Linde",
        "care_type": "residential",
        "target_groups": ["jo"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "capacity": 1,
        "specialisms": ["gaming_disorder"],
    }
    # The services running on the shipped vocabulary do not know the code.
    before = await capacity.post(f"/v1/providers/{provider_id}/units", json=unit_body, headers=COORDINATOR)
    assert before.status_code == 422
    assert [error["field"] for error in before.json()["errors"]] == ["specialisms.0"]
    refused = await intake.post("/v1/referrals", json=referral_body(needs=["gaming_disorder"]), headers=REFERRER)
    assert refused.status_code == 422

    path = _extended_vocabulary(tmp_path)
    async with _services_on(path, capacity_app, matching_app, intake_app, clock) as (capacity_now, intake_now):
        vocabulary = (await intake_now.get("/v1/vocabulary", headers=REFERRER)).json()
        assert vocabulary["needs"][-1] == {"code": "gaming_disorder", "nl": "Gameverslaving", "en": "Gaming disorder"}
        # The sections the file leaves out are the shipped ones.
        assert [term["code"] for term in vocabulary["decline_reasons"]] == DECLINE_REASONS

        unit = await create_unit(capacity_now, provider_id, specialisms=["gaming_disorder", "trauma"])
        assert unit["specialisms"] == ["gaming_disorder", "trauma"]
        other = await create_unit(capacity_now, provider_id, name="Groep De Eik", specialisms=["trauma"])
        response = await intake_now.post(
            "/v1/referrals", json=referral_body(needs=["gaming_disorder"]), headers=REFERRER
        )
        assert response.status_code == 201, response.text
        referral = response.json()
    assert referral["needs"] == ["gaming_disorder"]
    assert referral["status"] == "proposed"
    # Matching weighs the new code like any other: the unit that covers it is proposed.
    assert referral["proposal"]["unit_id"] == unit["id"] != other["id"]
    assert "covers gaming_disorder" in referral["proposal"]["reasons"]


def test_a_file_that_cannot_be_used_stops_the_app_from_being_made(tmp_path: Path) -> None:
    from capacity.main import create_app as create_capacity
    from capacity.settings import CapacitySettings
    from intake.main import create_app as create_intake
    from intake.settings import IntakeSettings
    from matching.main import create_app as create_matching
    from matching.settings import MatchingSettings

    broken = tmp_path / "broken.toml"
    broken.write_text('[[needs]]\ncode = "Trauma"\nnl = "Trauma"\nen = "Trauma"\n', encoding="utf-8")
    for create, settings in (
        (create_intake, IntakeSettings(data_dir=tmp_path, vocabulary_file=broken)),
        (create_capacity, CapacitySettings(data_dir=tmp_path, vocabulary_file=broken)),
        (create_matching, MatchingSettings(data_dir=tmp_path, vocabulary_file=broken)),
    ):
        with pytest.raises(ConfigurationError) as refused:
            create(settings)  # type: ignore[operator]
        assert f"vocabulary file {broken}: needs[0].code" in str(refused.value)


def test_the_shipped_file_is_the_default(intake_app: FastAPI) -> None:
    assert intake_app.state.settings.vocabulary_file is None
    assert intake_app.state.vocabulary == load_vocabulary(DEFAULT_VOCABULARY_FILE) == load_vocabulary()
