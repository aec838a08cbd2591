"""Rotating the client key without losing a child's history: intake restarted with a new secret finds
the child's earlier stays at once (its rows are re-keyed in the submission's transaction), and its
workers re-key every pseudonym of the three services by themselves, through capacity being out of
reach for a while. Afterwards no table anywhere holds a pseudonym of the old key, and re-keying again
changes nothing. (The command, as a process of its own: test_client_key_rekey_command.py.)"""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import sqlalchemy as sa
from client_key_support import (
    CHILD_FROM_BEFORE_KEY_IDS,
    CHILD_WITH_HISTORY,
    COORDINATOR,
    ROTATED_SECRET,
    accept,
    assert_only_current_keys,
    children_with_history,
    end,
    intake_with_secret,
    known_providers_in_matching,
    open_signals,
    provider_with_unit,
    snapshot,
    stored_client_keys,
    submit,
)
from fastapi import FastAPI

from common.clock import ManualClock
from intake import domain, workers
from intake.db import client_key_changes, signals
from intake.indicators import days

# A port nothing listens on: capacity is out of reach there (connection refused, at once).
CAPACITY_DOWN = "http://127.0.0.1:9"


async def _rekey_until_done(app: FastAPI, rounds: int = 10) -> int:
    """The workers' step, round after round, until a round finds nothing to do; how many rounds worked."""
    for round_ in range(rounds):
        if await workers.rekey_client_keys(app) == 0:
            return round_
    raise AssertionError(f"still re-keying after {rounds} rounds")


async def _waiting_pairs(app: FastAPI) -> dict[str, int]:
    async with app.state.database.engine.connect() as connection:
        rows = await connection.execute(
            sa.select(client_key_changes.c.service, sa.func.count()).group_by(client_key_changes.c.service)
        )
        return {str(service): int(count) for service, count in rows.all()}


async def _totals_agree(app: FastAPI) -> None:
    """The indicators' per-day totals still add up to what the re-keyed stays give (intake.indicators.days)."""
    async with app.state.database.read() as session:
        assert await days.kept(session) == await days.recomputed(session)


async def test_after_rotation_a_child_keeps_its_history_and_the_workers_rekey_every_service(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    clock: ManualClock,
) -> None:
    apps = {"intake": intake_app, "capacity": capacity_app, "matching": matching_app}
    first_secret = intake_app.state.settings.client_key_secret
    history = await children_with_history(intake, capacity, apps, first_secret)
    # The workers ran under the first key: it is the one adopted, and the pseudonyms from before key
    # ids were re-keyed to it.
    await _rekey_until_done(intake_app)
    assert not await _waiting_pairs(intake_app)
    await assert_only_current_keys(apps, first_secret, history.old_keys[-1:])

    async with intake_with_secret(intake_app, capacity_app, matching_app, clock, ROTATED_SECRET) as (rotated, client):
        # Before any re-keying: a new referral for the child finds the stay it is in and the one it
        # ended; matching is told the providers the child knows.
        again = await submit(client, CHILD_WITH_HISTORY)
        assert "onward_placement" in await open_signals(client, again["id"])
        known = await known_providers_in_matching(matching_app, again["id"])
        assert {history.ended["proposal"]["provider_id"], history.running["proposal"]["provider_id"]} <= known
        # Placed while the earlier stay runs: stacking; the earlier stay ends: two stays in a year.
        await accept(client, again, "2026-11-02")
        assert "stacking" in await open_signals(client, again["id"])
        await end(client, history.running["id"], "2026-11-02", reason="onward_placement")
        assert "repeated_placements" in await open_signals(client, history.running["id"])

        # The workers of an intake that cannot reach capacity re-key intake and matching, and keep
        # capacity's pairs until it can be reached.
        async with intake_with_secret(
            intake_app, capacity_app, matching_app, clock, ROTATED_SECRET, capacity_url=CAPACITY_DOWN
        ) as (cut_off, _):
            await _rekey_until_done(cut_off)
            waiting = await _waiting_pairs(cut_off)
        assert waiting.get("capacity", 0) >= 3 and "matching" not in waiting, waiting
        keys = await stored_client_keys(apps)
        rotated_id = domain.client_key_id(ROTATED_SECRET)
        assert all(domain.made_with(key, rotated_id) for key in keys["intake"] | keys["matching"])
        assert any(key in keys["capacity"] for key in history.old_keys)

        # Back in reach: the pairs go once their pause is over, not before.
        await workers.rekey_client_keys(rotated)
        assert await _waiting_pairs(rotated) == waiting
        clock.advance(timedelta(minutes=1))
        await _rekey_until_done(rotated)
        assert not await _waiting_pairs(rotated)
        await assert_only_current_keys(apps, ROTATED_SECRET, history.old_keys)

        # Once more, and by the first key's workers (a replica not restarted yet): nothing changes.
        before = await snapshot(apps)
        assert await _rekey_until_done(rotated) == 0
        assert await _rekey_until_done(intake_app) == 0
        assert await snapshot(apps) == before

        # The child's history is whole under the new key: one child, one pseudonym, everywhere.
        signals = (await client.get("/v1/signals", params={"limit": 200}, headers=COORDINATOR)).json()["items"]
        of_the_child = {s["client_key"] for s in signals if s["referral_id"] in (again["id"], history.running["id"])}
        assert of_the_child == {domain.client_key(ROTATED_SECRET, CHILD_WITH_HISTORY)}
        await _totals_agree(rotated)


async def test_a_child_whose_pseudonyms_predate_key_ids_is_rekeyed_and_found(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    clock: ManualClock,
) -> None:
    """Pseudonyms stored before they named their key (a bare digest) count as an earlier key's: the
    first workers after the upgrade re-key them, with the same secret."""
    apps = {"intake": intake_app, "capacity": capacity_app, "matching": matching_app}
    secret = intake_app.state.settings.client_key_secret
    history = await children_with_history(intake, capacity, apps, secret)
    bare = domain.client_key(secret, CHILD_FROM_BEFORE_KEY_IDS).split(".", 1)[1]
    assert bare in (await stored_client_keys(apps))["capacity"]
    await _rekey_until_done(intake_app)
    await assert_only_current_keys(apps, secret, [bare])
    assert history.from_before_key_ids["id"]
    await _totals_agree(intake_app)


async def test_a_condition_open_under_both_keys_keeps_both_tasks_for_the_coordinator(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    clock: ManualClock,
) -> None:
    """Two stays ended in a year opened `repeated_placements` under the first key; the same condition was
    opened under the new key too (by a replica already restarted, before the re-keying reached the
    child). Re-keying keeps both open, and the database's one-open-signal-per-condition rule holds."""
    for name in ("De Linde", "Het Anker"):
        await provider_with_unit(capacity, name)
    first = await submit(intake, CHILD_WITH_HISTORY)
    await accept(intake, first, "2026-09-07")
    await end(intake, first["id"], "2026-10-01")
    second = await submit(intake, CHILD_WITH_HISTORY)
    await accept(intake, second, "2026-10-01")
    await end(intake, second["id"], "2026-10-20")
    old_key = domain.client_key(intake_app.state.settings.client_key_secret, CHILD_WITH_HISTORY)
    new_key = domain.client_key(ROTATED_SECRET, CHILD_WITH_HISTORY)
    async with intake_app.state.database.engine.begin() as connection:
        (opened,) = (
            (await connection.execute(sa.select(signals).where(signals.c.type == "repeated_placements")))
            .mappings()
            .all()
        )
        twin = {**opened, "id": str(uuid.uuid4()), "client_key": new_key}
        twin["condition_key"] = twin["open_key"] = opened["open_key"].replace(old_key, new_key)
        await connection.execute(sa.insert(signals).values(**twin))

    async with intake_with_secret(intake_app, capacity_app, matching_app, clock, ROTATED_SECRET) as (rotated, client):
        await _rekey_until_done(rotated)
        listed = await client.get(
            "/v1/signals", params={"type": "repeated_placements", "status": "open"}, headers=COORDINATOR
        )
    found = listed.json()["items"]
    assert len(found) == 2 and {signal["client_key"] for signal in found} == {new_key}
    async with intake_app.state.database.engine.connect() as connection:
        open_keys = (await connection.execute(sa.select(signals.c.open_key))).scalars().all()
    assert sorted(open_keys, key=str) == sorted([None, f"repeated_placements:{new_key}:"], key=str)
