"""The rules of the notifications, pure: the events and who may hear them, where a webhook may point,
when a failed delivery is tried again, and the Dutch e-mail about an event."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit


class EventType(StrEnum):
    referral_proposed = "referral.proposed"
    referral_proposal_expiring = "referral.proposal_expiring"
    referral_proposal_expired = "referral.proposal_expired"
    referral_placed = "referral.placed"
    referral_unmatched = "referral.unmatched"
    referral_withdrawn = "referral.withdrawn"
    referral_ended = "referral.ended"
    unit_availability_stale = "unit.availability_stale"
    signal_opened = "signal.opened"


# What an event's data may carry: ids, statuses and times; never a BSN, never free text.
DATA_FIELDS = frozenset(
    {"referral_id", "group_id", "status", "unit_id", "provider_id", "expires_at", "signal_id", "signal_type"}
)

# The events each role may subscribe to: a referrer hears of its organisation's referrals, a provider of
# its own referrals and units, a coordinator of everything, signals included.
ALLOWED_EVENTS: dict[str, frozenset[EventType]] = {
    "coordinator": frozenset(EventType),
    "provider": frozenset(EventType) - {EventType.signal_opened},
    "referrer": frozenset(t for t in EventType if t.value.startswith("referral.")),
}


class Scope(StrEnum):
    provider = "provider"
    organisation = "organisation"
    all = "all"


def scope_of(role: str) -> Scope:
    return {"provider": Scope.provider, "referrer": Scope.organisation}.get(role, Scope.all)


def refused_events(role: str, events: Iterable[EventType]) -> list[EventType]:
    allowed = ALLOWED_EVENTS.get(role, frozenset())
    return [event for event in events if event not in allowed]


def event_body(event_type: EventType, timestamp: datetime, data: dict[str, Any]) -> dict[str, Any]:
    """The body every channel carries; a field outside DATA_FIELDS is a programming error."""
    unknown = set(data) - DATA_FIELDS
    if unknown:
        raise ValueError(f"not allowed in an event: {sorted(unknown)}")
    return {"type": event_type.value, "timestamp": timestamp.isoformat(), "data": data}


# Host names that name a place inside the cluster or the machine, never a receiver on the internet.
_INTERNAL_SUFFIXES = (".local", ".internal", ".localdomain", ".svc", ".cluster.local", ".home.arpa", ".localhost")


def url_problem(url: str, *, production: bool) -> str | None:
    """What is wrong with a webhook URL before its host is resolved; None when it may be used."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL"
    del port
    if parts.scheme not in ("https", "http") or not parts.hostname:
        return "must be an http(s) URL with a host"
    if parts.username or parts.password:
        return "must not carry a user name or password"
    if not production:
        return None
    if parts.scheme != "https":
        return "must use https"
    host = parts.hostname.lower().rstrip(".")
    if host == "localhost" or host.endswith(_INTERNAL_SUFFIXES) or ("." not in host and ":" not in host):
        return "must name a public host"
    return None


def address_problem(addresses: Sequence[str], *, production: bool) -> str | None:
    """What is wrong with the addresses a webhook's host resolves to; in production only public
    addresses: no loopback, private, link-local, shared (carrier or cluster) or reserved ones."""
    if not addresses:
        return "does not resolve to an address"
    if not production:
        return None
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            return "must resolve to public addresses only"
    return None


def next_attempt_at(
    pauses: Sequence[float], attempts: int, first_at: datetime, now: datetime, total: timedelta
) -> datetime | None:
    """When to try again after `attempts` failed attempts: the pauses in turn, the last one repeated;
    None (given up) once the next try would fall past `total` after the event."""
    pause = pauses[min(attempts, len(pauses)) - 1]
    when = now + timedelta(seconds=pause)
    return None if when > first_at + total else when


# Dutch subjects of the e-mails; the text names only the event, its ids and a link to the page.
_SUBJECTS = {
    EventType.referral_proposed: "Nieuw voorstel voor een plaatsing",
    EventType.referral_proposal_expiring: "Een voorstel verloopt binnenkort",
    EventType.referral_proposal_expired: "Een voorstel is verlopen",
    EventType.referral_placed: "Een kind is geplaatst",
    EventType.referral_unmatched: "Geen passende plek gevonden",
    EventType.referral_withdrawn: "Een verwijzing is ingetrokken",
    EventType.referral_ended: "Een plaatsing is beëindigd",
    EventType.unit_availability_stale: "Bevestig de beschikbaarheid van uw groep",
    EventType.signal_opened: "Nieuw signaal op het regiepunt",
}


@dataclass(frozen=True)
class Mail:
    subject: str
    text: str


def page_path(scope: Scope, data: dict[str, Any]) -> str:
    """Coordinators go to the referral on the dashboard; providers and referrers to their own pages."""
    if scope == Scope.all and data.get("referral_id"):
        return f"/dashboard/referrals/{data['referral_id']}"
    if scope == Scope.all:
        return "/dashboard"
    return "/portal"


def mail_about(body: dict[str, Any], scope: Scope, base_url: str) -> Mail:
    event_type = EventType(body["type"])
    data = body["data"]
    lines = [f"{_SUBJECTS[event_type]}.", ""]
    labels = {
        "referral_id": "Verwijzing",
        "status": "Status",
        "unit_id": "Groep",
        "expires_at": "Verloopt op",
        "signal_type": "Soort signaal",
    }
    lines += [f"{label}: {data[key]}" for key, label in labels.items() if data.get(key)]
    lines += ["", f"Bekijk het op {base_url.rstrip('/')}{page_path(scope, data)}", "", "Regiepunt"]
    return Mail(subject=f"Regiepunt: {_SUBJECTS[event_type].lower()}", text="\n".join(lines))
