"""Matching's migrations: decisions stored one row per weighed unit keep every unit when moved into one column."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import orjson
import pytest
from alembic import command
from fastapi import FastAPI
from sqlalchemy import text

from common.db import make_engine
from common.migrations import alembic_config
from common.testing import create_database, drop_database, service_bearer

# Decisions are taken for intake, which also reads them.
SERVICE = service_bearer("intake")
NOW = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _decision(decision_id: str) -> dict[str, object]:
    return {
        "id": decision_id,
        "request_id": f"{decision_id}:attempt-1",
        "referral_id": f"referral-{decision_id}",
        "client_key": "client",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0503",
        "needs": "[]",
        "part_time": False,
        "known_provider_ids": "[]",
        "excluded_unit_ids": "[]",
        "hold_until": NOW,
        "outcome": "unmatched",
        "reasons": '["1 unit: no free place"]',
        "created_at": NOW,
    }


def _candidate(decision_id: str, unit_id: str, rank: int | None, *, chosen: bool = False) -> dict[str, object]:
    eligible = rank is not None
    return {
        "decision_id": decision_id,
        "unit_id": unit_id,
        "provider_id": f"p-{unit_id}",
        "in_region": True,
        "eligible": eligible,
        "excluded_reason": None if eligible else "no_free_place",
        "score": 40.0 if eligible else None,
        "parts": '{"needs": 40.0}' if eligible else "{}",
        "rank": rank,
        "chosen": chosen,
    }


async def test_candidate_rows_move_into_the_decision_in_their_read_order(tmp_path: Path) -> None:
    from matching.main import MIGRATIONS_DIR

    url, pg_name = await create_database("matching_migration", tmp_path)
    engine = make_engine(url)
    try:
        await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "0001")
        decision_columns = ", ".join(_decision("d"))
        decision_values = ", ".join(f":{name}" for name in _decision("d"))
        candidate_columns = ", ".join(_candidate("d", "u", 1))
        candidate_values = ", ".join(f":{name}" for name in _candidate("d", "u", 1))
        async with engine.begin() as connection:
            for decision_id in ("first", "empty"):
                await connection.execute(
                    text(f"INSERT INTO decisions ({decision_columns}) VALUES ({decision_values})"),
                    _decision(decision_id),
                )
            await connection.execute(
                text(f"INSERT INTO decision_candidates ({candidate_columns}) VALUES ({candidate_values})"),
                [
                    _candidate("first", "excluded", None),
                    _candidate("first", "second", 2),
                    _candidate("first", "best", 1, chosen=True),
                ],
            )

        await asyncio.to_thread(command.upgrade, alembic_config(MIGRATIONS_DIR, url), "head")

        async with engine.connect() as connection:
            rows = dict((await connection.execute(text("SELECT id, weighed FROM decisions"))).all())
            tables = await connection.run_sync(lambda sync: sync.dialect.get_table_names(sync))
        first = orjson.loads(rows["first"])
        assert [(c["unit_id"], c["rank"], c["chosen"]) for c in first] == [
            ("best", 1, True),
            ("second", 2, False),
            ("excluded", None, False),
        ]
        assert first[0]["parts"] == {"needs": 40.0}
        assert first[2]["excluded_reason"] == "no_free_place"
        assert orjson.loads(rows["empty"]) == []
        assert "decision_candidates" not in tables
    finally:
        await engine.dispose()
        await drop_database(pg_name)


async def test_a_decision_read_back_has_every_field_of_the_contract(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient
) -> None:
    body = {
        "request_id": "r-1:attempt-1",
        "referral_id": "r-1",
        "client_key": "client-r-1",
        "care_type": "crisis",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0503",
        "hold_until": "2026-11-09T09:00:00+00:00",
    }
    decision = (await matching.post("/v1/decisions", json=body, headers=SERVICE)).json()

    record = await matching.get(f"/v1/decisions/{decision['id']}", headers=SERVICE)

    assert record.headers["content-type"] == "application/json"
    assert set(record.json()) == {
        "id",
        "request_id",
        "referral_id",
        "outcome",
        "proposal",
        "reasons",
        "created_at",
        "candidates",
        "outside_counted",
        "unfit_counted",
        "rules",
        "labels",
    }
    assert record.json()["reasons"] == ["no unit offers crisis"]


@pytest.mark.postgresql_only("SQLite stores the text as it is")
async def test_postgresql_compresses_the_weighed_units_with_lz4(matching_app: FastAPI) -> None:
    engine = matching_app.state.database.engine
    assert engine.dialect.name == "postgresql"
    async with engine.connect() as connection:
        available = await connection.scalar(
            text("SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'")
        )
        method = await connection.scalar(
            text(
                "SELECT attcompression::text FROM pg_attribute"
                " WHERE attrelid = 'decisions'::regclass AND attname = 'weighed'"
            )
        )
    assert method == ("l" if available else "")
