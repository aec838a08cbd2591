"""The indicators of answers and purchasing through HTTP, with their numerators and denominators: the
declines per reason code and per provider, the proposals declined as no free place, the children with
one-on-one supervision above the limit, the placements with contracted providers; and the CSV exports
that carry them."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    create_unit,
    fresh_bsn,
    provider_headers,
    submitted,
    with_client,
)

PERIOD = {"from": "2026-10-01", "to": "2026-11-30"}


def _referral(care_type: str) -> dict[str, Any]:
    body = with_client(bsn=fresh_bsn())
    body["care_type"] = care_type
    return body


async def _region(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> dict[str, Any]:
    """Provider A (contracted, residential) gets three proposals: declines one as no free place, one
    for staffing, accepts one. Provider B (not contracted, family homes) gets two: accepts one,
    declines one as needs not met. A's child has 10 hours of one-on-one in a week, B's child 8."""
    a = await create_provider(capacity, name="Aanbieder A")
    b = await create_provider(capacity, name="Aanbieder B")
    await create_unit(capacity, a, capacity=3)
    await create_unit(capacity, b, care_type="family_home", capacity=3)
    assert (
        await capacity.patch(f"/v1/providers/{b}", json={"contracted": False}, headers=COORDINATOR)
    ).status_code == 200

    async def answered(care_type: str, provider: str, answer: str, body: dict[str, Any]) -> dict[str, Any]:
        referral = await submitted(intake, _referral(care_type))
        assert referral["proposal"]["provider_id"] == provider, referral
        response = await intake.post(
            f"/v1/referrals/{referral['id']}/{answer}", json=body, headers=provider_headers(provider)
        )
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()
        return result

    await answered("residential", a, "decline", {"reason_code": "no_free_place", "reason": "Toch vol."})
    await answered("residential", a, "decline", {"reason_code": "staffing"})
    placed_a = await answered("residential", a, "accept", {"start_date": "2026-10-26"})
    placed_b = await answered("family_home", b, "accept", {"start_date": "2026-11-02"})
    await answered("family_home", b, "decline", {"reason_code": "needs_not_met"})
    for referral, provider, week, hours in ((placed_a, a, "2026-W44", 10), (placed_b, b, "2026-W45", 8)):
        recorded = await intake.put(
            f"/v1/referrals/{referral['id']}/one-on-one",
            json={"week": week, "hours": hours},
            headers=provider_headers(provider),
        )
        assert recorded.status_code == 200, recorded.text
    return {"a": a, "b": b, "placed_a": placed_a, "placed_b": placed_b}


def _figures(report: dict[str, Any]) -> dict[str, tuple[Any, ...]]:
    return {i["name"]: (i["value"], i["numerator"], i["denominator"], i["unit"]) for i in report["indicators"]}


async def _kpis(intake: httpx.AsyncClient) -> dict[str, Any]:
    response = await intake.get("/v1/kpis", params=PERIOD, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    report: dict[str, Any] = response.json()
    return report


async def test_declines_are_counted_per_reason_code_and_per_provider(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    region = await _region(intake, capacity)
    report = await _kpis(intake)
    figures = _figures(report)

    assert figures["proposals_declined_no_free_place"] == (20.0, 1, 5, "percent")
    assert figures["declines_reason_no_free_place"] == (33.3, 1, 3, "percent")
    assert figures["declines_reason_staffing"] == (33.3, 1, 3, "percent")
    assert figures["declines_reason_needs_not_met"] == (33.3, 1, 3, "percent")
    assert figures["declines_reason_safety"] == (0.0, 0, 3, "percent")
    assert figures["declines_reason_other"] == (0.0, 0, 3, "percent")
    assert figures[f"declines_provider_{region['a']}"] == (66.7, 2, 3, "percent")
    assert figures[f"declines_provider_{region['b']}"] == (50.0, 1, 2, "percent")
    labels = {i["name"]: i["label"] for i in report["indicators"]}
    assert labels[f"declines_provider_{region['a']}"].startswith("Proposals to Aanbieder A declined")
    assert sorted((d["provider_id"], d["reason_code"], d["declines"]) for d in report["declines"]) == sorted(
        [(region["a"], "no_free_place", 1), (region["a"], "staffing", 1), (region["b"], "needs_not_met", 1)]
    )
    # The indicators that were there stay as they were, beside the new ones.
    assert figures["placed_in_region"] == (100.0, 2, 2, "percent")


async def test_placements_with_contracted_providers_beside_those_inside_the_region(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await _region(intake, capacity)
    figures = _figures(await _kpis(intake))
    assert figures["placed_with_contracted_providers"] == (50.0, 1, 2, "percent")


@pytest.fixture
def one_on_one_limit(intake_app: FastAPI) -> Iterator[Any]:
    settings = intake_app.state.settings
    before = settings.one_on_one_hours
    yield settings
    settings.one_on_one_hours = before


async def test_children_with_one_on_one_above_the_limit(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, one_on_one_limit: Any
) -> None:
    await _region(intake, capacity)
    indicator = next(i for i in (await _kpis(intake))["indicators"] if i["name"] == "one_on_one_above_limit")
    # 10 hours is above 8, exactly 8 is not; two children were in care in the period.
    assert (indicator["value"], indicator["numerator"], indicator["denominator"]) == (50.0, 1, 2)
    assert "more than 8 hours" in indicator["label"]

    one_on_one_limit.one_on_one_hours = 7.5
    lower = _figures(await _kpis(intake))["one_on_one_above_limit"]
    assert lower == (100.0, 2, 2, "percent")
    # Outside the weeks recorded, nobody was above it.
    later = await intake.get("/v1/kpis", params={"from": "2026-11-09", "to": "2026-11-30"}, headers=COORDINATOR)
    assert _figures(later.json())["one_on_one_above_limit"] == (0.0, 0, 2, "percent")


def _csv(response: httpx.Response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))


async def test_the_exports_carry_declines_one_on_one_and_every_indicator_with_its_figures(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    region = await _region(intake, capacity)

    declines = await intake.get("/v1/exports/declines.csv", headers=COORDINATOR)
    rows = _csv(declines)
    assert (
        declines.text.splitlines()[0] == "decline_id,referral_id,client_key,provider_id,unit_id,reason_code,declined_at"
    )
    assert sorted(row["reason_code"] for row in rows) == ["needs_not_met", "no_free_place", "staffing"]
    assert "Toch vol." not in declines.text  # the free text stays in intake

    weeks = await intake.get("/v1/exports/one-on-one.csv", headers=COORDINATOR)
    assert weeks.text.splitlines()[0] == "referral_id,client_key,provider_id,week,week_start,hours,above_limit"
    assert [(r["referral_id"], r["week"], r["hours"], r["above_limit"]) for r in _csv(weeks)] == [
        (region["placed_a"]["id"], "2026-W44", "10.0", "true"),
        (region["placed_b"]["id"], "2026-W45", "8.0", "false"),
    ]

    indicators = await intake.get("/v1/exports/indicators.csv", params=PERIOD, headers=COORDINATOR)
    assert indicators.text.splitlines()[0] == "period_from,period_to,name,label,value,numerator,denominator,unit"
    by_name = {row["name"]: row for row in _csv(indicators)}
    assert (
        by_name["proposals_declined_no_free_place"]["numerator"],
        by_name["proposals_declined_no_free_place"]["denominator"],
    ) == ("1.0", "5.0")
    assert by_name["placed_with_contracted_providers"]["value"] == "50.0"
    assert by_name["one_on_one_above_limit"]["period_from"] == "2026-10-01"

    placements = _csv(await intake.get("/v1/exports/placements.csv", headers=COORDINATOR))
    assert {row["referral_id"]: row["contracted"] for row in placements} == {
        region["placed_a"]["id"]: "true",
        region["placed_b"]["id"]: "false",
    }


async def test_the_new_exports_are_for_coordinators(intake: httpx.AsyncClient) -> None:
    for path in ("/v1/exports/declines.csv", "/v1/exports/one-on-one.csv", "/v1/exports/indicators.csv"):
        assert (await intake.get(path, headers=REFERRER)).status_code == 403
        assert (await intake.get(path)).status_code == 401
    backwards = await intake.get(
        "/v1/exports/indicators.csv", params={"from": "2026-11-30", "to": "2026-10-01"}, headers=COORDINATOR
    )
    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.json()["errors"]] == ["from"]
