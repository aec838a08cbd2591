"""A child's BSN and birth date stay in intake: capacity and matching know the child only by the
pseudonymous client key, and matching by an age. Every table of both databases is read back as it is
stored, whatever tables and columns they have by then, so a new column that copies the BSN is caught."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from common.clock import ManualClock
from common.testing import bearer
from matching.record import candidates as read_weighed

COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
REFERRER = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")

# Five children, each with a valid BSN (eleven-test) and a birth date of its own.
CHILDREN = {
    "proposed": ("430530419", "2012-05-01"),
    "placed": ("816782763", "2011-03-14"),
    "declined": ("568804211", "2010-07-23"),
    "ended": ("853864767", "2013-09-30"),
    "withdrawn": ("733120015", "2009-12-05"),
}


def _provider_headers(provider_id: str) -> dict[str, str]:
    return bearer("provider", org="Jeugdhuis", sub="piet", provider_id=provider_id)


async def _provider_with_unit(capacity: httpx.AsyncClient, agb_code: str, name: str) -> str:
    made = await capacity.post(
        "/v1/providers", json={"name": name, "agb_code": agb_code, "role": "tactical"}, headers=COORDINATOR
    )
    assert made.status_code == 201, made.text
    provider_id = str(made.json()["id"])
    unit = await capacity.post(
        f"/v1/providers/{provider_id}/units",
        json={
            "name": f"Groep {name}",
            "care_type": "residential",
            "target_groups": ["jo"],
            "age_min": 12,
            "age_max": 17,
            "municipality_code": "GM0518",
            "capacity": 5,
            "specialisms": ["trauma"],
            "part_time": False,
        },
        headers=COORDINATOR,
    )
    assert unit.status_code == 201, unit.text
    return provider_id


async def _submit(intake: httpx.AsyncClient, bsn: str, birth_date: str) -> dict[str, Any]:
    body = {
        "client": {"bsn": bsn, "birth_date": birth_date, "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "part_time": False,
        "requested_start": "2026-12-01",
        "out_of_region": None,
        "notes": "Thuissituatie onhoudbaar.",
        # Codes that travel to matching and capacity with the client key, for the group the child joins.
        "risk_flags": ["aggression"],
        "vulnerabilities": ["self_harm"],
    }
    response = await intake.post("/v1/referrals", json=body, headers=REFERRER)
    assert response.status_code == 201, response.text
    referral: dict[str, Any] = response.json()
    assert referral["status"] == "proposed", referral
    return referral


async def _post(intake: httpx.AsyncClient, path: str, body: dict[str, Any] | None, headers: dict[str, str]) -> None:
    response = await intake.post(path, json=body, headers=headers)
    assert response.status_code == 200, response.text


async def _every_stored_value(engine: AsyncEngine) -> list[tuple[str, str, Any]]:
    """(table, column, value) of every cell of every table in the database, as the driver gives it."""

    def table_names(connection: sa.Connection) -> list[str]:
        return sa.inspect(connection).get_table_names()

    cells: list[tuple[str, str, Any]] = []
    async with engine.connect() as connection:
        for name in await connection.run_sync(table_names):
            rows = await connection.execute(sa.text(f'SELECT * FROM "{name}"'))
            for row in rows.mappings():
                cells.extend((name, column, value) for column, value in row.items())
    return cells


def _texts(value: Any) -> Iterator[str]:
    """Every way a stored value can be read: as text, and decoded where it is JSON (unicode escapes)."""
    if value is None:
        return
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        # Binary columns are read as text too; a record matching stores compressed is read back by
        # matching's own reader below.
        yield value.decode("latin-1")
        return
    if isinstance(value, dict | list):
        yield json.dumps(value, ensure_ascii=False, default=str)
        return
    text = str(value)
    yield text
    if text[:1] in "[{":
        with contextlib.suppress(ValueError):
            yield json.dumps(json.loads(text), ensure_ascii=False)


def _age_on(birth_date: str, today: date) -> int:
    born = date.fromisoformat(birth_date)
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def _digits_pattern(digits: str) -> re.Pattern[str]:
    """The digits in order, allowed a separator between any two (`111.222.333`, `111 222 333`)."""
    return re.compile(r"[\s.\-_/]?".join(re.escape(d) for d in digits))


def _birth_date_patterns(birth_date: str) -> list[re.Pattern[str]]:
    """ISO order and Dutch order, with or without separators (`2012-05-01`, `01-05-2012`, `20120501`)."""
    year, month, day = birth_date.split("-")
    return [_digits_pattern(year + month + day), _digits_pattern(day + month + year)]


async def test_capacity_and_matching_hold_the_pseudonym_and_never_the_bsn_or_birth_date(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    clock: ManualClock,
) -> None:
    first = await _provider_with_unit(capacity, "20100001", "De Linde")
    second = await _provider_with_unit(capacity, "20100002", "Het Anker")
    referrals = {kind: await _submit(intake, *child) for kind, child in CHILDREN.items()}

    def proposed_to(kind: str) -> dict[str, str]:
        provider_id = referrals[kind]["proposal"]["provider_id"]
        assert provider_id in (first, second)
        return _provider_headers(provider_id)

    def path(kind: str, action: str) -> str:
        return f"/v1/referrals/{referrals[kind]['id']}/{action}"

    await _post(intake, path("placed", "accept"), {"start_date": "2026-11-02"}, proposed_to("placed"))
    await _post(intake, path("declined", "decline"), {"reason": "Groep is vol."}, proposed_to("declined"))
    await _post(intake, path("ended", "accept"), {"start_date": "2026-11-02"}, proposed_to("ended"))
    await _post(intake, path("ended", "end"), {"end_date": "2026-11-02", "reason": "returned_home"}, COORDINATOR)
    await _post(intake, path("withdrawn", "withdraw"), None, REFERRER)
    declined = (await intake.get(f"/v1/referrals/{referrals['declined']['id']}", headers=COORDINATOR)).json()
    assert declined["status"] == "proposed", declined  # matched again, to the other unit

    async with intake_app.state.database.engine.connect() as connection:
        stored = await connection.execute(sa.text("SELECT id, bsn, client_key FROM referrals"))
        client_keys = {row.id: row.client_key for row in stored}
    held: list[tuple[str, str, str, str]] = []
    for service, app in (("capacity", capacity_app), ("matching", matching_app)):
        for table, column, value in await _every_stored_value(app.state.database.engine):
            texts = list(_texts(value))
            if service == "matching" and table == "decisions" and column == "weighed":
                texts.append(json.dumps(read_weighed(value), default=str))
            held.extend((service, table, column, text) for text in texts)
    assert any(service == "matching" for service, *_ in held) and any(service == "capacity" for service, *_ in held)

    for kind, (bsn, birth_date) in CHILDREN.items():
        forbidden = [("BSN", _digits_pattern(bsn))] + [("birth date", p) for p in _birth_date_patterns(birth_date)]
        for service, table, column, text in held:
            for what, pattern in forbidden:
                assert not pattern.search(text), f"{service}.{table}.{column} holds the {kind} child's {what}"
        referral_id = referrals[kind]["id"]
        key = client_keys[referral_id]
        assert key and key != bsn and bsn not in key

    async with matching_app.state.database.engine.connect() as connection:
        decided = await connection.execute(sa.text("SELECT referral_id, client_key, age FROM decisions"))
        decisions = [(row.referral_id, row.client_key, row.age) for row in decided]
    assert {referral_id for referral_id, _key, _age in decisions} == {r["id"] for r in referrals.values()}
    ages = {r["id"]: _age_on(CHILDREN[kind][1], clock.now().date()) for kind, r in referrals.items()}
    for referral_id, key, age in decisions:
        assert key == client_keys[referral_id], "matching knows the child by another key than intake's pseudonym"
        assert age == ages[referral_id], "matching is told the child's age in years, and nothing finer"

    async with capacity_app.state.database.engine.connect() as connection:
        kept = await connection.execute(sa.text("SELECT referral_id, client_key FROM reservations"))
        reservations = [(row.referral_id, row.client_key) for row in kept]
    assert len(reservations) >= len(CHILDREN)
    for referral_id, key in reservations:
        assert key == client_keys[referral_id], "capacity knows the child by another key than intake's pseudonym"

    async with capacity_app.state.database.engine.connect() as connection:
        stays = (await connection.execute(sa.text("SELECT referral_id, client_key, age, flags FROM occupancies"))).all()
    assert len(stays) == 2  # the placed child and the one whose stay ended
    for referral_id, key, age, flags in stays:
        assert key == client_keys[referral_id]
        assert age == ages[referral_id], "the group profile knows the child's age in years, and nothing finer"
        assert sorted(flags if isinstance(flags, list) else json.loads(flags)) == ["aggression", "self_harm"]
