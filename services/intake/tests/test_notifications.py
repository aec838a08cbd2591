"""Notifications through HTTP: subscriptions, signed webhooks at a real receiver, retries on the
injected clock with one webhook-id, the events each party may hear, e-mail at a real SMTP server,
and the URL rules of production."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    REFERRER,
    REFERRER_ORG,
    VALID_BSN,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
)
from notification_support import Receiver, receiver, smtp_server
from standardwebhooks.webhooks import Webhook

from common.clock import ManualClock
from common.testing import bearer
from intake.context import Context
from intake.notifications.sending import announce_availability_stale
from intake.workers import announce_expiring_proposals, deliver_notifications, expire_proposals

NOTES = referral_body()["notes"]
AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="fg")


@contextmanager
def settings_changed(app: FastAPI, **changes: Any) -> Iterator[None]:
    real = app.state.settings
    app.state.settings = real.model_copy(update=changes)
    try:
        yield
    finally:
        app.state.settings = real


async def subscribe(intake: httpx.AsyncClient, headers: dict[str, str], **body: Any) -> dict[str, Any]:
    response = await intake.post("/v1/webhooks", json=body, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


def verified(item: Any, secret: str) -> dict[str, Any]:
    """The body of a received webhook, after its signature was checked as a receiver checks it."""
    payload: dict[str, Any] = Webhook(secret).verify(item.body, item.headers)
    assert VALID_BSN not in item.body.decode()
    assert NOTES not in item.body.decode()
    return payload


async def attempts(intake: httpx.AsyncClient, subscription_id: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    response = await intake.get(f"/v1/webhooks/{subscription_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_provider_receives_a_signed_referral_proposed_within_seconds_and_nothing_of_another_provider(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    other_provider, _ = await provider_with_unit(capacity, age_min=0, age_max=3)
    async with receiver() as hooks:
        mine = await subscribe(
            intake, provider_headers(provider_id), url=hooks.url("/mine"), events=["referral.proposed"]
        )
        await subscribe(
            intake,
            provider_headers(other_provider),
            url=hooks.url("/other"),
            events=["referral.proposed", "referral.withdrawn"],
        )
        assert mine["secret"].startswith("whsec_")
        started = time.monotonic()
        referral = await submitted(intake)
        assert referral["proposal"]["provider_id"] == provider_id
        assert await deliver_notifications(intake_app) == 1
        assert time.monotonic() - started < 5

        (item,) = hooks.at("/mine")
        body = verified(item, mine["secret"])
        assert body["type"] == "referral.proposed"
        assert body["data"]["referral_id"] == referral["id"]
        assert body["data"]["unit_id"] == unit["id"]
        assert body["data"]["provider_id"] == provider_id
        assert body["data"]["status"] == "proposed"
        assert set(body) == {"type", "timestamp", "data"}
        assert item.headers["webhook-id"].startswith("msg_")
        with pytest.raises(Exception):  # noqa: B017 (the library raises its own verification error)
            Webhook(mine["secret"]).verify(item.body + b" ", item.headers)
        # A withdrawal is nothing the other provider hears of: the child was never proposed to it.
        response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
        assert response.status_code == 200, response.text
        await deliver_notifications(intake_app)
        assert hooks.at("/other") == []
        # Subscribed to referral.proposed only: no referral.withdrawn.
        assert len(hooks.at("/mine")) == 1

    (attempt,) = await attempts(intake, mine["id"], provider_headers(provider_id))
    assert attempt["message_id"] == item.headers["webhook-id"]
    assert attempt["event_type"] == "referral.proposed"
    assert (attempt["attempt"], attempt["status_code"], attempt["error"]) == (1, 204, None)
    assert attempt["next_attempt_at"] is None


async def test_receiver_down_for_a_while_gets_every_event_afterwards_with_the_same_webhook_id(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await provider_with_unit(capacity)
    hooks = Receiver()
    subscription = await subscribe(
        intake, COORDINATOR, url=hooks.url(), events=["referral.proposed", "referral.withdrawn"]
    )
    referral = await submitted(intake)
    assert await deliver_notifications(intake_app) == 0
    response = await intake.post(f"/v1/referrals/{referral['id']}/withdraw", headers=REFERRER)
    assert response.status_code == 200, response.text
    # The withdrawal's first attempt; the proposal's retry is not due yet (5 seconds after its first).
    assert await deliver_notifications(intake_app) == 0
    clock.advance(timedelta(seconds=5))
    assert await deliver_notifications(intake_app) == 0
    failed = await attempts(intake, subscription["id"], COORDINATOR)
    assert sorted((a["event_type"], a["attempt"]) for a in failed) == [
        ("referral.proposed", 1),
        ("referral.proposed", 2),
        ("referral.withdrawn", 1),
        ("referral.withdrawn", 2),
    ]
    assert all(a["status_code"] is None and a["error"] for a in failed)
    proposed = sorted((a for a in failed if a["event_type"] == "referral.proposed"), key=lambda a: a["attempt"])
    first_retry = datetime.fromisoformat(proposed[0]["next_attempt_at"])
    second_retry = datetime.fromisoformat(proposed[1]["next_attempt_at"])
    assert second_retry - first_retry == timedelta(seconds=30)

    await hooks.up()
    try:
        clock.advance(timedelta(seconds=30))
        assert await deliver_notifications(intake_app) == 2
        assert await deliver_notifications(intake_app) == 0
    finally:
        await hooks.down()
    types = [verified(item, subscription["secret"])["type"] for item in hooks.received]
    assert sorted(types) == ["referral.proposed", "referral.withdrawn"]
    listed = await attempts(intake, subscription["id"], COORDINATOR)
    for item in hooks.received:
        tried = [a for a in listed if a["message_id"] == item.headers["webhook-id"]]
        assert tried[-1]["status_code"] == 204
        assert len({a["event_type"] for a in tried}) == 1
    assert max(a["attempt"] for a in listed) == 3


async def test_delivery_is_given_up_after_the_retry_window_and_recorded(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    await provider_with_unit(capacity)
    hooks = Receiver()
    subscription = await subscribe(intake, COORDINATOR, url=hooks.url(), events=["referral.proposed"])
    await submitted(intake)
    with settings_changed(intake_app, webhook_retry_seconds="3600", webhook_retry_total_hours=2):
        await deliver_notifications(intake_app)
        clock.advance(timedelta(hours=1))
        await deliver_notifications(intake_app)
        clock.advance(timedelta(hours=1))
        await deliver_notifications(intake_app)
        # The third attempt came two hours after the event, the end of the window: none follows.
        clock.advance(timedelta(hours=5))
        await deliver_notifications(intake_app)
    listed = await attempts(intake, subscription["id"], COORDINATOR)
    assert [a["attempt"] for a in listed] == [1, 2, 3]
    assert listed[-1]["next_attempt_at"] is None


async def test_email_arrives_at_the_smtp_server_in_dutch_with_a_link_and_no_child_data(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity)
    subscription = await subscribe(intake, REFERRER, email="planning@wijkteam.example", events=["referral.proposed"])
    assert subscription["url"] is None
    # Another organisation's referrer hears nothing of this organisation's referral.
    await subscribe(intake, OTHER_REFERRER, email="praktijk@rijswijk.example", events=["referral.proposed"])
    referral = await submitted(intake)
    async with smtp_server() as (smtp_url, inbox):
        with settings_changed(intake_app, smtp_url=smtp_url, pages_base_url="https://regiepunt.example"):
            assert await deliver_notifications(intake_app) == 1
    ((recipients, raw),) = inbox.messages
    assert recipients == ["planning@wijkteam.example"]
    text = raw.decode()
    assert "Subject: Regiepunt: nieuw voorstel voor een plaatsing" in text
    assert "https://regiepunt.example/portal" in text
    assert referral["id"] in text
    assert VALID_BSN not in text
    assert NOTES not in text
    assert "2012-05-01" not in text


async def test_email_without_an_smtp_server_is_tried_again_and_the_error_listed(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    await provider_with_unit(capacity)
    subscription = await subscribe(intake, REFERRER, email="planning@wijkteam.example", events=["referral.proposed"])
    await submitted(intake)
    assert await deliver_notifications(intake_app) == 0
    (attempt,) = await attempts(intake, subscription["id"], REFERRER)
    assert "REGIEPUNT_SMTP_URL" in attempt["error"]
    assert attempt["next_attempt_at"] is not None


async def test_proposal_expiring_is_announced_once_before_the_hold_lapses_then_expired(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    provider_id, _ = await provider_with_unit(capacity)
    async with receiver() as hooks:
        subscription = await subscribe(
            intake,
            provider_headers(provider_id),
            url=hooks.url(),
            events=["referral.proposal_expiring", "referral.proposal_expired"],
        )
        referral = await submitted(intake)
        expires_at = datetime.fromisoformat(referral["proposal"]["expires_at"])
        assert await announce_expiring_proposals(intake_app) == 0
        clock.set(expires_at - timedelta(minutes=59))
        assert await announce_expiring_proposals(intake_app) == 1
        assert await announce_expiring_proposals(intake_app) == 0
        clock.set(expires_at + timedelta(seconds=1))
        assert await expire_proposals(intake_app) == 1
        assert await deliver_notifications(intake_app) == 2
    bodies = [verified(item, subscription["secret"]) for item in hooks.received]
    assert [b["type"] for b in bodies] == ["referral.proposal_expiring", "referral.proposal_expired"]
    assert all(b["data"]["referral_id"] == referral["id"] for b in bodies)
    assert datetime.fromisoformat(bodies[0]["data"]["expires_at"]) == expires_at


async def test_unit_availability_stale_reaches_its_provider_only(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    other_provider, _ = await provider_with_unit(capacity)
    async with receiver() as hooks:
        mine = await subscribe(
            intake, provider_headers(provider_id), url=hooks.url("/mine"), events=["unit.availability_stale"]
        )
        await subscribe(
            intake, provider_headers(other_provider), url=hooks.url("/other"), events=["unit.availability_stale"]
        )
        ctx = Context.of(intake_app)
        confirmed_at = clock.now() - timedelta(hours=25)
        assert await announce_availability_stale(ctx, unit["id"], provider_id, confirmed_at)
        # Once per confirmation: the same stale state is not announced twice.
        assert not await announce_availability_stale(ctx, unit["id"], provider_id, confirmed_at)
        assert await deliver_notifications(intake_app) == 1
    (item,) = hooks.at("/mine")
    body = verified(item, mine["secret"])
    assert body["type"] == "unit.availability_stale"
    assert body["data"] == {"unit_id": unit["id"], "provider_id": provider_id, "status": "stale"}
    assert hooks.at("/other") == []


async def test_coordinator_hears_of_signals_and_unmatched_referrals(
    intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    async with receiver() as hooks:
        subscription = await subscribe(
            intake, COORDINATOR, url=hooks.url(), events=["signal.opened", "referral.unmatched"]
        )
        referral = await submitted(intake)  # no unit anywhere: unmatched, and a signal opens
        assert referral["status"] == "unmatched"
        assert await deliver_notifications(intake_app) >= 2
    bodies = [verified(item, subscription["secret"]) for item in hooks.received]
    types = {b["type"] for b in bodies}
    assert types == {"signal.opened", "referral.unmatched"}
    signal = next(b for b in bodies if b["type"] == "signal.opened")
    assert set(signal["data"]) == {"signal_id", "signal_type"}


async def test_subscriptions_are_checked_listed_and_deleted_per_party(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _ = await provider_with_unit(capacity)
    provider = provider_headers(provider_id)
    url = "http://127.0.0.1:9/hooks"

    missing = await intake.post("/v1/webhooks", json={"events": ["referral.proposed"]}, headers=provider)
    assert missing.status_code == 422
    assert missing.headers["content-type"].startswith("application/problem+json")
    assert "url" in missing.text
    unknown = await intake.post("/v1/webhooks", json={"url": url, "events": ["referral.lost"]}, headers=provider)
    assert unknown.status_code == 422
    assert "events" in unknown.text
    for who in (provider, REFERRER):
        signals = await intake.post("/v1/webhooks", json={"url": url, "events": ["signal.opened"]}, headers=who)
        assert signals.status_code == 422, signals.text
        assert "events" in signals.text
    stale = await intake.post(
        "/v1/webhooks", json={"url": url, "events": ["unit.availability_stale"]}, headers=REFERRER
    )
    assert stale.status_code == 422
    bad_email = await intake.post(
        "/v1/webhooks", json={"email": "geen adres", "events": ["referral.placed"]}, headers=REFERRER
    )
    assert bad_email.status_code == 422
    assert "email" in bad_email.text
    assert (await intake.get("/v1/webhooks", headers=AUDITOR)).status_code == 403
    audited = await intake.post("/v1/webhooks", json={"url": url, "events": ["referral.placed"]}, headers=AUDITOR)
    assert audited.status_code == 403

    providers = await subscribe(intake, provider, url=url, events=["referral.proposed"])
    referrers = await subscribe(intake, REFERRER, email="team@wijkteam.example", events=["referral.placed"])
    await subscribe(intake, COORDINATOR, url=url, events=["signal.opened"])

    page = (await intake.get("/v1/webhooks", headers=provider)).json()
    assert [item["id"] for item in page["items"]] == [providers["id"]]
    assert "secret" not in page["items"][0]
    assert (page["total"], page["limit"], page["offset"], page["next_offset"]) == (1, 50, 0, None)
    everyone = (await intake.get("/v1/webhooks", params={"limit": 2}, headers=COORDINATOR)).json()
    assert (everyone["total"], len(everyone["items"]), everyone["next_offset"]) == (3, 2, 2)
    assert [i["id"] for i in (await intake.get("/v1/webhooks", headers=REFERRER)).json()["items"]] == [referrers["id"]]
    other_org = bearer("referrer", org="Huisartsenpraktijk Rijswijk", sub="bart", referrer_type="gp")
    assert (await intake.get("/v1/webhooks", headers=other_org)).json()["total"] == 0
    assert REFERRER_ORG

    assert (await intake.delete(f"/v1/webhooks/{referrers['id']}", headers=provider)).status_code == 404
    assert (await intake.get(f"/v1/webhooks/{referrers['id']}/deliveries", headers=provider)).status_code == 404
    assert (await intake.delete(f"/v1/webhooks/{referrers['id']}", headers=REFERRER)).status_code == 204
    assert (await intake.get("/v1/webhooks", headers=REFERRER)).json()["total"] == 0
    assert (await intake.delete(f"/v1/webhooks/{referrers['id']}", headers=REFERRER)).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "http://example.org/hooks",
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://10.0.0.5/hooks",
        "https://192.168.1.10/hooks",
        "https://169.254.169.254/latest",
        "https://[::1]/hooks",
        "https://100.64.0.1/hooks",
        "https://intake.regiepunt.svc.cluster.local/hooks",
        "https://user:pw@example.org/hooks",
    ],
)
async def test_production_refuses_webhooks_to_anything_but_public_https(
    url: str, intake: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    with settings_changed(intake_app, env="production"):
        response = await intake.post(
            "/v1/webhooks", json={"url": url, "events": ["signal.opened"]}, headers=COORDINATOR
        )
    assert response.status_code == 422, response.text
    assert json.loads(response.text)["errors"][0]["field"] == "url"


async def test_production_checks_the_target_again_at_delivery(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    """A target accepted once (here: in development) is not called in production when it is not public."""
    await provider_with_unit(capacity)
    async with receiver() as hooks:
        subscription = await subscribe(intake, COORDINATOR, url=hooks.url(), events=["referral.proposed"])
        await submitted(intake)
        with settings_changed(intake_app, env="production"):
            assert await deliver_notifications(intake_app) == 0
    assert hooks.received == []
    (attempt,) = await attempts(intake, subscription["id"], COORDINATOR)
    assert attempt["error"].startswith("target refused")
