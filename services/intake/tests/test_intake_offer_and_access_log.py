"""Joint duty to place (offers by strategic and tactical partners) and the append-only access log."""

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    REFERRER,
    provider_headers,
    provider_with_unit,
    submitted,
    unit_state,
)

from intake.db import access_log


async def test_tactical_provider_offers_its_unit_to_a_waiting_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    waiting = await submitted(intake)
    assert waiting["status"] == "unmatched"
    provider_id, unit = await provider_with_unit(capacity, role="tactical")
    response = await intake.post(
        f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": unit["id"]}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 200, response.text
    offered = response.json()
    assert offered["status"] == "proposed"
    assert offered["proposal"]["unit_id"] == unit["id"]
    assert (await unit_state(capacity, unit["id"]))["reserved"] == 1


async def test_offer_of_a_unit_that_does_not_fit_is_409_with_the_reason(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    waiting = await submitted(intake)
    provider_id, unit = await provider_with_unit(capacity, role="strategic", age_min=0, age_max=11)
    response = await intake.post(
        f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": unit["id"]}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 409
    assert "does not fit" in response.json()["detail"]
    still = (await intake.get(f"/v1/referrals/{waiting['id']}", headers=COORDINATOR)).json()
    assert still["status"] == "unmatched"


async def test_offer_of_another_providers_unit_is_422(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    waiting = await submitted(intake)
    provider_id, _own = await provider_with_unit(capacity, role="strategic", care_type="foster_care")
    _other, foreign = await provider_with_unit(capacity, role="tactical", care_type="foster_care")
    response = await intake.post(
        f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": foreign["id"]}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["unit_id"]


async def test_operational_provider_may_not_offer(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    waiting = await submitted(intake)
    provider_id, unit = await provider_with_unit(capacity, role="operational", care_type="foster_care")
    response = await intake.post(
        f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": unit["id"]}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 403


async def test_offer_for_a_referral_that_is_not_waiting_is_409(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, unit = await provider_with_unit(capacity, role="strategic", capacity=2)
    proposed = await submitted(intake)
    assert proposed["status"] == "proposed"
    response = await intake.post(
        f"/v1/referrals/{proposed['id']}/offer", json={"unit_id": unit["id"]}, headers=provider_headers(provider_id)
    )
    assert response.status_code == 409


async def test_offer_by_a_referrer_is_403(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    waiting = await submitted(intake)
    _provider_id, unit = await provider_with_unit(capacity, role="strategic", care_type="foster_care")
    response = await intake.post(f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": unit["id"]}, headers=REFERRER)
    assert response.status_code == 403


async def test_every_read_and_write_is_in_the_access_log(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    headers = provider_headers(provider_id)
    await intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER)
    await intake.get("/v1/referrals", headers=COORDINATOR)
    await intake.post(f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers)
    response = await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR)
    assert response.status_code == 200, response.text
    entries = response.json()["items"]
    assert [(e["action"], e["role"], e["sub"]) for e in entries] == [
        ("create", "referrer", "anna"),
        ("propose", "service", "system:intake"),
        ("read", "referrer", "anna"),
        ("list", "coordinator", "coco"),
        ("accept", "provider", "piet"),
    ]
    assert {e["referral_id"] for e in entries} == {referral["id"]}
    assert entries[0]["at"] == "2026-11-02T09:00:00Z"


async def test_access_log_is_for_coordinators_only(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    assert (await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=REFERRER)).status_code == 403
    unknown = await intake.get("/v1/referrals/00000000-0000-0000-0000-000000000000/access-log", headers=COORDINATOR)
    assert unknown.status_code == 404


async def test_a_denied_read_leaves_no_trace_of_data_shown(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await intake.get(f"/v1/referrals/{referral['id']}", headers=OTHER_REFERRER)
    entries = (await intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR)).json()["items"]
    assert "read" not in [e["action"] for e in entries]


async def test_access_log_has_no_api_to_change_it(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    url = f"/v1/referrals/{referral['id']}/access-log"
    assert (await intake.delete(url, headers=COORDINATOR)).status_code == 405
    assert (await intake.put(url, json={}, headers=COORDINATOR)).status_code == 405


@pytest.mark.postgresql_only("the trigger is PostgreSQL's; SQLite relies on there being no API for it")
async def test_postgresql_refuses_to_change_the_access_log(intake: httpx.AsyncClient, intake_app: FastAPI) -> None:
    await submitted(intake)
    engine = intake_app.state.database.engine
    assert engine.dialect.name == "postgresql"
    for statement in (sa.update(access_log).values(sub="someone else"), sa.delete(access_log)):
        try:
            async with engine.begin() as connection:
                await connection.execute(statement)
        except Exception as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError("the access log was changed")
