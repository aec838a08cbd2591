"""The authorisation matrix of every write call on the three services.

ROUTES names, for each POST/PUT/PATCH/DELETE route the apps serve, the roles the public contract
(docs/api.md) or the internal contract (docs/internal-api.md) allow. Every other role in common.auth.ROLES,
with a valid token acting for the record's own parties, is refused with 403, and the record read back
by a coordinator is unchanged. A route the apps serve and the table does not name fails the suite, so a
new write call cannot arrive without its row here; a new role is refused everywhere it is not named.
The parties that the role admits but that are not the record's own (another provider, another
referrer's organisation) are checked in OWNERS: 404 where the caller may not see the record at all,
403 where it may see it but not act on it."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import fastapi.routing
import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI

from common.auth import ROLES, SERVICES
from common.clock import ManualClock
from common.testing import bearer, service_bearer

COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
SERVICE = service_bearer("intake")
REFERRER_ORG = "Wijkteam Delft"
REFERRER = bearer("referrer", org=REFERRER_ORG, sub="anna", referrer_type="local_team")
OTHER_REFERRER = bearer("referrer", org="Huisartsenpraktijk Rijswijk", sub="bart", referrer_type="gp")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

_agb_numbers = itertools.count(30_000_001)


def provider_token(provider_id: str) -> dict[str, str]:
    return bearer("provider", org=f"org-{provider_id[:8]}", sub="piet", provider_id=provider_id)


@dataclass
class Platform:
    intake: httpx.AsyncClient
    capacity: httpx.AsyncClient
    matching: httpx.AsyncClient
    clock: ManualClock
    # The apps themselves, for what no call answers (the pseudonyms matching stores).
    apps: dict[str, FastAPI] = field(default_factory=dict)

    def client(self, service: str) -> httpx.AsyncClient:
        client: httpx.AsyncClient = getattr(self, service)
        return client

    async def read(self, service: str, path: str, **params: Any) -> Any:
        """A record as a coordinator reads it: the state a refused call must leave as it was."""
        response = await self.client(service).get(path, params=params, headers=COORDINATOR)
        assert response.status_code == 200, response.text
        return response.json()

    async def stored_client_keys(self, service: str, table: str) -> list[str]:
        async with self.apps[service].state.database.engine.connect() as connection:
            found = await connection.execute(sa.text(f"SELECT client_key FROM {table} ORDER BY id"))
            return [str(key) for key in found.scalars()]

    async def provider(self, role: str = "tactical") -> str:
        body = {"name": "Horizon", "agb_code": str(next(_agb_numbers)), "role": role}
        response = await self.capacity.post("/v1/providers", json=body, headers=COORDINATOR)
        assert response.status_code == 201, response.text
        return str(response.json()["id"])

    async def unit(self, provider_id: str, care_type: str = "residential", capacity: int = 1) -> dict[str, Any]:
        body = {
            "name": "Groep De Linde",
            "care_type": care_type,
            "target_groups": ["jo"],
            "age_min": 12,
            "age_max": 17,
            "municipality_code": "GM0518",
            "capacity": capacity,
            "specialisms": ["trauma"],
            "part_time": False,
        }
        response = await self.capacity.post(f"/v1/providers/{provider_id}/units", json=body, headers=COORDINATOR)
        assert response.status_code == 201, response.text
        unit: dict[str, Any] = response.json()
        return unit

    async def referral(self, care_type: str = "residential") -> dict[str, Any]:
        body = {
            "client": {"bsn": "111222333", "birth_date": "2012-05-01", "municipality_code": "GM0518"},
            "care_type": care_type,
            "target_group": "jo",
            "needs": ["trauma"],
            "part_time": False,
            "requested_start": "2026-12-01",
            "out_of_region": None,
            "notes": None,
        }
        response = await self.intake.post("/v1/referrals", json=body, headers=REFERRER)
        assert response.status_code == 201, response.text
        referral: dict[str, Any] = response.json()
        return referral

    async def proposed(self, care_type: str = "residential") -> tuple[dict[str, Any], str]:
        """A referral proposed to a unit of a new provider, and that provider."""
        provider_id = await self.provider("strategic")
        await self.unit(provider_id, care_type)
        referral = await self.referral(care_type)
        assert referral["status"] == "proposed", referral
        return referral, provider_id

    async def placed(self, care_type: str = "residential") -> tuple[dict[str, Any], str]:
        referral, provider_id = await self.proposed(care_type)
        response = await self.intake.post(
            f"/v1/referrals/{referral['id']}/accept",
            json={"start_date": "2026-11-02"},
            headers=provider_token(provider_id),
        )
        assert response.status_code == 200, response.text
        return referral, provider_id

    async def reservation(self, unit_id: str) -> dict[str, Any]:
        body = {
            "referral_id": str(uuid.uuid4()),
            "client_key": "ck-matrix",
            "expires_at": (self.clock.now() + timedelta(hours=1)).isoformat(),
        }
        response = await self.capacity.post(f"/v1/units/{unit_id}/reservations", json=body, headers=SERVICE)
        assert response.status_code == 201, response.text
        reservation: dict[str, Any] = response.json()
        return reservation


Snapshot = Callable[[], Awaitable[Any]]


@dataclass
class Attempt:
    """One write call on one record, ready to be sent with any token."""

    path: str
    snapshot: Snapshot
    json: dict[str, Any] | None = None
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    # The record's own provider and referrer organisation: a token of a role that is refused acts for
    # them, so that nothing but the role can be the reason for the refusal.
    provider_id: str | None = None
    method: str = "POST"


Scenario = Callable[[Platform], Awaitable[Attempt]]


def both(*snapshots: Snapshot) -> Snapshot:
    async def read() -> list[Any]:
        return [await snapshot() for snapshot in snapshots]

    return read


# --- capacity -------------------------------------------------------------------------------------


async def create_provider(p: Platform) -> Attempt:
    body = {"name": "Nieuw", "agb_code": str(next(_agb_numbers)), "role": "operational"}
    return Attempt(
        "/v1/providers", lambda: p.read("capacity", "/v1/providers"), json=body, provider_id=await p.provider()
    )


async def update_provider(p: Platform) -> Attempt:
    provider_id = await p.provider("operational")
    body = {"production_agreements": [{"year": 2026, "care_type": "residential", "care_days": 365}]}
    return Attempt(
        f"/v1/providers/{provider_id}",
        lambda: p.read("capacity", f"/v1/providers/{provider_id}"),
        json=body,
        provider_id=provider_id,
        method="PATCH",
    )


async def create_unit(p: Platform) -> Attempt:
    provider_id = await p.provider()
    body = {
        "name": "Groep Nieuw",
        "care_type": "residential",
        "target_groups": ["jo"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "capacity": 2,
        "specialisms": [],
        "part_time": False,
    }
    return Attempt(
        f"/v1/providers/{provider_id}/units",
        lambda: p.read("capacity", "/v1/units", provider_id=provider_id),
        json=body,
        provider_id=provider_id,
    )


async def update_availability(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    return Attempt(
        f"/v1/units/{unit['id']}/availability",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        json={"capacity": 3, "blocked": 1},
        headers={"If-Match": str(unit["version"])},
        provider_id=provider_id,
        method="PUT",
    )


async def confirm_availability(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    p.clock.advance(timedelta(minutes=1))  # a confirmation would move availability_confirmed_at
    return Attempt(
        f"/v1/units/{unit['id']}/confirm-availability",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        provider_id=provider_id,
    )


async def update_unit(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    return Attempt(
        f"/v1/units/{unit['id']}",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        json={"name": "Groep De Eik", "closed": True},
        headers={"If-Match": str(unit["version"])},
        provider_id=provider_id,
        method="PATCH",
    )


async def _reserve(p: Platform, route: str) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    body = {
        "referral_id": str(uuid.uuid4()),
        "client_key": "ck-matrix",
        "expires_at": (p.clock.now() + timedelta(hours=1)).isoformat(),
    }
    return Attempt(
        route.format(unit_id=unit["id"]),
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        json=body,
        provider_id=provider_id,
    )


async def reserve_place(p: Platform) -> Attempt:
    return await _reserve(p, "/v1/units/{unit_id}/reservations")


async def reserve_place_telling_changes(p: Platform) -> Attempt:
    """Matching's hold that answers the changes with it (docs/internal-api.md)."""
    return await _reserve(p, "/internal/units/{unit_id}/reservations?after=0")


async def confirm_reservation(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    reservation = await p.reservation(unit["id"])
    return Attempt(
        f"/v1/reservations/{reservation['id']}/confirm",
        both(
            lambda: p.read("capacity", f"/v1/reservations/{reservation['id']}"),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        json={"start_date": "2026-11-02"},
        provider_id=provider_id,
    )


async def release_referral_holds(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    reservation = await p.reservation(unit["id"])
    return Attempt(
        "/v1/reservations/release",
        both(
            lambda: p.read("capacity", f"/v1/reservations/{reservation['id']}"),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        json={"referral_id": reservation["referral_id"]},
        provider_id=provider_id,
    )


async def release_reservation(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    reservation = await p.reservation(unit["id"])
    return Attempt(
        f"/v1/reservations/{reservation['id']}/release",
        both(
            lambda: p.read("capacity", f"/v1/reservations/{reservation['id']}"),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        provider_id=provider_id,
    )


async def reserve_places_together(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id, capacity=2)
    body = {
        "expires_at": (p.clock.now() + timedelta(hours=1)).isoformat(),
        "holds": [
            {
                "unit_id": unit["id"],
                "referral_id": f"r-{n}",
                "client_key": f"ck-{n}",
                "request_id": f"g:attempt-1:r-{n}",
            }
            for n in range(2)
        ],
    }
    return Attempt(
        "/v1/reservations/joint",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        json=body,
        provider_id=provider_id,
    )


async def end_occupancy(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    reservation = await p.reservation(unit["id"])
    confirmed = await p.capacity.post(
        f"/v1/reservations/{reservation['id']}/confirm", json={"start_date": "2026-11-02"}, headers=SERVICE
    )
    assert confirmed.status_code == 200, confirmed.text
    occupancy_id = confirmed.json()["occupancy"]["id"]
    return Attempt(
        f"/v1/occupancies/{occupancy_id}/end",
        both(
            lambda: p.read("capacity", f"/v1/occupancies/{occupancy_id}"),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        json={"end_date": "2026-11-03"},
        provider_id=provider_id,
    )


# --- matching -------------------------------------------------------------------------------------


async def take_decision(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    referral_id = str(uuid.uuid4())
    body = {
        "request_id": f"{referral_id}:attempt-1",
        "referral_id": referral_id,
        "client_key": "ck-matrix",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
        "needs": ["trauma"],
        "part_time": False,
        "out_of_region": None,
        "known_provider_ids": [],
        "excluded_unit_ids": [],
        "hold_until": (p.clock.now() + timedelta(hours=72)).isoformat(),
        "unit_id": None,
    }
    return Attempt(
        "/v1/decisions",
        both(
            lambda: p.read("matching", "/v1/decisions", referral_id=referral_id),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        json=body,
        provider_id=provider_id,
    )


async def rekey_reservations(p: Platform) -> Attempt:
    provider_id = await p.provider()
    reservation = await p.reservation((await p.unit(provider_id))["id"])
    return Attempt(
        "/v1/client-keys/rekey",
        lambda: p.read("capacity", f"/v1/reservations/{reservation['id']}"),
        json={"pairs": [{"old": reservation["client_key"], "new": "ck-rekeyed"}]},
        provider_id=provider_id,
    )


async def rekey_decisions(p: Platform) -> Attempt:
    _referral, provider_id = await p.proposed()
    (stored,) = await p.stored_client_keys("matching", "decisions")
    return Attempt(
        "/v1/client-keys/rekey",
        lambda: p.stored_client_keys("matching", "decisions"),
        json={"pairs": [{"old": stored, "new": "ck-rekeyed"}]},
        provider_id=provider_id,
    )


async def take_group_decision(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id, capacity=2)
    group_id = str(uuid.uuid4())
    child = {
        "client_key": "ck-matrix",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
    }
    body = {
        "request_id": f"{group_id}:attempt-1",
        "group_id": group_id,
        "hold_until": (p.clock.now() + timedelta(hours=72)).isoformat(),
        "children": [{**child, "referral_id": str(uuid.uuid4())} for _ in range(2)],
    }
    return Attempt(
        "/v1/group-decisions",
        both(
            lambda: p.read("matching", "/v1/group-decisions", group_id=group_id),
            lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        ),
        json=body,
        provider_id=provider_id,
    )


# --- intake ---------------------------------------------------------------------------------------


SIBLINGS = ("123456782", "111222333")


def sibling_bodies() -> list[dict[str, Any]]:
    return [
        {
            "client": {"bsn": bsn, "birth_date": "2012-05-01", "municipality_code": "GM0518"},
            "care_type": "residential",
            "target_group": "jo",
            "needs": ["trauma"],
        }
        for bsn in SIBLINGS
    ]


async def submit_referral_group(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id, capacity=2)
    return Attempt(
        "/v1/referral-groups",
        both(lambda: p.read("intake", "/v1/referrals"), lambda: p.read("capacity", f"/v1/units/{unit['id']}")),
        json={"referrals": sibling_bodies(), "keep_together": True, "split": None},
        provider_id=provider_id,
    )


async def split_referral_group(p: Platform) -> Attempt:
    """Siblings waiting together: a split would match them each on their own."""
    response = await p.intake.post(
        "/v1/referral-groups", json={"referrals": sibling_bodies(), "keep_together": True}, headers=REFERRER
    )
    assert response.status_code == 201, response.text
    group = response.json()
    assert group["status"] == "waiting", group
    return Attempt(
        f"/v1/referral-groups/{group['id']}/split",
        both(lambda: p.read("intake", f"/v1/referral-groups/{group['id']}"), lambda: p.read("intake", "/v1/signals")),
        json={"code": "no_joint_place_in_time", "justification": "Geen gezamenlijke plek binnen redelijke termijn."},
        provider_id=await p.provider(),
    )


def referral_state(p: Platform, referral_id: str, unit_id: str | None = None) -> Snapshot:
    reads = [lambda: p.read("intake", f"/v1/referrals/{referral_id}")]
    if unit_id is not None:
        reads.append(lambda: p.read("capacity", f"/v1/units/{unit_id}"))
    return both(*reads)


async def submit_referral(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    body = {
        "client": {"bsn": "123456782", "birth_date": "2012-05-01", "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "part_time": False,
        "requested_start": "2026-12-01",
        "out_of_region": None,
        "notes": None,
    }
    return Attempt(
        "/v1/referrals",
        both(lambda: p.read("intake", "/v1/referrals"), lambda: p.read("capacity", f"/v1/units/{unit['id']}")),
        json=body,
        provider_id=provider_id,
    )


async def accept(p: Platform) -> Attempt:
    referral, provider_id = await p.proposed()
    return Attempt(
        f"/v1/referrals/{referral['id']}/accept",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        json={"start_date": "2026-11-02"},
        provider_id=provider_id,
    )


async def decline(p: Platform) -> Attempt:
    referral, provider_id = await p.proposed()
    return Attempt(
        f"/v1/referrals/{referral['id']}/decline",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        json={"reason": "De groep is vol."},
        provider_id=provider_id,
    )


async def record_one_on_one(p: Platform) -> Attempt:
    referral, provider_id = await p.placed()
    path = f"/v1/referrals/{referral['id']}/one-on-one"
    return Attempt(
        path,
        lambda: p.read("intake", path),
        json={"week": "2026-W45", "hours": 9},
        provider_id=provider_id,
        method="PUT",
    )


async def withdraw(p: Platform) -> Attempt:
    referral, provider_id = await p.proposed()
    return Attempt(
        f"/v1/referrals/{referral['id']}/withdraw",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        provider_id=provider_id,
    )


async def end_stay(p: Platform) -> Attempt:
    referral, provider_id = await p.placed()
    return Attempt(
        f"/v1/referrals/{referral['id']}/end",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        json={"end_date": "2026-11-02", "reason": "returned_home"},
        provider_id=provider_id,
    )


async def extend_crisis(p: Platform) -> Attempt:
    referral, provider_id = await p.placed("crisis")
    return Attempt(
        f"/v1/referrals/{referral['id']}/extend-crisis",
        referral_state(p, referral["id"]),
        json={"days": 7, "reason": "De vervolgplek start over een week."},
        provider_id=provider_id,
    )


async def offer(p: Platform) -> Attempt:
    waiting = await p.referral()
    assert waiting["status"] == "unmatched", waiting
    provider_id = await p.provider("tactical")
    unit = await p.unit(provider_id)
    return Attempt(
        f"/v1/referrals/{waiting['id']}/offer",
        referral_state(p, waiting["id"], unit["id"]),
        json={"unit_id": unit["id"]},
        provider_id=provider_id,
    )


async def raise_signal(p: Platform) -> Attempt:
    referral, provider_id = await p.placed()
    return Attempt(
        f"/v1/referrals/{referral['id']}/signals",
        both(referral_state(p, referral["id"]), lambda: p.read("intake", "/v1/signals")),
        json={"type": "placement_at_risk", "note": "Escalaties in de groep."},
        provider_id=provider_id,
    )


async def _unmatched_signal(p: Platform) -> str:
    waiting = await p.referral()
    listed = await p.read("intake", "/v1/signals")
    return str(next(s["id"] for s in listed["items"] if s["referral_id"] == waiting["id"]))


ANALYSIS = "Geen passende plek in de regio; overleg met de aanbieders is gepland."


async def acknowledge_signal(p: Platform) -> Attempt:
    signal_id = await _unmatched_signal(p)
    return Attempt(
        f"/v1/signals/{signal_id}/acknowledge",
        lambda: p.read("intake", "/v1/signals"),
        json={"analysis": ANALYSIS},
        provider_id=await p.provider(),
    )


async def acknowledge_signal_on_the_dashboard(p: Platform) -> Attempt:
    signal_id = await _unmatched_signal(p)
    return Attempt(
        f"/dashboard/signals/{signal_id}/acknowledge",
        lambda: p.read("intake", "/v1/signals"),
        form={"analysis": ANALYSIS},
        provider_id=await p.provider(),
    )


# --- intake: the providers' pages (forms acting through the same use cases) -----------------------


async def availability_on_the_portal(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    return Attempt(
        f"/portal/units/{unit['id']}/availability",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        form={"version": str(unit["version"]), "capacity": "3", "blocked": "1"},
        provider_id=provider_id,
    )


async def confirm_availability_on_the_portal(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    p.clock.advance(timedelta(minutes=1))  # a confirmation would move availability_confirmed_at
    return Attempt(
        f"/portal/units/{unit['id']}/confirm",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        form={},
        provider_id=provider_id,
    )


async def close_unit_on_the_portal(p: Platform) -> Attempt:
    provider_id = await p.provider()
    unit = await p.unit(provider_id)
    return Attempt(
        f"/portal/units/{unit['id']}",
        lambda: p.read("capacity", f"/v1/units/{unit['id']}"),
        form={"version": str(unit["version"]), "closed": "true"},
        provider_id=provider_id,
    )


async def add_unit_on_the_portal(p: Platform) -> Attempt:
    provider_id = await p.provider()
    form = {
        "name": "Groep Nieuw",
        "care_type": "residential",
        "capacity": "2",
        "age_min": "12",
        "age_max": "17",
        "target_groups": "jo",
        "municipality_code": "GM0518",
    }
    return Attempt("/portal/units", lambda: p.read("capacity", "/v1/units"), form=form, provider_id=provider_id)


async def accept_on_the_portal(p: Platform) -> Attempt:
    referral, provider_id = await p.proposed()
    return Attempt(
        f"/portal/referrals/{referral['id']}/accept",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        form={"start_date": "2026-11-02"},
        provider_id=provider_id,
    )


async def decline_on_the_portal(p: Platform) -> Attempt:
    referral, provider_id = await p.proposed()
    return Attempt(
        f"/portal/referrals/{referral['id']}/decline",
        referral_state(p, referral["id"], referral["proposal"]["unit_id"]),
        form={"reason_code": "group_composition", "reason": "De groep is vol."},
        provider_id=provider_id,
    )


async def at_risk_on_the_portal(p: Platform) -> Attempt:
    referral, provider_id = await p.placed()
    return Attempt(
        f"/portal/referrals/{referral['id']}/at-risk",
        both(referral_state(p, referral["id"]), lambda: p.read("intake", "/v1/signals")),
        form={"note": "Escalaties in de groep."},
        provider_id=provider_id,
    )


async def one_on_one_on_the_portal(p: Platform) -> Attempt:
    referral, provider_id = await p.placed()
    return Attempt(
        f"/portal/referrals/{referral['id']}/one-on-one",
        lambda: p.read("intake", f"/v1/referrals/{referral['id']}/one-on-one"),
        form={"week": "2026-W45", "hours": "9"},
        provider_id=provider_id,
    )


async def offer_on_the_portal(p: Platform) -> Attempt:
    waiting = await p.referral()
    assert waiting["status"] == "unmatched", waiting
    provider_id = await p.provider("tactical")
    unit = await p.unit(provider_id)
    return Attempt(
        f"/portal/referrals/{waiting['id']}/offer",
        referral_state(p, waiting["id"], unit["id"]),
        form={"unit_id": unit["id"]},
        provider_id=provider_id,
    )


AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="fg")


async def subject_access(p: Platform) -> Attempt:
    """A refused request for a child's file leaves no subject-access answer and no trace of one."""
    await p.referral()

    async def answered_requests() -> Any:
        response = await p.intake.get("/v1/access-log", params={"action": "subject_access"}, headers=AUDITOR)
        assert response.status_code == 200, response.text
        return response.json()["total"]

    return Attempt("/v1/subject-access", answered_requests, json={"bsn": "111222333"}, provider_id=await p.provider())


async def subscribe_to_webhooks(p: Platform) -> Attempt:
    """A refused subscription leaves no subscription behind."""
    return Attempt(
        "/v1/webhooks",
        lambda: p.read("intake", "/v1/webhooks"),
        json={"url": "http://127.0.0.1:9/hooks", "events": ["referral.proposed"]},
        provider_id=await p.provider(),
    )


async def delete_webhook(p: Platform) -> Attempt:
    """A provider's own subscription, which a refused call leaves in place."""
    provider_id = await p.provider()
    body = {"url": "http://127.0.0.1:9/hooks", "events": ["referral.proposed"]}
    response = await p.intake.post("/v1/webhooks", json=body, headers=provider_token(provider_id))
    assert response.status_code == 201, response.text
    return Attempt(
        f"/v1/webhooks/{response.json()['id']}",
        lambda: p.read("intake", "/v1/webhooks"),
        provider_id=provider_id,
        method="DELETE",
    )


# --- the referrers' pages (intake.portal.referrer): the same records through forms -------------------


async def submit_referral_on_the_portal(p: Platform) -> Attempt:
    attempt = await submit_referral(p)
    assert attempt.json is not None
    client = attempt.json["client"]
    form = {
        "client.bsn": client["bsn"],
        "client.birth_date": client["birth_date"],
        "client.municipality_code": client["municipality_code"],
        "care_type": "residential",
        "target_group": "jo",
        "needs": "trauma",
    }
    return Attempt("/portal/referrer/new", attempt.snapshot, form=form, provider_id=attempt.provider_id)


async def withdraw_on_the_portal(p: Platform) -> Attempt:
    attempt = await withdraw(p)
    referral_id = attempt.path.split("/")[3]
    path = f"/portal/referrer/referrals/{referral_id}/withdraw"
    return Attempt(path, attempt.snapshot, form={}, provider_id=attempt.provider_id)


async def subscribe_to_email_on_the_portal(p: Platform) -> Attempt:
    """A refused subscription leaves no subscription behind."""
    return Attempt(
        "/portal/referrer/notices",
        lambda: p.read("intake", "/v1/webhooks"),
        form={"email": "planning@wijkteam.example", "events": "referral.proposed"},
        provider_id=await p.provider(),
    )


async def remove_email_on_the_portal(p: Platform) -> Attempt:
    """The referrer's organisation's own e-mail subscription, which a refused call leaves in place."""
    body = {"email": "planning@wijkteam.example", "events": ["referral.proposed"]}
    response = await p.intake.post("/v1/webhooks", json=body, headers=REFERRER)
    assert response.status_code == 201, response.text
    return Attempt(
        f"/portal/referrer/notices/{response.json()['id']}/remove",
        lambda: p.read("intake", "/v1/webhooks"),
        form={},
        provider_id=await p.provider(),
    )


@dataclass(frozen=True)
class Rule:
    """Who may make one write call: the roles the contract names, and how it is set up to try it.
    A rule without a scenario stands for a call behind which there is no record to protect."""

    allowed: frozenset[str]
    scenario: Scenario | None
    why: str = ""
    # For the service role: which of the point's services may make the call (common.auth.FromIntake…).
    services: tuple[str, ...] = ()


def rule(*allowed: str, scenario: Scenario | None = None, why: str = "", services: tuple[str, ...] = ()) -> Rule:
    return Rule(frozenset(allowed), scenario, why, services)


ROUTES: dict[tuple[str, str, str], Rule] = {
    # capacity: API.md and docs/internal-api.md
    ("capacity", "POST", "/v1/providers"): rule("coordinator", scenario=create_provider),
    ("capacity", "PATCH", "/v1/providers/{id}"): rule(
        "coordinator", scenario=update_provider, why="production agreements are the region's to set"
    ),
    ("capacity", "POST", "/v1/providers/{provider_id}/units"): rule("coordinator", "provider", scenario=create_unit),
    ("capacity", "PUT", "/v1/units/{id}/availability"): rule("coordinator", "provider", scenario=update_availability),
    ("capacity", "POST", "/v1/units/{id}/confirm-availability"): rule(
        "coordinator", "provider", scenario=confirm_availability
    ),
    ("capacity", "PATCH", "/v1/units/{id}"): rule("coordinator", "provider", scenario=update_unit),
    ("capacity", "POST", "/v1/units/{unit_id}/reservations"): rule(
        "service", scenario=reserve_place, services=("intake", "matching")
    ),
    ("capacity", "POST", "/internal/units/{unit_id}/reservations"): rule(
        "service", scenario=reserve_place_telling_changes, services=("matching",)
    ),
    ("capacity", "POST", "/v1/reservations/{reservation_id}/confirm"): rule(
        "service", scenario=confirm_reservation, services=("intake",)
    ),
    ("capacity", "POST", "/v1/reservations/{reservation_id}/release"): rule(
        "service", scenario=release_reservation, services=("intake", "matching")
    ),
    ("capacity", "POST", "/v1/reservations/release"): rule(
        "service", scenario=release_referral_holds, services=("intake", "matching")
    ),
    ("capacity", "POST", "/v1/occupancies/{occupancy_id}/end"): rule(
        "service", scenario=end_occupancy, services=("intake",)
    ),
    ("capacity", "POST", "/v1/reservations/joint"): rule(
        "service", scenario=reserve_places_together, services=("matching",)
    ),
    ("capacity", "POST", "/v1/client-keys/rekey"): rule("service", scenario=rekey_reservations, services=("intake",)),
    # matching: docs/internal-api.md
    ("matching", "POST", "/v1/decisions"): rule("service", scenario=take_decision, services=("intake",)),
    ("matching", "POST", "/v1/client-keys/rekey"): rule("service", scenario=rekey_decisions, services=("intake",)),
    ("matching", "POST", "/v1/group-decisions"): rule("service", scenario=take_group_decision, services=("intake",)),
    # intake: docs/api.md
    ("intake", "POST", "/v1/referrals"): rule("referrer", scenario=submit_referral),
    ("intake", "POST", "/v1/referral-groups"): rule("referrer", scenario=submit_referral_group),
    ("intake", "POST", "/v1/referral-groups/{id}/split"): rule(
        "referrer", "coordinator", scenario=split_referral_group
    ),
    ("intake", "POST", "/v1/referrals/{id}/accept"): rule("provider", scenario=accept),
    ("intake", "POST", "/v1/referrals/{id}/decline"): rule("provider", scenario=decline),
    ("intake", "PUT", "/v1/referrals/{id}/one-on-one"): rule("provider", scenario=record_one_on_one),
    ("intake", "POST", "/v1/referrals/{id}/withdraw"): rule("referrer", "coordinator", scenario=withdraw),
    ("intake", "POST", "/v1/referrals/{id}/end"): rule("provider", "referrer", "coordinator", scenario=end_stay),
    ("intake", "POST", "/v1/referrals/{id}/extend-crisis"): rule("coordinator", scenario=extend_crisis),
    ("intake", "POST", "/v1/referrals/{id}/offer"): rule(
        "provider",
        scenario=offer,
        why="the joint duty to place: strategic and tactical providers offer their own units (README)",
    ),
    ("intake", "POST", "/v1/referrals/{id}/signals"): rule("provider", scenario=raise_signal),
    ("intake", "POST", "/v1/signals/{id}/acknowledge"): rule("coordinator", scenario=acknowledge_signal),
    ("intake", "POST", "/dashboard/signals/{signal_id}/acknowledge"): rule(
        "coordinator", scenario=acknowledge_signal_on_the_dashboard
    ),
    ("intake", "POST", "/portal/units/{unit_id}/availability"): rule("provider", scenario=availability_on_the_portal),
    ("intake", "POST", "/portal/units/{unit_id}/confirm"): rule(
        "provider", scenario=confirm_availability_on_the_portal
    ),
    ("intake", "POST", "/portal/units/{unit_id}"): rule("provider", scenario=close_unit_on_the_portal),
    ("intake", "POST", "/portal/units"): rule("provider", scenario=add_unit_on_the_portal),
    ("intake", "POST", "/portal/referrals/{referral_id}/accept"): rule("provider", scenario=accept_on_the_portal),
    ("intake", "POST", "/portal/referrals/{referral_id}/decline"): rule("provider", scenario=decline_on_the_portal),
    ("intake", "POST", "/portal/referrals/{referral_id}/at-risk"): rule("provider", scenario=at_risk_on_the_portal),
    ("intake", "POST", "/portal/referrals/{referral_id}/one-on-one"): rule(
        "provider", scenario=one_on_one_on_the_portal
    ),
    ("intake", "POST", "/portal/referrals/{referral_id}/offer"): rule(
        "provider", scenario=offer_on_the_portal, why="the joint duty to place, as POST /v1/referrals/{id}/offer"
    ),
    ("intake", "POST", "/v1/subject-access"): rule("auditor", scenario=subject_access),
    ("intake", "POST", "/v1/webhooks"): rule("referrer", "provider", "coordinator", scenario=subscribe_to_webhooks),
    ("intake", "DELETE", "/v1/webhooks/{id}"): rule("referrer", "provider", "coordinator", scenario=delete_webhook),
    ("intake", "POST", "/portal/referrer/new"): rule("referrer", scenario=submit_referral_on_the_portal),
    ("intake", "POST", "/portal/referrer/referrals/{referral_id}/withdraw"): rule(
        "referrer", scenario=withdraw_on_the_portal, why="the referrers' pages; coordinators withdraw through the API"
    ),
    ("intake", "POST", "/portal/referrer/notices"): rule("referrer", scenario=subscribe_to_email_on_the_portal),
    ("intake", "POST", "/portal/referrer/notices/{subscription_id}/remove"): rule(
        "referrer", scenario=remove_email_on_the_portal
    ),
    ("intake", "POST", "/login"): rule(
        *ROLES, why="no record behind it: the development sign-in form checks the pasted token itself"
    ),
    ("intake", "POST", "/logout"): rule(*ROLES, why="no record behind it: ends the browser's own session"),
}


def token_of(role: str, attempt: Attempt) -> dict[str, str]:
    """A valid token of `role` acting for the record's own parties where the role has any."""
    if role == "referrer":
        return REFERRER
    if role == "provider":
        assert attempt.provider_id is not None
        return provider_token(attempt.provider_id)
    if role == "coordinator":
        return COORDINATOR
    if role == "service":
        return SERVICE
    if role == "auditor":
        return AUDITOR
    return bearer(role, org="Regiepunt Haaglanden", sub=f"someone-{role}")


async def send(p: Platform, service: str, attempt: Attempt, headers: dict[str, str]) -> httpx.Response:
    sent = {**attempt.headers, **headers}
    client = p.client(service)
    if attempt.form is not None:
        return await client.request(attempt.method, attempt.path, data=attempt.form, headers=sent)
    return await client.request(attempt.method, attempt.path, json=attempt.json, headers=sent)


@pytest.fixture
def platform(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    matching: httpx.AsyncClient,
    clock: ManualClock,
    matching_app: FastAPI,
) -> Platform:
    return Platform(intake, capacity, matching, clock, {"matching": matching_app})


def _write_routes(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every write route the app serves, included routers too. FastAPI from 0.165 on
    keeps an included router as one entry of app.routes and lists its routes through
    iter_route_contexts; before, app.routes held every route itself."""
    iterate = getattr(fastapi.routing, "iter_route_contexts", None)
    routes: list[Any] = list(iterate(app.routes)) if iterate is not None else list(app.routes)
    served: set[tuple[str, str]] = set()
    for route in routes:
        methods = getattr(route, "methods", None) or getattr(getattr(route, "original_route", None), "methods", None)
        path = getattr(route, "path", None)
        if methods and path:
            served.update((method, str(path)) for method in set(methods) & WRITE_METHODS)
    return served


async def test_every_write_route_has_its_roles_in_the_table(
    capacity_app: FastAPI, matching_app: FastAPI, intake_app: FastAPI
) -> None:
    served = {
        (service, method, path)
        for service, app in (("capacity", capacity_app), ("matching", matching_app), ("intake", intake_app))
        for method, path in _write_routes(app)
    }
    assert served - ROUTES.keys() == set(), "write routes without a row in ROUTES: name the roles the contract allows"
    assert ROUTES.keys() - served == set(), "rows in ROUTES for routes no service serves"


REFUSALS = [
    pytest.param(key, role, id=f"{key[0]} {key[1]} {key[2]} as {role}")
    for key, rule_ in ROUTES.items()
    if rule_.scenario is not None
    for role in ROLES
    if role not in rule_.allowed
]


@pytest.mark.parametrize(("route", "role"), REFUSALS)
async def test_write_route_refuses_a_role_the_contract_does_not_name(
    route: tuple[str, str, str], role: str, platform: Platform
) -> None:
    scenario = ROUTES[route].scenario
    assert scenario is not None
    attempt = await scenario(platform)
    assert (attempt.method, attempt.path.count("/")) == (route[1], route[2].count("/"))
    before = await attempt.snapshot()
    response = await send(platform, route[0], attempt, token_of(role, attempt))
    assert response.status_code == 403, response.text
    assert await attempt.snapshot() == before


# --- the service role, but not a service the call is for -------------------------------------------

SERVICE_REFUSALS = [
    pytest.param(key, caller, id=f"{key[0]} {key[1]} {key[2]} from {caller}")
    for key, rule_ in ROUTES.items()
    if rule_.scenario is not None and rule_.services
    for caller in SERVICES
    if caller not in rule_.services
]


def test_every_service_route_names_the_services_it_is_for() -> None:
    """A call for the service role alone says which services make it: matching takes decisions from intake
    only, capacity holds places for matching and intake only (docs/internal-api.md)."""
    unnamed = [key for key, rule_ in ROUTES.items() if rule_.allowed == {"service"} and not rule_.services]
    assert unnamed == []


@pytest.mark.parametrize(("route", "caller"), SERVICE_REFUSALS)
async def test_service_route_refuses_a_service_it_is_not_for(
    route: tuple[str, str, str], caller: str, platform: Platform
) -> None:
    scenario = ROUTES[route].scenario
    assert scenario is not None
    attempt = await scenario(platform)
    before = await attempt.snapshot()
    response = await send(platform, route[0], attempt, service_bearer(caller))
    assert response.status_code == 403, response.text
    assert caller in response.json()["detail"]
    assert await attempt.snapshot() == before


# --- allowed roles, but not the record's own parties ----------------------------------------------


async def _other_provider(p: Platform, attempt: Attempt) -> dict[str, str]:
    return provider_token(await p.provider("strategic"))


async def _other_referrer(p: Platform, attempt: Attempt) -> dict[str, str]:
    return OTHER_REFERRER


async def _declined_provider(p: Platform, attempt: Attempt) -> dict[str, str]:
    """The provider whose unit was proposed first and declined: it may still see the child, no more."""
    assert attempt.provider_id is not None
    declined = provider_token(attempt.provider_id)
    referral_id = attempt.path.split("/")[3]
    response = await p.intake.post(f"/v1/referrals/{referral_id}/decline", json={"reason": "Vol."}, headers=declined)
    assert response.status_code == 200, response.text
    assert response.json()["proposal"]["provider_id"] != attempt.provider_id
    return declined


async def proposed_to_two(p: Platform) -> Attempt:
    """A referral proposed to one of two providers' units; that provider declines in the check."""
    for _ in range(2):
        await p.unit(await p.provider("strategic"))
    referral = await p.referral()
    assert referral["status"] == "proposed", referral
    return Attempt(
        f"/v1/referrals/{referral['id']}/accept",
        lambda: p.read("intake", f"/v1/referrals/{referral['id']}"),
        json={"start_date": "2026-11-02"},
        provider_id=referral["proposal"]["provider_id"],
    )


async def availability_of_another_provider(p: Platform) -> Attempt:
    return await update_availability(p)


OWNERS: dict[str, tuple[str, Scenario, Callable[[Platform, Attempt], Awaitable[dict[str, str]]], int]] = {
    "another provider accepts": ("intake", accept, _other_provider, 404),
    "another provider declines": ("intake", decline, _other_provider, 404),
    "a provider that declined accepts after all": ("intake", proposed_to_two, _declined_provider, 403),
    "another provider ends the stay": ("intake", end_stay, _other_provider, 404),
    "another provider reports a stay at risk": ("intake", raise_signal, _other_provider, 404),
    "another referrer's organisation withdraws": ("intake", withdraw, _other_referrer, 404),
    "another referrer's organisation ends the stay": ("intake", end_stay, _other_referrer, 404),
    "another referrer's organisation splits siblings": ("intake", split_referral_group, _other_referrer, 404),
    "another provider adds a unit": ("capacity", create_unit, _other_provider, 403),
    "another provider changes availability": ("capacity", update_availability, _other_provider, 403),
    "another provider confirms availability": ("capacity", confirm_availability, _other_provider, 403),
    "another provider closes a unit": ("capacity", update_unit, _other_provider, 403),
    "another provider records one-on-one hours": ("intake", record_one_on_one, _other_provider, 404),
    "another provider deletes a webhook": ("intake", delete_webhook, _other_provider, 404),
    "another referrer's organisation deletes a webhook": ("intake", delete_webhook, _other_referrer, 404),
    "another referrer's organisation withdraws on the portal": ("intake", withdraw_on_the_portal, _other_referrer, 404),
    "another referrer's organisation removes an e-mail on the portal": (
        "intake",
        remove_email_on_the_portal,
        _other_referrer,
        404,
    ),
    "another provider changes availability on its page": ("intake", availability_on_the_portal, _other_provider, 404),
    "another provider confirms availability on its page": (
        "intake",
        confirm_availability_on_the_portal,
        _other_provider,
        404,
    ),
    "another provider closes a unit on its page": ("intake", close_unit_on_the_portal, _other_provider, 404),
    "another provider accepts on its page": ("intake", accept_on_the_portal, _other_provider, 404),
    "another provider declines on its page": ("intake", decline_on_the_portal, _other_provider, 404),
    "another provider reports a stay at risk on its page": ("intake", at_risk_on_the_portal, _other_provider, 404),
    "another provider records one-on-one hours on its page": (
        "intake",
        one_on_one_on_the_portal,
        _other_provider,
        404,
    ),
}


@pytest.mark.parametrize("case", list(OWNERS))
async def test_write_route_refuses_a_party_that_is_not_the_records_own(case: str, platform: Platform) -> None:
    service, scenario, who, status = OWNERS[case]
    attempt = await scenario(platform)
    headers = await who(platform, attempt)
    before = await attempt.snapshot()
    response = await send(platform, service, attempt, headers)
    assert response.status_code == status, response.text
    assert await attempt.snapshot() == before
