"""What the client-key rotation tests share: children with a history of stays made through the real
APIs, intake started again with another secret against the same databases, and every stored cell of
the three databases read back to find any pseudonym of an earlier key."""

from __future__ import annotations

import contextlib
import itertools
import json
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from common.clock import ManualClock
from common.testing import bearer
from intake import domain
from intake.main import create_app
from intake.settings import IntakeSettings
from matching.record import candidates as read_weighed

COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
REFERRER = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")
ROTATED_SECRET = "regiepunt-test-client-key-secret-after-rotation"

# Valid BSNs (eleven-test): a child with a running stay and an ended one, a child with a running stay,
# and a child whose pseudonyms were stored before they named their key (a bare digest).
CHILD_WITH_HISTORY = "430530419"
CHILD_PLACED = "816782763"
CHILD_FROM_BEFORE_KEY_IDS = "568804211"

_agb_numbers = itertools.count(40_000_001)


def provider_headers(provider_id: str) -> dict[str, str]:
    return bearer("provider", org=f"org-{provider_id[:8]}", sub="piet", provider_id=provider_id)


async def provider_with_unit(capacity: httpx.AsyncClient, name: str) -> str:
    made = await capacity.post(
        "/v1/providers",
        json={"name": name, "agb_code": str(next(_agb_numbers)), "role": "tactical"},
        headers=COORDINATOR,
    )
    assert made.status_code == 201, made.text
    provider_id = str(made.json()["id"])
    unit = await capacity.post(
        f"/v1/providers/{provider_id}/units",
        json={
            "name": f"Groep {name}",
            "care_type": "residential",
            "target_groups": ["jo"],
            "age_min": 10,
            "age_max": 17,
            "municipality_code": "GM0518",
            "capacity": 6,
            "specialisms": ["trauma"],
            "part_time": False,
        },
        headers=COORDINATOR,
    )
    assert unit.status_code == 201, unit.text
    return provider_id


async def submit(intake: httpx.AsyncClient, bsn: str) -> dict[str, Any]:
    body = {
        "client": {"bsn": bsn, "birth_date": "2012-05-01", "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "part_time": False,
        "requested_start": "2026-12-01",
        "out_of_region": None,
        "notes": None,
    }
    # With an Idempotency-Key: its stored answer is one more place a pseudonym could hide.
    headers = {**REFERRER, "Idempotency-Key": str(uuid.uuid4())}
    response = await intake.post("/v1/referrals", json=body, headers=headers)
    assert response.status_code == 201, response.text
    referral: dict[str, Any] = response.json()
    assert referral["status"] == "proposed", referral
    return referral


async def accept(intake: httpx.AsyncClient, referral: dict[str, Any], start_date: str) -> None:
    headers = provider_headers(referral["proposal"]["provider_id"])
    response = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": start_date}, headers=headers
    )
    assert response.status_code == 200, response.text


async def end(intake: httpx.AsyncClient, referral_id: str, end_date: str, reason: str = "returned_home") -> None:
    response = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": end_date, "reason": reason}, headers=COORDINATOR
    )
    assert response.status_code == 200, response.text


@dataclass
class History:
    """The children's referrals made under the first key, by name."""

    ended: dict[str, Any]
    running: dict[str, Any]
    placed_elsewhere: dict[str, Any]
    from_before_key_ids: dict[str, Any]
    old_keys: list[str]


async def children_with_history(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, apps: dict[str, FastAPI], secret: str
) -> History:
    """Under the first key: a child with an ended stay and a running one, another child placed, and
    a third proposed whose pseudonyms are then stored as a bare digest, as before they named a key."""
    for name in ("De Linde", "Het Anker", "De Meander"):
        await provider_with_unit(capacity, name)
    ended = await submit(intake, CHILD_WITH_HISTORY)
    await accept(intake, ended, "2026-09-07")
    await end(intake, ended["id"], "2026-10-01")
    running = await submit(intake, CHILD_WITH_HISTORY)
    await accept(intake, running, "2026-10-01")
    placed_elsewhere = await submit(intake, CHILD_PLACED)
    await accept(intake, placed_elsewhere, "2026-10-15")
    from_before = await submit(intake, CHILD_FROM_BEFORE_KEY_IDS)
    keyed = domain.client_key(secret, CHILD_FROM_BEFORE_KEY_IDS)
    bare = keyed.split(".", 1)[1]
    await replace_everywhere(apps, keyed, bare)
    old_keys = [domain.client_key(secret, CHILD_WITH_HISTORY), domain.client_key(secret, CHILD_PLACED), keyed, bare]
    return History(ended, running, placed_elsewhere, from_before, old_keys)


# Where each service keeps a pseudonym (the security test below also reads every other cell).
CLIENT_KEY_COLUMNS = {
    "intake": ("referrals", "signals", "access_log"),
    "capacity": ("reservations", "occupancies"),
    "matching": ("decisions",),
}


async def replace_everywhere(apps: dict[str, FastAPI], old: str, new: str) -> None:
    """Store `new` where `old` is stored, in every service (the referrals before the access log, whose
    trigger on PostgreSQL lets an entry's key follow its referral's only)."""
    for service, tables in CLIENT_KEY_COLUMNS.items():
        async with apps[service].state.database.engine.begin() as connection:
            for table in tables:
                await connection.execute(
                    sa.text(f"UPDATE {table} SET client_key = :new WHERE client_key = :old"), {"new": new, "old": old}
                )
            if service == "intake":
                await connection.execute(
                    sa.text("UPDATE signals SET condition_key = replace(condition_key, :old, :new)"),
                    {"old": f":{old}:", "new": f":{new}:"},
                )
                await connection.execute(
                    sa.text("UPDATE signals SET open_key = replace(open_key, :old, :new)"),
                    {"old": f":{old}:", "new": f":{new}:"},
                )


@contextlib.asynccontextmanager
async def intake_with_secret(
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    clock: ManualClock,
    secret: str,
    *,
    capacity_url: str | None = None,
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """Intake started again with another client-key secret, against the same database; with
    `capacity_url`, it calls capacity there over the network instead of in-process."""
    settings = IntakeSettings(
        intake_database_url=intake_app.state.database.url,
        data_dir=intake_app.state.settings.data_dir,
        run_workers=False,
        client_key_secret=secret,
        http_retries=1,
        **({"capacity_url": capacity_url} if capacity_url else {}),
    )
    app = create_app(
        settings,
        clock=clock,
        capacity_transport=None if capacity_url else httpx.ASGITransport(app=capacity_app),
        matching_transport=httpx.ASGITransport(app=matching_app),
    )
    app.state.clock = clock
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as client:
            yield app, client
    finally:
        await app.state.capacity.aclose()
        await app.state.matching.aclose()
        await app.state.database.dispose()


async def every_stored_value(app: FastAPI) -> list[tuple[str, str, str]]:
    """(table, column, text) of every cell of every table of a service's database, JSON decoded and
    matching's compressed candidate lists unpacked, so that a pseudonym anywhere is found."""

    def table_names(connection: sa.Connection) -> list[str]:
        return sorted(sa.inspect(connection).get_table_names())

    cells: list[tuple[str, str, str]] = []
    async with app.state.database.engine.connect() as connection:
        for name in await connection.run_sync(table_names):
            rows = await connection.execute(sa.text(f'SELECT * FROM "{name}"'))
            for row in rows.mappings():
                for column, value in row.items():
                    if value is None:
                        continue
                    if name == "decisions" and column == "weighed":
                        value = json.dumps(read_weighed(value), default=str)
                    elif isinstance(value, memoryview | bytes):
                        value = bytes(value).decode("latin-1")
                    elif isinstance(value, dict | list):
                        value = json.dumps(value, default=str)
                    cells.append((name, column, str(value)))
    return sorted(cells)


async def snapshot(apps: dict[str, FastAPI]) -> dict[str, list[tuple[str, str, str]]]:
    return {service: await every_stored_value(app) for service, app in apps.items()}


async def stored_client_keys(apps: dict[str, FastAPI]) -> dict[str, set[str]]:
    """Every pseudonym each service stores, from the columns that hold one."""
    found: dict[str, set[str]] = {}
    for service, tables in CLIENT_KEY_COLUMNS.items():
        async with apps[service].state.database.engine.connect() as connection:
            keys: set[str] = set()
            for table in tables:
                rows = await connection.execute(sa.text(f"SELECT client_key FROM {table} WHERE client_key IS NOT NULL"))
                keys.update(str(key) for key in rows.scalars())
        found[service] = keys
    return found


async def assert_only_current_keys(apps: dict[str, FastAPI], secret: str, old_keys: list[str]) -> None:
    """Every pseudonym of every service was made with `secret`, and no cell anywhere holds an old one."""
    key_id = domain.client_key_id(secret)
    for service, keys in (await stored_client_keys(apps)).items():
        assert keys, f"{service} stores no pseudonym at all: the check would prove nothing"
        stale = sorted(key for key in keys if not domain.made_with(key, key_id))
        assert not stale, f"{service} still stores pseudonyms of an earlier key: {stale}"
    # A whole pseudonym, not part of a longer one: under the same secret a bare digest is the tail of
    # the keyed pseudonym that replaces it.
    patterns = [re.compile(rf"(?<![0-9a-f.]){re.escape(old)}(?![0-9a-f])") for old in old_keys]
    for service, cells in (await snapshot(apps)).items():
        for table, column, text in cells:
            for pattern in patterns:
                assert not pattern.search(text), f"{service}.{table}.{column} still holds an old pseudonym"


async def open_signals(intake: httpx.AsyncClient, referral_id: str) -> set[str]:
    response = await intake.get("/v1/signals", params={"status": "open", "limit": 200}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    return {signal["type"] for signal in response.json()["items"] if signal["referral_id"] == referral_id}


async def known_providers_in_matching(matching_app: FastAPI, referral_id: str) -> set[str]:
    """The providers matching was told the child knows (continuity), as its decision stored them."""
    async with matching_app.state.database.engine.connect() as connection:
        found = await connection.execute(
            sa.select(sa.text("known_provider_ids"))
            .select_from(sa.text("decisions"))
            .where(sa.text("referral_id = :referral_id")),
            {"referral_id": referral_id},
        )
        stored = found.scalars().all()
    known: set[str] = set()
    for value in stored:
        known.update(json.loads(value) if isinstance(value, str) else value)
    return known
