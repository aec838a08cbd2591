"""The demo set's answers and freshness: declines with a reason code, one provider outside the region's
contracts, units whose free places were confirmed lately (and some that were not: stale), hours of
one-on-one supervision above and below the limit, and one demo subscription to notifications.

Drawn from a random generator of their own, so that the rest of the demo history stays as it was.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import Any

# What a provider writes when it declines, with the code the region counts.
DECLINE_REASONS = [
    ("no_free_place", "The group is full of children with heavy care needs right now."),
    ("staffing", "Staff shortage this month; we cannot take in safely."),
    ("needs_not_met", "The child's needs do not fit this group's expertise."),
    ("child_or_family_wishes", "Too far from school and family for this child."),
]
# The provider the region has no contract with: its places are used on expertise, and count against
# the region in the indicator of placements with contracted providers.
NOT_CONTRACTED = "Fier Expertisecentrum"
# Units whose free places their provider confirmed in the last day; the rest of the units are stale.
CONFIRMED_SHARE = 0.8
# Children in care for whom the provider records one-on-one supervision, over the last weeks.
ONE_ON_ONE_SHARE = 0.3
ONE_ON_ONE_WEEKS = 8
# The demo subscription: e-mail to a reserved example address (RFC 2606), so that nothing leaves the
# machine unless an operator points REGIEPUNT_SMTP_URL at a mail catcher of its own.
DEMO_SUBSCRIBER = "Jeugdhuis Duinzicht"
DEMO_EMAIL = "planning@aanbieder.example"
DEMO_EVENTS = [
    "referral.proposed",
    "referral.proposal_expiring",
    "referral.proposal_expired",
    "unit.availability_stale",
]


def decline_body(rng: random.Random) -> dict[str, str]:
    code, reason = rng.choice(DECLINE_REASONS)
    return {"reason_code": code, "reason": reason}


def provider_body(name: str, index: int, role: str) -> dict[str, Any]:
    return {"name": name, "agb_code": f"98{index + 1:06d}", "role": role, "contracted": name != NOT_CONTRACTED}


def _iso_week(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def _hours(rng: random.Random) -> float:
    """Most children get a few hours a week; some need much more (the region wants that limited)."""
    return float(rng.choice([2, 4, 4, 6, 6, 8, 10, 12, 16]))


async def confirm_availability(demo: Any, rng: random.Random, finish: datetime) -> int:
    """Most providers confirmed their units' free places within the last day; the others did not."""
    confirmed = 0
    for unit in demo.units:
        if rng.random() >= CONFIRMED_SHARE:
            continue
        demo.clock.set(finish - timedelta(hours=rng.uniform(1, 20)))
        response = await demo.call(
            "capacity", "POST", f"/v1/units/{unit['id']}/confirm-availability", demo.provider(unit["provider_id"])
        )
        confirmed += response.status_code == 200
    demo.clock.set(finish)
    return confirmed


async def record_one_on_one(demo: Any, rng: random.Random, finish: datetime) -> int:
    """Hours of one-on-one supervision per week for some of the children in care, over the last weeks."""
    recorded = 0
    today = finish.date()
    for referral_id in list(demo.placed):
        if rng.random() >= ONE_ON_ONE_SHARE:
            continue
        stay = demo.placed[referral_id]
        headers = demo.provider(stay.provider_id)
        current = await demo.call("intake", "GET", f"/v1/referrals/{referral_id}", headers)
        if current.status_code != 200 or current.json()["status"] != "placed":
            continue
        start = date.fromisoformat(current.json()["placement"]["start_date"])
        for back in range(ONE_ON_ONE_WEEKS, -1, -1):
            day = today - timedelta(weeks=back)
            if day < start:
                continue
            body = {"week": _iso_week(day), "hours": _hours(rng)}
            response = await demo.call("intake", "PUT", f"/v1/referrals/{referral_id}/one-on-one", headers, json=body)
            recorded += response.status_code == 200
    return recorded


async def subscribe(demo: Any, providers: dict[str, str]) -> None:
    """One provider's planners get e-mail of what concerns them (see DEMO_EMAIL)."""
    provider_id = providers[DEMO_SUBSCRIBER]
    response = await demo.call(
        "intake",
        "POST",
        "/v1/webhooks",
        demo.provider(provider_id),
        json={"email": DEMO_EMAIL, "events": DEMO_EVENTS},
    )
    response.raise_for_status()
