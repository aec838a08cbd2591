"""The pure rules of the notifications: who may hear what, where a webhook may point, the retries."""

from datetime import UTC, datetime, timedelta

import pytest

from intake.notifications.rules import (
    EventType,
    Scope,
    address_problem,
    event_body,
    mail_about,
    next_attempt_at,
    refused_events,
    url_problem,
)

START = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
PAUSES = (5.0, 30.0, 300.0, 1800.0, 7200.0)


def test_signals_are_for_coordinators_and_units_not_for_referrers() -> None:
    assert refused_events("coordinator", list(EventType)) == []
    assert refused_events("provider", list(EventType)) == [EventType.signal_opened]
    assert set(refused_events("referrer", list(EventType))) == {
        EventType.signal_opened,
        EventType.unit_availability_stale,
    }
    assert refused_events("auditor", [EventType.referral_placed]) == [EventType.referral_placed]


def test_event_body_carries_only_ids_statuses_and_times() -> None:
    body = event_body(EventType.referral_placed, START, {"referral_id": "r1", "status": "placed"})
    assert body == {"type": "referral.placed", "timestamp": START.isoformat(), "data": body["data"]}
    with pytest.raises(ValueError, match="notes"):
        event_body(EventType.referral_placed, START, {"referral_id": "r1", "notes": "vrije tekst"})


def test_development_allows_loopback_http() -> None:
    assert url_problem("http://127.0.0.1:8080/hooks", production=False) is None
    assert address_problem(["127.0.0.1"], production=False) is None
    assert url_problem("ftp://example.org/", production=False) is not None


@pytest.mark.parametrize(
    ("address", "allowed"),
    [
        ("93.184.216.34", True),
        ("2606:2800:220:1:248:1893:25c8:1946", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fd00::1", False),
        ("::ffff:10.0.0.1", False),
        ("0.0.0.0", False),  # noqa: S104 (an address to refuse, not one to bind)
    ],
)
def test_production_allows_public_addresses_only(address: str, allowed: bool) -> None:
    assert (address_problem([address], production=True) is None) is allowed
    assert address_problem(["93.184.216.34", address], production=True) is None or not allowed


def test_production_wants_https_and_a_public_host_name() -> None:
    assert url_problem("https://hooks.example.org/x", production=True) is None
    assert url_problem("http://hooks.example.org/x", production=True) == "must use https"
    for host in ("localhost", "capacity", "intake.regiepunt.svc", "db.internal", "printer.local"):
        assert url_problem(f"https://{host}/x", production=True) == "must name a public host"


def test_retries_follow_the_pauses_then_repeat_the_last_until_the_window_closes() -> None:
    day = timedelta(hours=24)
    waits = []
    now = START
    attempts = 0
    while True:
        attempts += 1
        when = next_attempt_at(PAUSES, attempts, START, now, day)
        if when is None:
            break
        waits.append((when - now).total_seconds())
        now = when
    assert waits[:6] == [5, 30, 300, 1800, 7200, 7200]
    assert set(waits[4:]) == {7200}
    assert now <= START + day < now + timedelta(seconds=7200)


def test_mail_links_to_the_page_of_the_party_and_names_no_child() -> None:
    body = event_body(EventType.referral_proposed, START, {"referral_id": "r1", "status": "proposed"})
    provider_mail = mail_about(body, Scope.provider, "https://regiepunt.example/")
    assert provider_mail.subject == "Regiepunt: nieuw voorstel voor een plaatsing"
    assert "https://regiepunt.example/portal" in provider_mail.text
    coordinator_mail = mail_about(body, Scope.all, "https://regiepunt.example")
    assert "https://regiepunt.example/dashboard/referrals/r1" in coordinator_mail.text
