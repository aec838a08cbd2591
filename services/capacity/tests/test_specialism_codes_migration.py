"""Migration 0004: a unit's specialisms stored as words become codes of the vocabulary where one fits, and
the words that fit none become the unit's description."""

from __future__ import annotations

import asyncio
import importlib.util
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import sqlalchemy as sa
from alembic import command
from factories import COORDINATOR
from fastapi import FastAPI

from capacity.db import Unit
from common.db import make_engine
from common.migrations import alembic_config, upgrade_to_head_async
from common.testing import create_database, drop_database
from contracts.vocabulary import load_vocabulary

NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)

# What providers wrote before specialisms were codes, and what the migration makes of it.
STORED: dict[str, tuple[list[str], list[str], str | None]] = {
    "words": (
        ["Traumasensitief", "autisme", "hechting", "paarden op het erf", "Autism", "verslavingszorg"],
        ["trauma", "autism", "attachment", "substance_use"],
        "paarden op het erf",
    ),
    "codes": (["trauma", "adhd"], ["trauma", "adhd"], None),
    "nothing_fits": (["sport en spel", " muziekles ", "sport en spel"], [], "sport en spel; muziekles"),
    "none": ([], [], None),
}


def _unit(unit_id: str, specialisms: list[str]) -> dict[str, Any]:
    return {
        "id": unit_id,
        "provider_id": "p-1",
        "name": f"Groep {unit_id}",
        "care_type": "residential",
        "serves_jo": True,
        "serves_lvb": False,
        "serves_ggz": False,
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "in_region": True,
        "capacity": 4,
        "occupied": 0,
        "reserved": 0,
        "blocked": 0,
        "specialisms": specialisms,
        "part_time": False,
        "version": 3,
        "created_at": NOW,
        "updated_at": NOW,
    }


@pytest.fixture
async def migrated(tmp_path: Path) -> AsyncIterator[str]:
    """A database with units written at revision 0003, then migrated to head."""
    from capacity.main import MIGRATIONS_DIR

    url, pg_name = await create_database("capacity_specialism_codes", tmp_path)
    engine = make_engine(url)
    try:
        await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "0003")
        columns = [column for column in Unit.__table__.c if column.name != "description"]
        before = sa.table("units", *(sa.column(column.name, column.type) for column in columns))
        async with engine.begin() as connection:
            await connection.execute(
                # The provider's columns at 0003 (later ones, such as `contracted`, do not exist yet).
                sa.insert(
                    sa.table(
                        "providers", *(sa.column(name) for name in ("id", "name", "agb_code", "role", "created_at"))
                    )
                ),
                {"id": "p-1", "name": "Horizon", "agb_code": "12345678", "role": "tactical", "created_at": NOW},
            )
            await connection.execute(
                sa.insert(before), [_unit(name, specialisms) for name, (specialisms, _, _) in STORED.items()]
            )
        await upgrade_to_head_async(MIGRATIONS_DIR, url)
        yield url
    finally:
        await engine.dispose()
        await drop_database(pg_name)


async def test_stored_specialisms_become_codes_and_the_rest_the_description(
    migrated: str, capacity_app: FastAPI
) -> None:
    from capacity.main import create_app

    app = create_app(capacity_app.state.settings.model_copy(update={"capacity_database_url": migrated}))
    try:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://capacity") as capacity:
            units = {name: (await capacity.get(f"/v1/units/{name}", headers=COORDINATOR)).json() for name in STORED}
    finally:
        await app.state.database.dispose()
    known = load_vocabulary().codes("needs")
    for name, (_, codes, description) in STORED.items():
        assert units[name]["specialisms"] == codes, name
        assert units[name]["description"] == description, name
        assert set(units[name]["specialisms"]) <= known
        # Nothing else about the unit changed.
        assert units[name]["version"] == 3 and units[name]["capacity"] == 4


def test_the_synonym_table_maps_only_to_codes_of_the_shipped_vocabulary() -> None:
    from capacity.main import MIGRATIONS_DIR

    path = MIGRATIONS_DIR / "versions" / "0004_specialism_codes.py"
    spec = importlib.util.spec_from_file_location("specialism_codes", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    known = load_vocabulary().codes("needs")
    assert set(migration.SYNONYMS) == known
    for code in known:
        assert migration.code_for(code) == code
        assert migration.code_for(code.replace("_", "-").title()) == code
