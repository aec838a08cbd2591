"""The candidates call matching relies on: filtered in the database, with the reason each unit is left out."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import event, insert
from sqlalchemy.ext.asyncio import AsyncEngine

from capacity.db import Provider, Unit, metadata
from common.testing import bearer, clear_tables
from services.capacity.tests.factories import (
    COORDINATOR,
    FROM_MATCHING,
    create_provider,
    create_unit,
    reserve,
)


async def candidates(capacity: httpx.AsyncClient, **params: str | int) -> httpx.Response:
    return await capacity.get("/v1/candidates", params=params, headers=FROM_MATCHING)


async def test_candidates_list_fitting_units_and_why_others_are_left_out(capacity: httpx.AsyncClient) -> None:
    strategic = await create_provider(capacity, role="strategic")
    operational = await create_provider(capacity, role="operational")
    fits = await create_unit(capacity, strategic["id"], name="fits", target_groups=["jo", "lvb"])
    fits_outside = await create_unit(capacity, operational["id"], name="fits-outside", municipality_code="GM0599")
    full = await create_unit(capacity, operational["id"], name="full", capacity=1)
    too_young = await create_unit(capacity, strategic["id"], name="too-young", age_min=16, age_max=21)
    wrong_group = await create_unit(capacity, strategic["id"], name="wrong-group", target_groups=["ggz"])
    # Several reasons at once: the first in the documented order wins.
    full_and_wrong = await create_unit(
        capacity, operational["id"], name="full-and-wrong", capacity=0, target_groups=["ggz"], age_min=16
    )
    await create_unit(capacity, strategic["id"], name="other-care-type", care_type="crisis")
    assert (await reserve(capacity, full["id"])).status_code == 201

    response = await candidates(capacity, care_type="residential", target_group="jo", age=14)
    assert response.status_code == 200, response.text
    body = response.json()
    assert [u["id"] for u in body["units"]] == [fits["id"], fits_outside["id"]]
    assert body["units"][0]["provider_role"] == "strategic"
    assert body["units"][1]["provider_role"] == "operational"
    assert body["units"][1]["in_region"] is False
    assert body["units"][0]["available"] == 4
    assert sorted((e["unit_id"], e["reason"]) for e in body["excluded"]) == sorted(
        [
            (full["id"], "no_free_place"),
            (too_young["id"], "age_out_of_range"),
            (wrong_group["id"], "target_group_not_served"),
            (full_and_wrong["id"], "no_free_place"),
        ]
    )
    excluded = {e["unit_id"]: e for e in body["excluded"]}
    assert excluded[full["id"]] == {
        "unit_id": full["id"],
        "provider_id": operational["id"],
        "in_region": True,
        "reason": "no_free_place",
    }


async def test_candidates_respect_the_age_bounds_inclusively(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(capacity, provider["id"], age_min=12, age_max=17)
    for age, fits in ((11, False), (12, True), (17, True), (18, False)):
        body = (await candidates(capacity, care_type="residential", target_group="jo", age=age)).json()
        assert [u["id"] for u in body["units"]] == ([unit["id"]] if fits else []), age


async def test_candidates_need_all_three_filters(capacity: httpx.AsyncClient) -> None:
    response = await candidates(capacity, care_type="residential", age=14)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["target_group"]
    response = await candidates(capacity, care_type="castle", target_group="jo", age=14)
    assert [e["field"] for e in response.json()["errors"]] == ["care_type"]


async def test_candidates_are_for_services_and_coordinators(capacity: httpx.AsyncClient) -> None:
    params = {"care_type": "residential", "target_group": "jo", "age": 14}
    assert (await capacity.get("/v1/candidates", params=params, headers=COORDINATOR)).status_code == 200
    referrer = bearer("referrer", referrer_type="gp")
    assert (await capacity.get("/v1/candidates", params=params, headers=referrer)).status_code == 403


@contextmanager
def statements_sent(engine: AsyncEngine) -> Iterator[list[tuple[str, Any]]]:
    """Every statement the engine sends to the database while the block runs, with its parameters."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        sent.append((statement, parameters))

    event.listen(engine.sync_engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", record)


async def _load_units(capacity_app: FastAPI, count: int) -> None:
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    care_types = [
        "crisis",
        "foster_care",
        "family_home",
        "respite",
        "training_flat",
        "residential",
        "clinical",
        "secure",
    ]
    providers = [
        {"id": str(uuid.uuid4()), "name": f"P{n}", "agb_code": f"{n:08d}", "role": "tactical", "created_at": now}
        for n in range(50)
    ]
    units = [
        {
            "id": str(uuid.uuid4()),
            "provider_id": providers[n % 50]["id"],
            "name": f"U{n:05d}",
            "care_type": care_types[n % 8],
            "serves_jo": n % 3 != 0,
            "serves_lvb": n % 2 == 0,
            "serves_ggz": n % 5 == 0,
            "age_min": n % 12,
            "age_max": 12 + n % 12,
            "municipality_code": "GM0518" if n % 4 else "GM0599",
            "in_region": n % 4 != 0,
            "capacity": n % 6,
            "occupied": 0,
            "reserved": 0,
            "blocked": 0,
            "specialisms": ["trauma"],
            "part_time": False,
            "version": 1,
            "created_at": now,
            "updated_at": now,
        }
        for n in range(count)
    ]
    async with capacity_app.state.database.transaction() as session:
        await session.execute(insert(Provider), providers)
        await session.execute(insert(Unit), units)


async def _counted_candidates(capacity: httpx.AsyncClient, engine: AsyncEngine) -> tuple[dict[str, Any], int]:
    with statements_sent(engine) as sent:
        response = await candidates(capacity, care_type="residential", target_group="jo", age=14)
    assert response.status_code == 200, response.text
    # Filtered in the database: the care type is part of what is sent, not a filter applied
    # afterwards to every unit read.
    assert any("residential" in f"{statement} {parameters}" for statement, parameters in sent)
    body: dict[str, Any] = response.json()
    return body, len(sent)


async def test_candidates_take_the_same_statements_for_five_thousand_units_as_for_eight(
    capacity: httpx.AsyncClient, capacity_app: FastAPI
) -> None:
    """Counted, not timed: a call that read units one by one, or all of them to filter in Python,
    would send more statements or send them without the care type as the number of units grows."""
    engine = capacity_app.state.database.engine
    await _load_units(capacity_app, 8)
    few, statements_for_few = await _counted_candidates(capacity, engine)
    assert len(few["units"]) + len(few["excluded"]) == 1

    await clear_tables(engine, metadata)
    await _load_units(capacity_app, 5000)
    body, statements_for_many = await _counted_candidates(capacity, engine)
    assert len(body["units"]) + len(body["excluded"]) == 625
    assert body["units"] and all(u["care_type"] == "residential" and u["available"] > 0 for u in body["units"])
    assert statements_for_many == statements_for_few <= 3


async def _region_fixture(capacity: httpx.AsyncClient) -> dict[str, str]:
    provider = await create_provider(capacity, role="tactical")
    made = {
        "inside": await create_unit(capacity, provider["id"], name="a-inside"),
        "inside_full": await create_unit(capacity, provider["id"], name="b-inside-full", capacity=0),
        "outside": await create_unit(capacity, provider["id"], name="c-outside", municipality_code="GM0599"),
        "outside_full": await create_unit(
            capacity, provider["id"], name="d-outside-full", municipality_code="GM0599", capacity=0
        ),
        "outside_old": await create_unit(
            capacity, provider["id"], name="e-outside-old", municipality_code="GM0546", age_min=18, age_max=23
        ),
        "outside_ggz": await create_unit(
            capacity, provider["id"], name="f-outside-ggz", municipality_code="GM0546", target_groups=["ggz"]
        ),
    }
    return {key: unit["id"] for key, unit in made.items()}


async def test_candidates_inside_the_region_count_the_units_outside_that_fit(capacity: httpx.AsyncClient) -> None:
    ids = await _region_fixture(capacity)

    body = (await candidates(capacity, care_type="residential", target_group="jo", age=14, region="inside")).json()

    assert [u["id"] for u in body["units"]] == [ids["inside"]]
    assert [(e["unit_id"], e["reason"]) for e in body["excluded"]] == [(ids["inside_full"], "no_free_place")]
    assert body["outside_fitting"] == 1
    assert "outside_excluded" not in body


async def test_candidates_inside_count_the_units_outside_also_when_the_region_has_none_of_the_care_type(
    capacity: httpx.AsyncClient,
) -> None:
    provider = await create_provider(capacity, role="tactical")
    for code in ("GM0599", "GM0546"):
        await create_unit(capacity, provider["id"], care_type="crisis", municipality_code=code)
    await create_unit(capacity, provider["id"], care_type="crisis", municipality_code="GM0599", capacity=0)
    await create_unit(capacity, provider["id"], care_type="residential")

    for view in ("full", "compact"):
        params = {"care_type": "crisis", "target_group": "jo", "age": 14, "region": "inside", "view": view}
        body = (await candidates(capacity, **params)).json()

        assert body["units"] == [] and body["excluded"] == []
        assert body["outside_fitting"] == 2


async def test_candidates_outside_can_count_the_units_that_cannot_take_the_child(
    capacity: httpx.AsyncClient,
) -> None:
    ids = await _region_fixture(capacity)

    listed = (await candidates(capacity, care_type="residential", target_group="jo", age=14, region="outside")).json()
    counted = (
        await candidates(
            capacity, care_type="residential", target_group="jo", age=14, region="outside", excluded_outside="count"
        )
    ).json()

    assert [u["id"] for u in listed["units"]] == [ids["outside"]]
    assert {e["unit_id"] for e in listed["excluded"]} == {ids["outside_full"], ids["outside_old"], ids["outside_ggz"]}
    assert [u["id"] for u in counted["units"]] == [ids["outside"]]
    assert counted["excluded"] == []
    assert counted["outside_excluded"] == {
        "no_free_place": 1,
        "age_out_of_range": 1,
        "target_group_not_served": 1,
    }


async def test_candidates_everywhere_list_the_region_and_count_the_rest(capacity: httpx.AsyncClient) -> None:
    ids = await _region_fixture(capacity)

    body = (
        await candidates(capacity, care_type="residential", target_group="jo", age=14, excluded_outside="count")
    ).json()

    assert [u["id"] for u in body["units"]] == [ids["inside"], ids["outside"]]
    assert [e["unit_id"] for e in body["excluded"]] == [ids["inside_full"]]
    assert sum(body["outside_excluded"].values()) == 3


async def test_candidates_can_count_the_units_whose_own_rules_do_not_admit_the_child(
    capacity: httpx.AsyncClient,
) -> None:
    ids = await _region_fixture(capacity)
    provider = await create_provider(capacity)
    inside_old = await create_unit(capacity, provider["id"], name="g-inside-old", age_min=16, age_max=17)
    inside_ggz = await create_unit(capacity, provider["id"], name="h-inside-ggz", target_groups=["ggz"])
    inside_lvb = await create_unit(capacity, provider["id"], name="i-inside-lvb", target_groups=["lvb"])
    child = {"care_type": "residential", "target_group": "jo", "age": 14, "excluded_unfit": "count"}

    for view in ("full", "compact"):
        inside = (await candidates(capacity, **child, region="inside", view=view)).json()
        everywhere = (await candidates(capacity, **child, excluded_outside="count", view=view)).json()
        listed = (await candidates(capacity, **child, view=view)).json()

        # A full unit stays listed: that it was full is true only at the moment of the decision.
        assert len(inside["units"]) == 1 and len(inside["excluded"]) == 1
        assert inside["unfit_excluded"] == {"age_out_of_range": 1, "target_group_not_served": 2}
        assert inside["outside_fitting"] == 1
        assert everywhere["unfit_excluded"] == {"age_out_of_range": 1, "target_group_not_served": 2}
        assert everywhere["outside_excluded"] == {
            "no_free_place": 1,
            "age_out_of_range": 1,
            "target_group_not_served": 1,
        }
        assert len(everywhere["units"]) == 2 and len(everywhere["excluded"]) == 1
        # Without counting the units outside, those that do not admit the child are counted with the others.
        assert listed["unfit_excluded"] == {"age_out_of_range": 2, "target_group_not_served": 3}
        assert len(listed["excluded"]) == 2
    unlisted = (await candidates(capacity, care_type="residential", target_group="jo", age=14, region="inside")).json()
    unfit = {inside_old["id"], inside_ggz["id"], inside_lvb["id"]}
    assert {e["unit_id"] for e in unlisted["excluded"]} == {ids["inside_full"], *unfit}
    assert "unfit_excluded" not in unlisted


async def test_candidates_compact_view_carries_what_matching_weighs(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="strategic")
    unit = await create_unit(
        capacity, provider["id"], specialisms=["trauma", "autism"], part_time=True, latitude=52.08, longitude=4.31
    )
    full = await create_unit(capacity, provider["id"], municipality_code="GM0599", capacity=0)

    body = (await candidates(capacity, care_type="residential", target_group="jo", age=14, view="compact")).json()

    # Arrays: [id, provider_id, provider_role, municipality_code, in_region, specialisms, part_time,
    # available, latitude, longitude, capacity, availability_stale] and [unit_id, provider_id, in_region, reason].
    assert body["units"] == [
        [unit["id"], provider["id"], "strategic", "GM0518", True, ["trauma", "autism"], True, 4, 52.08, 4.31, 4, False]
    ]
    assert body["excluded"] == [[full["id"], provider["id"], False, "no_free_place"]]


async def test_candidates_refuse_an_unknown_region_or_view(capacity: httpx.AsyncClient) -> None:
    params: dict[str, str | int] = {"care_type": "residential", "target_group": "jo", "age": 14}
    for field, value in (
        ("region", "abroad"),
        ("view", "wide"),
        ("excluded_outside", "hide"),
        ("excluded_unfit", "no"),
    ):
        response = await candidates(capacity, **{**params, field: value})
        assert response.status_code == 422
        assert [e["field"] for e in response.json()["errors"]] == [field]
