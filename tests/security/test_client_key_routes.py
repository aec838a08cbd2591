"""The re-key calls of capacity and matching (docs/internal-api.md, "Client keys"): for intake's service
alone, bad pairs refused naming the field, and harmless to send again. And the one change PostgreSQL
lets anyone make to the append-only access log: an entry's pseudonym following its referral's."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from client_key_support import COORDINATOR, provider_with_unit, submit
from fastapi import FastAPI

from common.clock import ManualClock
from common.testing import bearer
from intake.db import access_log, referrals

FROM_INTAKE = bearer("service", org="regiepunt", sub="service:intake")
FROM_MATCHING = bearer("service", org="regiepunt", sub="service:matching")
FROM_CAPACITY = bearer("service", org="regiepunt", sub="service:capacity")
REKEY = "/v1/client-keys/rekey"


async def _reservation_keyed(capacity: httpx.AsyncClient, clock: ManualClock, client_key: str) -> dict[str, Any]:
    provider_id = await provider_with_unit(capacity, "De Linde")
    units = (await capacity.get("/v1/units", params={"provider_id": provider_id}, headers=COORDINATOR)).json()
    body = {
        "referral_id": str(uuid.uuid4()),
        "client_key": client_key,
        "expires_at": (clock.now() + timedelta(hours=1)).isoformat(),
    }
    made = await capacity.post(f"/v1/units/{units['items'][0]['id']}/reservations", json=body, headers=FROM_INTAKE)
    assert made.status_code == 201, made.text
    reservation: dict[str, Any] = made.json()
    return reservation


async def _decision_keyed(matching: httpx.AsyncClient, clock: ManualClock, client_key: str) -> str:
    referral_id = str(uuid.uuid4())
    body = {
        "request_id": f"{referral_id}:attempt-1",
        "referral_id": referral_id,
        "client_key": client_key,
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
        "hold_until": (clock.now() + timedelta(hours=72)).isoformat(),
    }
    decided = await matching.post("/v1/decisions", json=body, headers=FROM_INTAKE)
    assert decided.status_code == 200, decided.text
    return referral_id


async def _matching_keys(matching_app: FastAPI) -> list[str]:
    async with matching_app.state.database.engine.connect() as connection:
        return [str(key) for key in (await connection.execute(sa.text("SELECT client_key FROM decisions"))).scalars()]


async def test_capacity_rekeys_reservations_and_stays_once_for_intake_only(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    reservation = await _reservation_keyed(capacity, clock, "ck-old")
    pairs = {"pairs": [{"old": "ck-old", "new": "ck-new"}, {"old": "ck-gone", "new": "ck-other"}]}
    for caller in (FROM_MATCHING, FROM_CAPACITY, COORDINATOR):
        refused = await capacity.post(REKEY, json=pairs, headers=caller)
        assert refused.status_code == 403, refused.text
    first = await capacity.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (first.status_code, first.json()) == (200, {"updated": 1})
    again = await capacity.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (again.status_code, again.json()) == (200, {"updated": 0})
    read = await capacity.get(f"/v1/reservations/{reservation['id']}", headers=COORDINATOR)
    assert read.json()["client_key"] == "ck-new"


async def test_matching_rekeys_decisions_once_for_intake_only(
    matching: httpx.AsyncClient, matching_app: FastAPI, clock: ManualClock
) -> None:
    await _decision_keyed(matching, clock, "ck-old")
    pairs = {"pairs": [{"old": "ck-old", "new": "ck-new"}]}
    for caller in (FROM_MATCHING, FROM_CAPACITY, COORDINATOR):
        refused = await matching.post(REKEY, json=pairs, headers=caller)
        assert refused.status_code == 403, refused.text
    assert await _matching_keys(matching_app) == ["ck-old"]
    first = await matching.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (first.status_code, first.json()) == (200, {"updated": 1})
    again = await matching.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (again.status_code, again.json()) == (200, {"updated": 0})
    assert await _matching_keys(matching_app) == ["ck-new"]


async def test_matching_rekeys_the_children_of_a_group_decision(
    matching: httpx.AsyncClient, matching_app: FastAPI, clock: ManualClock
) -> None:
    group_id = str(uuid.uuid4())
    child = {"care_type": "residential", "target_group": "jo", "age": 12, "municipality_code": "GM0518"}
    body = {
        "request_id": f"{group_id}:attempt-1",
        "group_id": group_id,
        "hold_until": (clock.now() + timedelta(hours=72)).isoformat(),
        "children": [
            {**child, "referral_id": str(uuid.uuid4()), "client_key": "ck-old-sister"},
            {**child, "referral_id": str(uuid.uuid4()), "client_key": "ck-brother"},
        ],
    }
    decided = await matching.post("/v1/group-decisions", json=body, headers=FROM_INTAKE)
    assert decided.status_code == 200, decided.text
    pairs = {"pairs": [{"old": "ck-old-sister", "new": "ck-new-sister"}]}
    first = await matching.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (first.status_code, first.json()) == (200, {"updated": 1})
    again = await matching.post(REKEY, json=pairs, headers=FROM_INTAKE)
    assert (again.status_code, again.json()) == (200, {"updated": 0})
    async with matching_app.state.database.engine.connect() as connection:
        stored = (await connection.execute(sa.text("SELECT children FROM group_decisions"))).scalar_one()
    text = stored if isinstance(stored, str) else str(stored)
    assert "ck-new-sister" in text and "ck-brother" in text and "ck-old-sister" not in text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"pairs": []}, "pairs"),
        ({}, "pairs"),
        ({"pairs": [{"old": "ck-old"}]}, "pairs[0].new"),
        ({"pairs": [{"old": "ck-old", "new": "k" * 129}]}, "pairs[0].new"),
        ({"pairs": [{"old": "", "new": "ck-new"}]}, "pairs[0].old"),
        ({"pairs": [{"old": "ck-old", "new": "ck-new", "bsn": "111222333"}]}, "pairs[0].bsn"),
        ({"pairs": [{"old": f"ck-{n}", "new": "ck-new"} for n in range(1001)]}, "pairs"),
    ],
)
async def test_rekey_refuses_bad_pairs_naming_the_field(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    for service in (capacity, matching):
        refused = await service.post(REKEY, json=body, headers=FROM_INTAKE)
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert field in [error["field"] for error in refused.json()["errors"]], refused.text


@pytest.mark.postgresql_only("the trigger is PostgreSQL's; SQLite relies on there being no API for it")
async def test_access_log_lets_only_an_entrys_pseudonym_follow_its_referral(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity, "De Linde")
    referral = await submit(intake, "430530419")
    engine = intake_app.state.database.engine
    assert engine.dialect.name == "postgresql"
    of_the_referral = access_log.c.referral_id == referral["id"]

    async def refused(statement: sa.Executable) -> None:
        try:
            async with engine.begin() as connection:
                await connection.execute(statement)
        except Exception as exc:
            assert "append-only" in str(exc)
        else:
            raise AssertionError("the access log was changed")

    # Not to a key its referral does not carry, not with anything else, and never deleted.
    await refused(sa.update(access_log).where(of_the_referral).values(client_key="ck-made-up"))
    await refused(sa.update(access_log).where(of_the_referral).values(client_key=None))
    await refused(sa.update(access_log).where(of_the_referral).values(client_key="ck-new", action="read"))
    await refused(sa.delete(access_log).where(of_the_referral))
    async with engine.begin() as connection:
        rekeyed = sa.update(referrals).where(referrals.c.id == referral["id"]).values(client_key="ck-new")
        await connection.execute(rekeyed)
        await connection.execute(sa.update(access_log).where(of_the_referral).values(client_key="ck-new"))
    await refused(sa.update(access_log).where(of_the_referral).values(sub="someone else", client_key="ck-new"))
    async with engine.connect() as connection:
        keys = (await connection.execute(sa.select(access_log.c.client_key).where(of_the_referral))).scalars().all()
    assert keys and set(keys) == {"ck-new"}
