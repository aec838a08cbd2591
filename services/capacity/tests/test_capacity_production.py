"""Production agreements: the care days a provider agreed, set by coordinators, and the days its stays
use and will use this year, counted over HTTP from the stays in capacity."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import httpx

from capacity.production.rules import Stay, days_within, used_up, year_use
from common.clock import ManualClock
from services.capacity.tests.factories import (
    COORDINATOR,
    SERVICE,
    create_provider,
    create_unit,
    provider_headers,
    reserve,
)

AGREEMENTS = [
    {"year": 2026, "care_type": "residential", "care_days": 100},
    {"year": 2026, "care_type": "crisis", "care_days": 50},
    {"year": 2027, "care_type": "residential", "care_days": 400},
]


# --- the rules -------------------------------------------------------------------------------------


def test_a_care_day_is_a_night_the_first_day_counts_the_day_of_leaving_does_not() -> None:
    year = (date(2026, 1, 1), date(2026, 12, 31))
    assert days_within(date(2026, 3, 1), date(2026, 3, 11), *year) == 10
    assert days_within(date(2026, 3, 1), date(2026, 3, 1), *year) == 0
    # A stay from last year counts from the first of January; a running one up to the last day given.
    assert days_within(date(2025, 12, 20), date(2026, 1, 5), *year) == 4
    assert days_within(date(2026, 12, 30), None, *year) == 2


def test_used_counts_up_to_today_and_projected_continues_running_stays_to_the_years_end() -> None:
    today = date(2026, 11, 2)
    stays = [
        Stay("residential", date(2026, 1, 1), date(2026, 1, 31)),  # 30 days, ended
        Stay("residential", date(2026, 11, 1), None),  # 2 days so far, 59 more to 31 December
        Stay("crisis", date(2025, 12, 30), date(2026, 1, 2)),  # 1 day this year
    ]
    use = year_use(stays, 2026, today)
    assert (use["residential"].used_days, use["residential"].projected_days) == (32, 32 + 59)
    assert (use["crisis"].used_days, use["crisis"].projected_days) == (1, 1)
    # A past year is complete: nothing more is projected.
    assert year_use(stays, 2025, today)["crisis"].used_days == 2
    assert year_use(stays, 2025, today)["crisis"].projected_days == 2
    assert used_up(30, 30) and not used_up(30, 29)


# --- over HTTP -------------------------------------------------------------------------------------


async def _stay(capacity: httpx.AsyncClient, clock: ManualClock, unit_id: str, start: str) -> str:
    held = await reserve(capacity, unit_id, now=clock.now())
    assert held.status_code == 201, held.text
    confirmed = await capacity.post(
        f"/v1/reservations/{held.json()['id']}/confirm", json={"start_date": start}, headers=SERVICE
    )
    assert confirmed.status_code == 200, confirmed.text
    return str(confirmed.json()["occupancy"]["id"])


async def _production(capacity: httpx.AsyncClient, provider_id: str, **params: Any) -> dict[str, Any]:
    response = await capacity.get(f"/v1/providers/{provider_id}/production", params=params, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def test_a_coordinator_sets_the_agreements_and_the_provider_shows_them(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="operational")
    assert provider["production_agreements"] == []
    response = await capacity.patch(
        f"/v1/providers/{provider['id']}", json={"production_agreements": AGREEMENTS}, headers=COORDINATOR
    )
    assert response.status_code == 200, response.text
    assert response.json()["production_agreements"] == sorted(AGREEMENTS, key=lambda a: (a["year"], a["care_type"]))
    listed = (await capacity.get("/v1/providers", headers=COORDINATOR)).json()["items"]
    assert listed[0]["production_agreements"] == response.json()["production_agreements"]

    # The list replaces the agreements as a whole; an update without it leaves them.
    replaced = await capacity.patch(
        f"/v1/providers/{provider['id']}", json={"production_agreements": AGREEMENTS[:1]}, headers=COORDINATOR
    )
    assert replaced.json()["production_agreements"] == AGREEMENTS[:1]
    untouched = await capacity.patch(f"/v1/providers/{provider['id']}", json={}, headers=COORDINATOR)
    assert untouched.json()["production_agreements"] == AGREEMENTS[:1]


async def test_bad_agreements_are_refused_naming_the_field(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="operational")
    path = f"/v1/providers/{provider['id']}"
    for agreements, field in [
        ([AGREEMENTS[0], AGREEMENTS[0]], "production_agreements[1]"),
        ([{**AGREEMENTS[0], "care_days": -1}], "production_agreements[0].care_days"),
        ([{**AGREEMENTS[0], "care_type": "castle"}], "production_agreements[0].care_type"),
        ([{**AGREEMENTS[0], "year": 1999}], "production_agreements[0].year"),
        ([{**AGREEMENTS[0], "price": 12}], "production_agreements[0].price"),
    ]:
        response = await capacity.patch(path, json={"production_agreements": agreements}, headers=COORDINATOR)
        assert response.status_code == 422, (agreements, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (await capacity.get(path, headers=COORDINATOR)).json()["production_agreements"] == []
    missing = await capacity.patch("/v1/providers/no-such", json={"production_agreements": []}, headers=COORDINATOR)
    assert missing.status_code == 404


async def test_the_production_endpoint_counts_used_and_projected_days(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    provider = await create_provider(capacity, role="operational")
    await capacity.patch(
        f"/v1/providers/{provider['id']}", json={"production_agreements": AGREEMENTS}, headers=COORDINATOR
    )
    residential = await create_unit(capacity, provider["id"], capacity=5)
    foster = await create_unit(capacity, provider["id"], care_type="foster_care", capacity=2)
    ended = await _stay(capacity, clock, residential["id"], "2026-01-01")
    await capacity.post(f"/v1/occupancies/{ended}/end", json={"end_date": "2026-01-31"}, headers=SERVICE)
    await _stay(capacity, clock, residential["id"], "2026-11-01")
    await _stay(capacity, clock, foster["id"], "2026-10-30")

    # The test clock stands at 2 November 2026.
    assert await _production(capacity, provider["id"]) == {
        "year": 2026,
        "items": [
            {"care_type": "crisis", "agreed_days": 50, "used_days": 0, "projected_days": 0},
            {"care_type": "foster_care", "agreed_days": None, "used_days": 4, "projected_days": 4 + 59},
            {"care_type": "residential", "agreed_days": 100, "used_days": 30 + 2, "projected_days": 30 + 2 + 59},
        ],
        # The list envelope every list answers.
        "total": 3,
        "limit": 3,
        "offset": 0,
        "next_offset": None,
    }
    next_year = await _production(capacity, provider["id"], year=2027)
    assert next_year["items"][-1] == {
        "care_type": "residential",
        "agreed_days": 400,
        "used_days": 0,
        "projected_days": 365,
    }
    clock.advance(timedelta(days=10))
    later = await _production(capacity, provider["id"])
    assert later["items"][-1]["used_days"] == 42 and later["items"][-1]["projected_days"] == 91


async def test_a_provider_reads_its_own_production_and_no_other(capacity: httpx.AsyncClient) -> None:
    own = await create_provider(capacity, role="operational")
    other = await create_provider(capacity, role="operational")
    mine = await capacity.get(f"/v1/providers/{own['id']}/production", headers=provider_headers(own["id"]))
    assert mine.status_code == 200, mine.text
    theirs = await capacity.get(f"/v1/providers/{other['id']}/production", headers=provider_headers(own["id"]))
    assert theirs.status_code == 404
    for bad in ({"year": 1999}, {"year": "soon"}):
        refused = await capacity.get(f"/v1/providers/{own['id']}/production", params=bad, headers=COORDINATOR)
        assert refused.status_code == 422
        assert [e["field"] for e in refused.json()["errors"]] == ["year"]
    missing = await capacity.get("/v1/providers/no-such/production", headers=COORDINATOR)
    assert missing.status_code == 404


async def test_the_candidates_give_the_use_of_capping_agreements_only(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    operational = await create_provider(capacity, role="operational")
    strategic = await create_provider(capacity, role="strategic")
    for provider in (operational, strategic):
        await capacity.patch(
            f"/v1/providers/{provider['id']}", json={"production_agreements": AGREEMENTS}, headers=COORDINATOR
        )
        unit = await create_unit(capacity, provider["id"], capacity=3)
        await _stay(capacity, clock, unit["id"], "2026-10-03")
    params = {"care_type": "residential", "target_group": "jo", "age": 14, "view": "compact", "group": "true"}
    found = (await capacity.get("/v1/candidates", params=params, headers=SERVICE)).json()
    assert found["production"] == {operational["id"]: {"agreed_days": 100, "used_days": 31}}
    overview = (await capacity.get("/v1/production", headers=COORDINATOR)).json()
    assert overview["year"] == 2026
    assert {item["provider_id"] for item in overview["items"]} == {operational["id"], strategic["id"]}


async def test_the_database_sums_the_care_days_as_the_rules_count_them(
    capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    """Stays across the turn of the year, ended before it, short and running: the sums the database
    makes (production.store.year_use) equal what rules.year_use counts from the same stays."""
    provider = await create_provider(capacity, role="operational")
    residential = await create_unit(capacity, provider["id"], capacity=5)
    crisis = await create_unit(capacity, provider["id"], care_type="crisis", capacity=2)
    stays = [
        ("residential", residential["id"], date(2025, 12, 20), date(2026, 1, 10)),
        ("residential", residential["id"], date(2025, 11, 1), None),
        ("residential", residential["id"], date(2025, 3, 1), date(2025, 6, 1)),
        ("residential", residential["id"], date(2026, 2, 1), date(2026, 2, 2)),
        ("crisis", crisis["id"], date(2026, 10, 31), None),
    ]
    for _, unit_id, start, end in stays:
        stay = await _stay(capacity, clock, unit_id, start.isoformat())
        if end is not None:
            ended = await capacity.post(
                f"/v1/occupancies/{stay}/end", json={"end_date": end.isoformat()}, headers=SERVICE
            )
            assert ended.status_code == 200, ended.text
    counted = [Stay(care_type, start, end) for care_type, _, start, end in stays]
    for advance in (0, 70):
        clock.advance(timedelta(days=advance))
        today = clock.now().date()
        for year in (2025, 2026, 2027):
            expected = {
                care_type: (use.used_days, use.projected_days)
                for care_type, use in year_use(counted, year, today).items()
                if use.projected_days
            }
            body = await _production(capacity, provider["id"], year=year)
            found = {item["care_type"]: (item["used_days"], item["projected_days"]) for item in body["items"]}
            assert {k: v for k, v in found.items() if v != (0, 0)} == expected, (year, today)
