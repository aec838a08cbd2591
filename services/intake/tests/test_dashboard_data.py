"""What the overview shows, read through the dashboard's service on the real stack: the children
waiting are those without a place, the proposals awaiting an answer are a list of their own with the
time left, and every child is named by its reference, age and municipality."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from intake_support import COORDINATOR, fresh_bsn, provider_with_unit, submitted, with_client

from common.auth import Principal
from common.clock import ManualClock
from intake.context import Context
from intake.dashboard import service as dashboard
from intake.dashboard.referral_page import referral_page

COORDINATING = Principal(sub="coco", role="coordinator", org="Regiepunt Haaglanden")


async def test_waiting_means_without_a_place_and_proposals_await_their_answer_apart(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock, intake_app: FastAPI
) -> None:
    unmatched = await submitted(intake, {**with_client(bsn=fresh_bsn()), "care_type": "family_home"})
    assert unmatched["status"] == "unmatched"
    await provider_with_unit(capacity, role="strategic")
    proposed = await submitted(intake, with_client(bsn=fresh_bsn()))
    assert proposed["status"] == "proposed"
    clock.advance(timedelta(hours=2))

    data = await dashboard.overview(Context.of(intake_app), COORDINATING)
    assert [child.referral.id for child in data.waiting.children] == [unmatched["id"]]
    assert data.waiting.total == 1
    assert data.proposals.total == 1
    [awaiting] = data.proposals.proposals
    assert awaiting.referral.id == proposed["id"]
    assert awaiting.time_left == timedelta(hours=70)  # held 72 hours for a residential place
    assert awaiting.minutes_left == 70 * 60
    # The indicator counts the same children.
    kpis = (await intake.get("/v1/kpis", headers=COORDINATOR)).json()
    [waiting] = [i for i in kpis["indicators"] if i["name"] == "children_waiting"]
    assert waiting["value"] == data.waiting.total


async def test_children_are_named_by_reference_age_and_municipality_and_units_by_name(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity, role="strategic", name="De Linde")
    await provider_with_unit(capacity, role="tactical", name="Het Anker")
    body = with_client(bsn=fresh_bsn(), birth_date="2012-05-01", municipality_code="GM0518")
    proposed = await submitted(intake, body)
    ctx = Context.of(intake_app)
    data = await dashboard.overview(ctx, COORDINATING)
    child = data.children[proposed["id"]]
    assert (child.reference, child.age, child.municipality) == (proposed["reference"], 14, "Den Haag")
    assert proposed["reference"].startswith("2026-")

    page = await referral_page(ctx, COORDINATING, proposed["id"])
    candidates = {c["unit_id"] for d in page.decisions for c in d["candidates"]}
    assert len(candidates) >= 2
    assert {page.units[unit_id] for unit_id in candidates} >= {"De Linde", "Het Anker"}
    html = (await intake.get(f"/dashboard/referrals/{proposed['id']}", headers=COORDINATOR)).text
    assert "Het Anker" in html and "De Linde" in html


async def test_the_api_and_the_dashboard_take_the_same_default_period(
    intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    from intake.indicators.period import DEFAULT_PERIOD_DAYS

    report = (await intake.get("/v1/kpis", headers=COORDINATOR)).json()
    # The clock stands at 2026-11-02: the 90 days that end today.
    assert (report["period_from"], report["period_to"]) == ("2026-08-05", "2026-11-02")
    data = await dashboard.overview(Context.of(intake_app), COORDINATING)
    assert (data.period_from.isoformat(), data.period_to.isoformat()) == (report["period_from"], report["period_to"])
    assert (data.period_to - data.period_from).days + 1 == DEFAULT_PERIOD_DAYS
    # Only an end given: the 90 days that end there.
    ending = (await intake.get("/v1/kpis", params={"to": "2026-10-31"}, headers=COORDINATOR)).json()
    assert (ending["period_from"], ending["period_to"]) == ("2026-08-03", "2026-10-31")


async def test_the_favicon_is_served_and_named_by_every_page(intake: httpx.AsyncClient) -> None:
    ico = await intake.get("/favicon.ico")
    assert ico.status_code == 308
    icon = await intake.get(ico.headers["location"])
    assert icon.status_code == 200
    assert icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.text.startswith("<svg")
    page = await intake.get("/login")
    assert f'rel="icon" href="{ico.headers["location"]}"' in page.text
