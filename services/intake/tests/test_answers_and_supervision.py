"""Answers with reasons and one-on-one supervision through HTTP: a decline's reason code (default
`other`, unknown ones refused naming `reason_code`), the hours of one-on-one supervision per ISO week
by the provider of the placement only, and whether a placement's provider was contracted."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    REFERRER,
    create_provider,
    create_unit,
    provider_headers,
    provider_with_unit,
    submitted,
)

from common.clock import ManualClock
from intake.db import proposal_declines


def _fields(response: httpx.Response) -> list[str]:
    return [error["field"] for error in response.json()["errors"]]


async def _declines(intake_app: FastAPI) -> list[dict[str, Any]]:
    async with intake_app.state.database.read() as session:
        rows = (await session.execute(sa.select(proposal_declines))).mappings().all()
    return [dict(row) for row in rows]


async def test_a_decline_keeps_its_reason_code_and_the_free_text_stays_optional(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity, capacity=2)
    first = await submitted(intake)
    second = await submitted(intake)
    headers = provider_headers(provider_id)

    coded = await intake.post(
        f"/v1/referrals/{first['id']}/decline",
        json={"reason_code": "no_free_place", "reason": "Groep is vol na een spoedopname."},
        headers=headers,
    )
    bare = await intake.post(f"/v1/referrals/{second['id']}/decline", json={}, headers=headers)

    assert coded.status_code == 200, coded.text
    assert bare.status_code == 200, bare.text
    stored = {row["referral_id"]: row for row in await _declines(intake_app)}
    assert stored[first["id"]]["reason_code"] == "no_free_place"
    assert stored[first["id"]]["reason"] == "Groep is vol na een spoedopname."
    assert (stored[second["id"]]["reason_code"], stored[second["id"]]["reason"]) == ("other", None)
    assert stored[first["id"]]["unit_id"] == unit["id"] and stored[first["id"]]["provider_id"] == provider_id


async def test_every_decline_code_of_the_vocabulary_is_accepted(intake: httpx.AsyncClient) -> None:
    codes = [
        term["code"] for term in (await intake.get("/v1/vocabulary", headers=COORDINATOR)).json()["decline_reasons"]
    ]
    assert codes == [
        "no_free_place",
        "needs_not_met",
        "group_composition",
        "staffing",
        "child_or_family_wishes",
        "safety",
        "other",
    ]


async def test_an_unknown_reason_code_is_refused_naming_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, _ = await provider_with_unit(capacity)
    referral = await submitted(intake)

    refused = await intake.post(
        f"/v1/referrals/{referral['id']}/decline",
        json={"reason_code": "too_busy", "reason": "Druk."},
        headers=provider_headers(provider_id),
    )

    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert _fields(refused) == ["reason_code"]
    assert await _declines(intake_app) == []
    still = await intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER)
    assert still.json()["status"] == "proposed"


async def _placed(intake: httpx.AsyncClient, capacity: httpx.AsyncClient, **unit: Any) -> tuple[str, dict[str, Any]]:
    provider_id, _ = await provider_with_unit(capacity, **unit)
    referral = await submitted(intake)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-10-26"},
        headers=provider_headers(provider_id),
    )
    assert accepted.status_code == 200, accepted.text
    return provider_id, accepted.json()


async def test_the_provider_of_the_placement_records_hours_per_iso_week(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, referral = await _placed(intake, capacity)
    path = f"/v1/referrals/{referral['id']}/one-on-one"
    headers = provider_headers(provider_id)

    first = await intake.put(path, json={"week": "2026-W44", "hours": 6}, headers=headers)
    again = await intake.put(path, json={"week": "2026-W44", "hours": 10.5}, headers=headers)
    other = await intake.put(path, json={"week": "2026-W45", "hours": 0}, headers=headers)

    assert first.status_code == 200, first.text
    assert again.status_code == 200 and other.status_code == 200
    assert again.json()["week_start"] == "2026-10-26" and again.json()["hours"] == 10.5
    listed = await intake.get(path, headers=COORDINATOR)
    assert [(w["week"], w["hours"]) for w in listed.json()["items"]] == [("2026-W45", 0.0), ("2026-W44", 10.5)]
    assert (await intake.get(path, headers=REFERRER)).status_code == 200
    assert (await intake.get(path, headers=OTHER_REFERRER)).status_code == 404


async def test_bad_weeks_and_hours_are_refused_naming_the_field(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider_id, referral = await _placed(intake, capacity)
    path = f"/v1/referrals/{referral['id']}/one-on-one"
    headers = provider_headers(provider_id)

    async def refused(body: dict[str, Any]) -> list[str]:
        answer = await intake.put(path, json=body, headers=headers)
        assert answer.status_code == 422, answer.text
        return _fields(answer)

    assert await refused({"week": "2026-49", "hours": 4}) == ["week"]
    assert await refused({"week": "2026-W54", "hours": 4}) == ["week"]
    assert await refused({"week": "2025-W53", "hours": 4}) == ["week"]  # 2025 has 52 ISO weeks
    assert await refused({"week": "2026-W42", "hours": 4}) == ["week"]  # before the stay began
    assert await refused({"week": "2026-W46", "hours": 4}) == ["week"]  # in the future
    assert await refused({"week": "2026-W45", "hours": -1}) == ["hours"]
    assert await refused({"week": "2026-W45", "hours": 168.5}) == ["hours"]
    assert await refused({"week": "2026-W45"}) == ["hours"]
    assert await refused({"hours": 3}) == ["week"]
    assert (await intake.put(path, json={"week": "2026-W45", "hours": 168}, headers=headers)).status_code == 200
    clock.advance(timedelta(days=7))
    assert (await intake.put(path, json={"week": "2026-W46", "hours": 2}, headers=headers)).status_code == 200


async def test_only_the_provider_of_a_placement_records_hours(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, referral = await _placed(intake, capacity)
    path = f"/v1/referrals/{referral['id']}/one-on-one"
    body = {"week": "2026-W45", "hours": 3}
    stranger = await create_provider(capacity, name="Elders")

    assert (await intake.put(path, json=body, headers=COORDINATOR)).status_code == 403
    assert (await intake.put(path, json=body, headers=REFERRER)).status_code == 403
    assert (await intake.put(path, json=body)).status_code == 401
    # A provider the child was never proposed to cannot see the referral at all.
    assert (await intake.put(path, json=body, headers=provider_headers(stranger))).status_code == 404
    assert (
        await intake.put("/v1/referrals/none/one-on-one", json=body, headers=provider_headers(provider_id))
    ).status_code == 404

    proposed_only = await submitted(intake)
    waiting = await intake.put(
        f"/v1/referrals/{proposed_only['id']}/one-on-one", json=body, headers=provider_headers(provider_id)
    )
    # Proposed to the provider (its second place), not placed: the state forbids it.
    assert waiting.status_code in (404, 409), waiting.text


async def test_a_provider_that_declined_and_so_still_sees_the_child_may_not_record_its_hours(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    first_provider, _ = await provider_with_unit(capacity)
    referral = await submitted(intake)
    second_provider, _ = await provider_with_unit(capacity)
    declined = await intake.post(
        f"/v1/referrals/{referral['id']}/decline",
        json={"reason_code": "staffing"},
        headers=provider_headers(first_provider),
    )
    assert declined.json()["proposal"]["provider_id"] == second_provider
    placed = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(second_provider),
    )
    assert placed.status_code == 200, placed.text
    path = f"/v1/referrals/{referral['id']}/one-on-one"

    refused = await intake.put(path, json={"week": "2026-W45", "hours": 3}, headers=provider_headers(first_provider))

    assert refused.status_code == 403
    assert (await intake.get(path, headers=provider_headers(first_provider))).json()["items"] == []


async def test_a_placement_keeps_whether_its_provider_was_contracted(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id = await create_provider(capacity, name="Buiten contract")
    await create_unit(capacity, provider_id)
    changed = await capacity.patch(f"/v1/providers/{provider_id}", json={"contracted": False}, headers=COORDINATOR)
    assert changed.status_code == 200
    referral = await submitted(intake)
    placed = await intake.post(
        f"/v1/referrals/{referral['id']}/accept",
        json={"start_date": "2026-11-02"},
        headers=provider_headers(provider_id),
    )
    assert placed.status_code == 200, placed.text
    assert placed.json()["placement"]["contracted"] is False

    # Contracted later: the placement keeps what held when the child was placed.
    await capacity.patch(f"/v1/providers/{provider_id}", json={"contracted": True}, headers=COORDINATOR)
    read = await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)
    assert read.json()["placement"]["contracted"] is False
    _, contracted = await _placed(intake, capacity)
    assert contracted["placement"]["contracted"] is True
