"""The free-place rule and its SQL twin give the same answers, also for a unit whose counts exceed
its capacity (which the service itself never writes, but a count may not go below zero for it)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import String, insert, literal, select

from capacity import domain
from capacity.db import AVAILABLE, Provider, Unit, exclusion_reason, places_free, units

NOW = datetime(2026, 11, 2, 9, tzinfo=UTC)

# (capacity, occupied, reserved, blocked)
COUNTS = [
    (5, 2, 1, 1),  # one free
    (3, 0, 0, 0),  # all free
    (1, 0, 1, 0),  # full by a hold
    (0, 0, 0, 0),  # no places at all
    (2, 2, 1, 0),  # one more than capacity
    (4, 3, 2, 1),  # two more than capacity
]


def _unit(provider_id: str, counts: tuple[int, int, int, int], n: int) -> dict[str, Any]:
    capacity, occupied, reserved, blocked = counts
    return {
        "id": str(uuid.uuid4()),
        "provider_id": provider_id,
        "name": f"U{n}",
        "care_type": "residential",
        "serves_jo": True,
        "serves_lvb": n % 2 == 0,
        "serves_ggz": False,
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "in_region": True,
        "capacity": capacity,
        "occupied": occupied,
        "reserved": reserved,
        "blocked": blocked,
        "specialisms": [],
        "part_time": False,
        "version": 1,
        "created_at": NOW,
        "updated_at": NOW,
    }


@pytest.fixture
async def loaded(capacity: httpx.AsyncClient, capacity_app: FastAPI) -> dict[str, dict[str, Any]]:
    """The units of COUNTS written straight into the database, by id."""
    provider = {"id": str(uuid.uuid4()), "name": "P", "agb_code": "00000001", "role": "tactical", "created_at": NOW}
    rows = [_unit(str(provider["id"]), counts, n) for n, counts in enumerate(COUNTS)]
    async with capacity_app.state.database.transaction() as session:
        await session.execute(insert(Provider), [provider])
        await session.execute(insert(Unit), rows)
    return {str(row["id"]): row for row in rows}


def _places(row: dict[str, Any]) -> domain.Places:
    return domain.Places(*(int(row[name]) for name in ("capacity", "occupied", "reserved", "blocked")))


async def test_available_in_sql_is_the_rule_in_python(capacity_app: FastAPI, loaded: dict[str, dict[str, Any]]) -> None:
    async with capacity_app.state.database.read() as session:
        found = dict((await session.execute(select(units.c.id, AVAILABLE))).all())
    expected = {unit_id: _places(row).available for unit_id, row in loaded.items()}
    assert found == expected
    assert sorted(found.values()) == [0, 0, 0, 0, 1, 3]


async def test_a_place_held_by_the_request_counts_as_free_for_it_in_both(
    capacity_app: FastAPI, loaded: dict[str, dict[str, Any]]
) -> None:
    """For the request holding it, the unit has one reserved place fewer; over capacity it stays full."""
    for held_id, row in loaded.items():
        if int(row["reserved"]) == 0:
            continue
        held = literal(held_id, type_=String)
        async with capacity_app.state.database.read() as session:
            found = dict((await session.execute(select(units.c.id, places_free(held)))).all())
        for unit_id, other in loaded.items():
            places = _places(other)
            reserved = places.reserved - (1 if unit_id == held_id else 0)
            assert found[unit_id] == domain.available(places.capacity, places.occupied, reserved, places.blocked)
        # Over capacity by two, one place fewer reserved still leaves none: 4 - 3 - 1 - 1 < 0.
        assert found[held_id] == {5: 2, 1: 1, 2: 0, 4: 0}[int(row["capacity"])]


async def test_the_reason_in_sql_is_the_reason_in_python(
    capacity_app: FastAPI, loaded: dict[str, dict[str, Any]]
) -> None:
    for target_group in ("jo", "lvb"):
        for age in (11, 12, 17, 18):
            query = select(units.c.id, exclusion_reason(target_group, age))
            async with capacity_app.state.database.read() as session:
                found = dict((await session.execute(query)).all())
            for unit_id, row in loaded.items():
                serves = bool(row[f"serves_{target_group}"])
                expected = domain.exclusion_reason(_places(row), 12, 17, serves, age)
                assert found[unit_id] == expected, (row, target_group, age)
