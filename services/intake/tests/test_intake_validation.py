"""POST /v1/referrals refuses bad input with a 422 that names each bad field, and checks the caller."""

from typing import Any

import httpx
import pytest
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    provider_headers,
    referral_body,
    submit,
    with_client,
)


def fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    return [error["field"] for error in response.json()["errors"]]


async def test_bsn_failing_the_eleven_test_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, with_client(bsn="111222334"))) == ["client.bsn"]


async def test_bsn_of_wrong_length_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, with_client(bsn="12345678"))) == ["client.bsn"]


async def test_birth_date_in_the_future_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, with_client(birth_date="2026-11-03"))) == ["client.birth_date"]


async def test_child_older_than_17_is_refused(intake: httpx.AsyncClient) -> None:
    # Turned 18 on 2026-11-01; the clock says 2026-11-02.
    assert fields(await submit(intake, with_client(birth_date="2008-11-01"))) == ["client.birth_date"]


async def test_training_flat_accepts_a_young_adult_of_22(intake: httpx.AsyncClient) -> None:
    body = with_client(birth_date="2004-01-01")
    body["care_type"] = "training_flat"
    response = await submit(intake, body)
    assert response.status_code == 201, response.text
    assert response.json()["status"] == "unmatched"


async def test_training_flat_refuses_someone_of_23(intake: httpx.AsyncClient) -> None:
    body = with_client(birth_date="2003-01-01")
    body["care_type"] = "training_flat"
    assert fields(await submit(intake, body)) == ["client.birth_date"]


async def test_municipality_outside_the_region_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, with_client(municipality_code="GM0363"))) == ["client.municipality_code"]


async def test_unknown_care_type_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, referral_body(care_type="boarding_school"))) == ["care_type"]


async def test_unknown_target_group_is_refused(intake: httpx.AsyncClient) -> None:
    assert fields(await submit(intake, referral_body(target_group="adults"))) == ["target_group"]


async def test_unknown_out_of_region_criterion_is_refused(intake: httpx.AsyncClient) -> None:
    body = referral_body(out_of_region={"criterion": "preference", "justification": "x" * 30})
    assert fields(await submit(intake, body)) == ["out_of_region.criterion"]


async def test_short_out_of_region_justification_is_refused(intake: httpx.AsyncClient) -> None:
    body = referral_body(out_of_region={"criterion": "safety", "justification": "too short"})
    assert fields(await submit(intake, body)) == ["out_of_region.justification"]


async def test_malformed_dates_are_refused(intake: httpx.AsyncClient) -> None:
    body = with_client(birth_date="01-05-2012")
    body["requested_start"] = "2026-13-01"
    assert sorted(fields(await submit(intake, body))) == ["client.birth_date", "requested_start"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (referral_body(colour="blue"), "colour"),
        (with_client(name="Jan"), "client.name"),
    ],
)
async def test_unknown_fields_are_refused(intake: httpx.AsyncClient, body: dict[str, Any], field: str) -> None:
    response = await submit(intake, body)
    assert fields(response) == [field]
    assert response.json()["errors"][0]["message"] == "is not a known field"


async def test_missing_client_fields_are_named(intake: httpx.AsyncClient) -> None:
    body = referral_body(client={"bsn": "111222333"})
    assert sorted(fields(await submit(intake, body))) == ["client.birth_date", "client.municipality_code"]


async def test_several_broken_rules_are_named_together(intake: httpx.AsyncClient) -> None:
    body = with_client(bsn="111222334", municipality_code="GM0363")
    assert fields(await submit(intake, body)) == ["client.bsn", "client.municipality_code"]


async def test_refused_referral_is_not_stored(intake: httpx.AsyncClient) -> None:
    await submit(intake, with_client(bsn="111222334"))
    listed = await intake.get("/v1/referrals", headers=COORDINATOR)
    assert listed.json()["items"] == []


async def test_submitting_without_a_token_is_401(intake: httpx.AsyncClient) -> None:
    response = await intake.post("/v1/referrals", json=referral_body())
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_submitting_with_a_bad_token_is_401(intake: httpx.AsyncClient) -> None:
    response = await intake.post("/v1/referrals", json=referral_body(), headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 401


@pytest.mark.parametrize("role", ["coordinator", "provider"])
async def test_only_referrers_submit_referrals(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, role: str
) -> None:
    headers = COORDINATOR if role == "coordinator" else provider_headers(await create_provider(capacity))
    response = await submit(intake, headers=headers)
    assert response.status_code == 403


async def test_valid_referral_without_a_fitting_place_is_stored_unmatched(intake: httpx.AsyncClient) -> None:
    response = await submit(intake, headers=REFERRER)
    assert response.status_code == 201
    referral = response.json()
    assert referral["status"] == "unmatched"
    assert referral["proposal"] is None
    assert referral["placement"] is None
    # No place found: the joint duty to place is signalled to the coordinators.
    assert [signal["type"] for signal in referral["signals"]] == ["unmatched"]
    assert referral["client"] == {
        "bsn": "111222333",
        "birth_date": "2012-05-01",
        "municipality_code": "GM0518",
        "school_municipality_code": None,
    }
    assert set(referral) == {
        "id",
        "status",
        "care_type",
        "target_group",
        "needs",
        "part_time",
        "requested_start",
        "referrer_org",
        "out_of_region",
        "proposal",
        "placement",
        "signals",
        "created_at",
        "updated_at",
        "client",
        "max_travel_km",
        "child_voice",
        "court_authorisation",
        "group_id",
        "risk_flags",
        "vulnerabilities",
        "reference",
    }
