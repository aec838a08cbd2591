"""Migration 0008: needs stored as words before needs were codes are mapped to a code where one fits; the
words that fit none stay in intake only (`needs_free_text`), shown to the child's subject access and
never sent to matching."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import importlib.util
import json
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from fastapi import FastAPI
from intake_support import COORDINATOR, VALID_BSN

from common.db import make_engine
from common.migrations import alembic_config, upgrade_to_head_async
from common.settings import DEVELOPMENT_CLIENT_KEY_SECRET
from common.testing import bearer, create_database, drop_database
from contracts.vocabulary import load_vocabulary
from intake.db import referrals

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="audrey")

# What referrers wrote before needs were codes, and what the migration makes of it.
STORED = {
    "words": (
        ["Hechting", "autisme", "trauma", "paardrijden", "addiction", "verslaving", "eetstoornis", "Self-Harm"],
        ["attachment", "autism", "trauma", "substance_use", "eating_disorder", "self_harm"],
        ["paardrijden"],
    ),
    "codes": (["trauma", "adhd"], ["trauma", "adhd"], None),
    "none": ([], [], None),
    "nothing_fits": (["voetbal", "muziek"], [], ["voetbal", "muziek"]),
    "english": (
        ["eating_disorder", "young-mother", "AMV", "psychiatrie", "loverboy"],
        ["eating_disorder", "young_parent", "unaccompanied_minor", "psychiatric_care", "sexual_exploitation"],
        None,
    ),
}


def _referral(referral_id: str, needs: list[str]) -> dict[str, Any]:
    return {
        "id": referral_id,
        "status": "unmatched",
        "referrer_org": "Wijkteam Delft",
        "referrer_sub": "anna",
        "bsn": VALID_BSN,
        # A bare keyed hash, as pseudonyms were before they named their key (64 characters then).
        "client_key": hmac.new(DEVELOPMENT_CLIENT_KEY_SECRET.encode(), VALID_BSN.encode(), hashlib.sha256).hexdigest(),
        "birth_date": date(2012, 5, 1),
        "municipality_code": "GM0503",
        "care_type": "residential",
        "target_group": "jo",
        "needs": needs,
        "part_time": False,
        "excluded_unit_ids": [],
        "match_attempts": 1,
        "created_at": NOW,
        "updated_at": NOW,
    }


@pytest.fixture
async def migrated(tmp_path: Path) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """A database with referrals written at revision 0007, then migrated to head."""
    from intake.main import MIGRATIONS_DIR

    url, pg_name = await create_database("intake_need_codes", tmp_path)
    engine = make_engine(url)
    ids = {name: str(uuid.uuid4()) for name in STORED}
    try:
        await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "0007")
        columns = [column for column in referrals.c if column.name != "needs_free_text"]
        before = sa.table("referrals", *(sa.column(column.name, column.type) for column in columns))
        async with engine.begin() as connection:
            await connection.execute(
                sa.insert(before), [_referral(ids[name], needs) for name, (needs, _, _) in STORED.items()]
            )
        await upgrade_to_head_async(MIGRATIONS_DIR, url)
        yield url, ids
    finally:
        await engine.dispose()
        await drop_database(pg_name)


async def test_stored_needs_become_codes_and_the_rest_stays_in_intake(migrated: tuple[str, dict[str, str]]) -> None:
    url, ids = migrated
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            rows = (
                await connection.execute(sa.select(referrals.c.id, referrals.c.needs, referrals.c.needs_free_text))
            ).all()
    finally:
        await engine.dispose()
    found = {referral_id: (needs, free_text) for referral_id, needs, free_text in rows}
    known = load_vocabulary().codes("needs")
    for name, (_, codes, free_text) in STORED.items():
        assert found[ids[name]] == (codes, free_text), name
        assert set(found[ids[name]][0]) <= known, name


async def test_the_migrated_referrals_read_as_codes_and_subject_access_shows_the_words(
    migrated: tuple[str, dict[str, str]], intake_app: FastAPI
) -> None:
    url, ids = migrated
    app = _intake_on(url, intake_app)
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://intake") as intake:
            referral = (await intake.get(f"/v1/referrals/{ids['words']}", headers=COORDINATOR)).json()
            assert referral["needs"] == STORED["words"][1]
            assert "needs_free_text" not in referral
            answer = (await intake.post("/v1/subject-access", json={"bsn": VALID_BSN}, headers=AUDITOR)).json()
    finally:
        await app.state.capacity.aclose()
        await app.state.matching.aclose()
        await app.state.database.dispose()
    by_id = {item["id"]: item for item in answer["referrals"]}
    assert by_id[ids["words"]]["needs_free_text"] == ["paardrijden"]
    assert by_id[ids["nothing_fits"]]["needs"] == []
    assert by_id[ids["nothing_fits"]]["needs_free_text"] == ["voetbal", "muziek"]
    assert by_id[ids["codes"]]["needs_free_text"] == []


def _intake_on(url: str, like: FastAPI) -> FastAPI:
    from intake.main import create_app

    settings = like.state.settings.model_copy(update={"intake_database_url": url})
    return create_app(settings)


async def test_a_downgrade_puts_the_words_back(migrated: tuple[str, dict[str, str]]) -> None:
    from intake.main import MIGRATIONS_DIR

    url, ids = migrated
    await asyncio.to_thread(command.downgrade, alembic_config(MIGRATIONS_DIR, url), "0007")
    engine = make_engine(url)
    try:
        async with engine.connect() as connection:
            rows = dict((await connection.execute(sa.text("SELECT id, needs FROM referrals"))).all())
    finally:
        await engine.dispose()
    assert _json(rows[ids["nothing_fits"]]) == ["voetbal", "muziek"]
    assert _json(rows[ids["words"]]) == [*STORED["words"][1], "paardrijden"]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def test_the_synonym_table_maps_only_to_codes_of_the_shipped_vocabulary() -> None:
    from intake.main import MIGRATIONS_DIR

    spec = importlib.util.spec_from_file_location("need_codes", MIGRATIONS_DIR / "versions" / "0008_need_codes.py")
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    known = load_vocabulary().codes("needs")
    assert set(migration.SYNONYMS) == known
    # Every code is its own word, with `_` or `-` or a space.
    for code in known:
        assert migration.code_for(code) == code
        assert migration.code_for(code.replace("_", " ").upper()) == code
