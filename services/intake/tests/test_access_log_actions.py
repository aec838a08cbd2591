"""Every use case that touches a child's file leaves its row in the access log: who (sub), what
(action) and whose file (referral id). One test per use case, each through HTTP, so that a use case
that stops logging fails its own test by name."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    REFERRER,
    provider_headers,
    provider_with_unit,
    referral_body,
    submit,
    submitted,
)

from common.clock import ManualClock
from intake.db import access_log
from intake.workers import expire_proposals

SYSTEM_SUB = "system:intake"


@dataclass
class Platform:
    intake: httpx.AsyncClient
    capacity: httpx.AsyncClient
    app: FastAPI
    clock: ManualClock


@dataclass(frozen=True)
class Done:
    """What a use case did: the action it must have logged, by whom, for which referral."""

    action: str
    sub: str
    referral_id: str


async def _proposed(p: Platform, **unit: object) -> tuple[str, dict[str, str]]:
    provider_id, _unit = await provider_with_unit(p.capacity, role="strategic", **unit)
    referral = await submitted(p.intake, referral_body(care_type=str(unit.get("care_type", "residential"))))
    assert referral["status"] == "proposed", referral
    return referral["id"], provider_headers(provider_id)


async def _placed(p: Platform, **unit: object) -> tuple[str, dict[str, str]]:
    referral_id, headers = await _proposed(p, **unit)
    accepted = await p.intake.post(
        f"/v1/referrals/{referral_id}/accept", json={"start_date": "2026-11-02"}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    return referral_id, headers


async def _ok(response: Awaitable[httpx.Response], status: int = 200) -> httpx.Response:
    answered = await response
    assert answered.status_code == status, answered.text
    return answered


async def create(p: Platform) -> Done:
    referral = await submitted(p.intake)
    return Done("create", "anna", referral["id"])


async def create_repeated(p: Platform) -> Done:
    first = await submitted(p.intake, key="same-request")
    again = await _ok(submit(p.intake, key="same-request"), 201)
    assert again.json()["id"] == first["id"]
    return Done("create_repeated", "anna", first["id"])


async def propose(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    return Done("propose", SYSTEM_SUB, referral_id)


async def unmatched(p: Platform) -> Done:
    referral = await submitted(p.intake)
    assert referral["status"] == "unmatched"
    return Done("unmatched", SYSTEM_SUB, referral["id"])


async def read(p: Platform) -> Done:
    referral = await submitted(p.intake)
    await _ok(p.intake.get(f"/v1/referrals/{referral['id']}", headers=REFERRER))
    return Done("read", "anna", referral["id"])


async def list_(p: Platform) -> Done:
    referral = await submitted(p.intake)
    listed = await _ok(p.intake.get("/v1/referrals", headers=COORDINATOR))
    assert referral["id"] in [r["id"] for r in listed.json()["items"]]
    return Done("list", "coco", referral["id"])


async def read_access_log(p: Platform) -> Done:
    referral = await submitted(p.intake)
    await _ok(p.intake.get(f"/v1/referrals/{referral['id']}/access-log", headers=COORDINATOR))
    return Done("read_access_log", "coco", referral["id"])


async def read_decisions(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    await _ok(p.intake.get(f"/v1/referrals/{referral_id}/decision", headers=COORDINATOR))
    return Done("read_decisions", "coco", referral_id)


async def accept(p: Platform) -> Done:
    referral_id, _headers = await _placed(p)
    return Done("accept", "piet", referral_id)


async def decline(p: Platform) -> Done:
    referral_id, headers = await _proposed(p)
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/decline", json={"reason": "Vol."}, headers=headers))
    return Done("decline", "piet", referral_id)


async def expire(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    p.clock.advance(timedelta(hours=73))
    assert await expire_proposals(p.app) == 1
    return Done("expire", SYSTEM_SUB, referral_id)


async def withdraw(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/withdraw", headers=REFERRER))
    return Done("withdraw", "anna", referral_id)


async def withdraw_by_coordinator(p: Platform) -> Done:
    referral = await submitted(p.intake)
    await _ok(p.intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=COORDINATOR))
    return Done("withdraw", "coco", referral["id"])


async def end(p: Platform) -> Done:
    referral_id, headers = await _placed(p)
    body = {"end_date": "2026-11-02", "reason": "returned_home"}
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/end", json=body, headers=headers))
    return Done("end", "piet", referral_id)


async def end_by_referrer(p: Platform) -> Done:
    referral_id, _headers = await _placed(p)
    body = {"end_date": "2026-11-02", "reason": "onward_placement"}
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/end", json=body, headers=REFERRER))
    return Done("end", "anna", referral_id)


async def extend_crisis(p: Platform) -> Done:
    referral_id, _headers = await _placed(p, care_type="crisis")
    body = {"days": 7, "reason": "Vervolgplek start over een week."}
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/extend-crisis", json=body, headers=COORDINATOR))
    return Done("extend_crisis", "coco", referral_id)


async def raise_signal(p: Platform) -> Done:
    referral_id, headers = await _placed(p)
    body = {"type": "placement_at_risk", "note": "Escalaties in de groep."}
    await _ok(p.intake.post(f"/v1/referrals/{referral_id}/signals", json=body, headers=headers), 201)
    return Done("raise_signal", "piet", referral_id)


async def offer(p: Platform) -> Done:
    waiting = await submitted(p.intake)
    assert waiting["status"] == "unmatched"
    provider_id, unit = await provider_with_unit(p.capacity, role="tactical")
    headers = provider_headers(provider_id)
    await _ok(p.intake.post(f"/v1/referrals/{waiting['id']}/offer", json={"unit_id": unit["id"]}, headers=headers))
    return Done("offer", "piet", waiting["id"])


async def read_signals(p: Platform) -> Done:
    waiting = await submitted(p.intake)  # unmatched: the joint duty to place opens a signal
    listed = await _ok(p.intake.get("/v1/signals", headers=COORDINATOR))
    assert waiting["id"] in [s["referral_id"] for s in listed.json()["items"]]
    return Done("read_signals", "coco", waiting["id"])


async def acknowledge_signal(p: Platform) -> Done:
    waiting = await submitted(p.intake)
    listed = (await _ok(p.intake.get("/v1/signals", headers=COORDINATOR))).json()["items"]
    signal_id = next(s["id"] for s in listed if s["referral_id"] == waiting["id"])
    body = {"analysis": "Geen passende plek in de regio; gesprek met aanbieders gepland."}
    await _ok(p.intake.post(f"/v1/signals/{signal_id}/acknowledge", json=body, headers=COORDINATOR))
    return Done("acknowledge_signal", "coco", waiting["id"])


async def export_placements(p: Platform) -> Done:
    referral_id, _headers = await _placed(p)
    await _ok(p.intake.get("/v1/exports/placements.csv", headers=COORDINATOR))
    return Done("export_placements", "coco", referral_id)


async def export_signals(p: Platform) -> Done:
    waiting = await submitted(p.intake)
    await _ok(p.intake.get("/v1/exports/signals.csv", headers=COORDINATOR))
    return Done("export_signals", "coco", waiting["id"])


async def dashboard_overview(p: Platform) -> Done:
    waiting = await submitted(p.intake)
    await _ok(p.intake.get("/dashboard", headers=COORDINATOR))
    return Done("list", "coco", waiting["id"])


async def dashboard_referral_read(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    await _ok(p.intake.get(f"/dashboard/referrals/{referral_id}", headers=COORDINATOR))
    return Done("read", "coco", referral_id)


async def dashboard_referral_history(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    await _ok(p.intake.get(f"/dashboard/referrals/{referral_id}", headers=COORDINATOR))
    return Done("read_access_log", "coco", referral_id)


async def dashboard_referral_decisions(p: Platform) -> Done:
    referral_id, _headers = await _proposed(p)
    await _ok(p.intake.get(f"/dashboard/referrals/{referral_id}", headers=COORDINATOR))
    return Done("read_decisions", "coco", referral_id)


USE_CASES: dict[str, Callable[[Platform], Awaitable[Done]]] = {
    case.__name__.rstrip("_"): case
    for case in (
        create,
        create_repeated,
        propose,
        unmatched,
        read,
        list_,
        read_access_log,
        read_decisions,
        accept,
        decline,
        expire,
        withdraw,
        withdraw_by_coordinator,
        end,
        end_by_referrer,
        extend_crisis,
        raise_signal,
        offer,
        read_signals,
        acknowledge_signal,
        export_placements,
        export_signals,
        dashboard_overview,
        dashboard_referral_read,
        dashboard_referral_history,
        dashboard_referral_decisions,
    )
}


@pytest.mark.parametrize("use_case", list(USE_CASES))
async def test_use_case_writes_its_access_log_row(
    use_case: str,
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    clock: ManualClock,
) -> None:
    done = await USE_CASES[use_case](Platform(intake, capacity, intake_app, clock))
    async with intake_app.state.database.engine.connect() as connection:
        rows = await connection.execute(
            sa.select(access_log.c.action, access_log.c.sub, access_log.c.referral_id).order_by(access_log.c.seq)
        )
        logged = [(row.action, row.sub, row.referral_id) for row in rows]
    assert (done.action, done.sub, done.referral_id) in logged, f"no {done.action!r} row by {done.sub}: {logged}"
