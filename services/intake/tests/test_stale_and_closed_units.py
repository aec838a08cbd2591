"""Stale and closed units across the three services: matching still proposes a stale unit and says so
in the proposal's reasons, never proposes a closed one; intake's workers find the units turned stale
on the injected clock and remind their provider with a signed `unit.availability_stale` webhook, once
per confirmation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import COORDINATOR, create_provider, create_unit, provider_headers, submitted
from notification_support import receiver
from standardwebhooks.webhooks import Webhook

from common.clock import ManualClock
from intake.context import Context
from intake.dashboard.freshness import unit_freshness
from intake.workers import announce_stale_units, deliver_notifications

STALE_WORDS = "free places not confirmed recently by the provider"


@pytest.fixture
def stale_after_36_seconds(capacity_app: FastAPI, intake_app: FastAPI) -> Iterator[None]:
    """Capacity calls a unit stale 0.01 hours after its last confirmation; intake's workers ask at once."""
    settings = capacity_app.state.settings
    before = settings.availability_stale_hours
    settings.availability_stale_hours = 0.01
    intake_app.state.stale_units_due_at = None
    yield
    settings.availability_stale_hours = before
    intake_app.state.stale_units_due_at = None


async def test_a_stale_unit_is_still_proposed_and_the_reasons_say_so(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    matching: httpx.AsyncClient,
    clock: ManualClock,
    stale_after_36_seconds: None,
) -> None:
    provider_id = await create_provider(capacity)
    unit = await create_unit(capacity, provider_id)
    clock.advance(timedelta(minutes=5))

    referral = await submitted(intake)

    assert referral["proposal"]["unit_id"] == unit["id"]
    assert STALE_WORDS in referral["proposal"]["reasons"]
    decisions = await matching.get("/v1/decisions", params={"referral_id": referral["id"]}, headers=COORDINATOR)
    assert decisions.status_code == 200, decisions.text
    (listed,) = decisions.json()["items"]
    decision = (await matching.get(f"/v1/decisions/{listed['id']}", headers=COORDINATOR)).json()
    assert decision["labels"]["availability_stale"] == {
        "nl": "Vrije plekken niet recent bevestigd door de aanbieder",
        "en": "Free places not confirmed recently by the provider",
    }
    (weighed,) = [c for c in decision["candidates"] if c["unit_id"] == unit["id"]]
    assert weighed["parts"]["availability_stale"] == 0.0


async def test_a_fresh_unit_says_nothing_of_staleness(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    await create_unit(capacity, await create_provider(capacity))
    referral = await submitted(intake)
    assert referral["status"] == "proposed"
    assert STALE_WORDS not in referral["proposal"]["reasons"]


async def _close(capacity: httpx.AsyncClient, unit: dict[str, Any]) -> None:
    closed = await capacity.patch(
        f"/v1/units/{unit['id']}", json={"closed": True}, headers={**COORDINATOR, "If-Match": str(unit["version"])}
    )
    assert closed.status_code == 200, closed.text


async def test_a_closed_unit_is_never_proposed(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    # The closed unit would fit better: in the child's home municipality, covering its need.
    home = await create_unit(capacity, await create_provider(capacity, name="Dichtbij"), municipality_code="GM0518")
    other = await create_unit(
        capacity, await create_provider(capacity, name="Verder"), municipality_code="GM0637", specialisms=[]
    )
    await _close(capacity, home)

    referral = await submitted(intake)
    assert referral["proposal"]["unit_id"] == other["id"]

    await _close(capacity, (await capacity.get(f"/v1/units/{other['id']}", headers=COORDINATOR)).json())
    await intake.post(
        f"/v1/referrals/{referral['id']}/decline", json={}, headers=provider_headers(other["provider_id"])
    )
    waiting = await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)
    assert waiting.json()["status"] == "unmatched"


async def test_the_provider_is_reminded_once_when_its_unit_turns_stale(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    clock: ManualClock,
    stale_after_36_seconds: None,
) -> None:
    provider_id = await create_provider(capacity, name="Horizon")
    other_provider = await create_provider(capacity, name="Elders")
    unit = await create_unit(capacity, provider_id)
    await create_unit(capacity, other_provider)
    async with receiver() as hooks:
        subscribed = await intake.post(
            "/v1/webhooks",
            json={"url": hooks.url("/horizon"), "events": ["unit.availability_stale"]},
            headers=provider_headers(provider_id),
        )
        assert subscribed.status_code == 201, subscribed.text
        secret = subscribed.json()["secret"]

        # Still fresh: nothing to say.
        assert await announce_stale_units(intake_app) == 0
        clock.advance(timedelta(seconds=40))
        # Asked again only after REGIEPUNT_AVAILABILITY_STALE_POLL_SECONDS (60 by default).
        assert await announce_stale_units(intake_app) == 0
        clock.advance(timedelta(seconds=30))
        assert await announce_stale_units(intake_app) == 2  # both providers' units
        assert await deliver_notifications(intake_app) == 1

        (item,) = hooks.at("/horizon")
        body: dict[str, Any] = Webhook(secret).verify(item.body, item.headers)
        assert body["type"] == "unit.availability_stale"
        assert body["data"] == {"unit_id": unit["id"], "provider_id": provider_id, "status": "stale"}

        # Stale still, but announced already for this confirmation.
        clock.advance(timedelta(minutes=2))
        assert await announce_stale_units(intake_app) == 0
        # Confirmed, then stale again: a new reminder.
        confirmed = await capacity.post(
            f"/v1/units/{unit['id']}/confirm-availability", headers=provider_headers(provider_id)
        )
        assert confirmed.status_code == 200
        clock.advance(timedelta(minutes=2))
        assert await announce_stale_units(intake_app) == 1
        await deliver_notifications(intake_app)
        assert [Webhook(secret).verify(i.body, i.headers)["type"] for i in hooks.at("/horizon")] == [
            "unit.availability_stale",
            "unit.availability_stale",
        ]


async def test_a_unit_opened_again_after_it_turned_stale_is_reminded_of(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    clock: ManualClock,
    stale_after_36_seconds: None,
) -> None:
    # After their first question the workers ask capacity only for the units that can have turned stale
    # since: this one turned stale by time while it was closed, and counts from its opening.
    provider_id = await create_provider(capacity, name="Heropend")
    unit = await create_unit(capacity, provider_id)
    await _close(capacity, unit)
    assert await announce_stale_units(intake_app) == 0
    clock.advance(timedelta(seconds=70))
    assert await announce_stale_units(intake_app) == 0  # closed: never stale

    current = (await capacity.get(f"/v1/units/{unit['id']}", headers=COORDINATOR)).json()
    opened = await capacity.patch(
        f"/v1/units/{unit['id']}", json={"closed": False}, headers={**COORDINATOR, "If-Match": str(current["version"])}
    )
    assert opened.status_code == 200, opened.text
    clock.advance(timedelta(seconds=70))
    assert await announce_stale_units(intake_app) == 1
    clock.advance(timedelta(seconds=70))
    assert await announce_stale_units(intake_app) == 0


async def test_the_overview_knows_per_provider_how_fresh_its_units_are(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    fresh_provider = await create_provider(capacity, name="Bijgewerkt")
    lagging = await create_provider(capacity, name="Achter")
    old = await create_unit(capacity, lagging, name="Oud")
    kept = await create_unit(capacity, lagging, name="Bijgehouden")
    closed = await create_unit(capacity, lagging, name="Dicht")
    await _close(capacity, closed)
    clock.advance(timedelta(hours=30))
    await create_unit(capacity, fresh_provider, name="Nieuw")
    confirmed = await capacity.post(f"/v1/units/{kept['id']}/confirm-availability", headers=provider_headers(lagging))
    assert confirmed.status_code == 200

    found = await unit_freshness(Context.of(intake_app))

    assert found.error is None
    assert [(p.provider_id, p.units, p.confirmed_last_day, p.share) for p in found.providers] == [
        (lagging, 2, 1, 50.0),  # the closed unit does not count
        (fresh_provider, 1, 1, 100.0),
    ]
    assert [unit.id for unit in found.stale_units] == [old["id"]]
