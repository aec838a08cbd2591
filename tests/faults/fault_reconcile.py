"""Reads the three databases directly and checks that they agree: every referral stored, none pending,
no unit over capacity counted from its rows, every held place backing one live proposal, every placed
child with one open stay."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import asyncpg
from fault_stack import Stack

INTAKE_REFERRALS = """
    SELECT id, status, referrer_org, proposal_unit_id, proposal_reservation_id, proposal_decision_id,
           placement_unit_id, placement_reservation_id, placement_occupancy_id
    FROM referrals
"""
OPEN_MATCH_REQUESTS = "SELECT referral_id FROM match_requests WHERE done_at IS NULL"
OPEN_CAPACITY_COMMANDS = "SELECT referral_id FROM capacity_commands WHERE done_at IS NULL"
IDEMPOTENCY_KEYS = "SELECT referrer_org, key, referral_id FROM idempotency_keys"
UNITS = "SELECT id, capacity, occupied, reserved, blocked FROM units"
RESERVATIONS = "SELECT id, unit_id, referral_id, status FROM reservations"
OCCUPANCIES = "SELECT id, unit_id, reservation_id, referral_id, end_date FROM occupancies"
DECISIONS = "SELECT id, referral_id, outcome, reservation_id FROM decisions"


@dataclass(frozen=True)
class Snapshot:
    referrals: dict[str, dict[str, Any]]
    open_requests: list[str]
    open_commands: list[str]
    keys: dict[tuple[str, str], str]
    units: dict[str, dict[str, Any]]
    reservations: dict[str, dict[str, Any]]
    occupancies: list[dict[str, Any]]
    decisions: dict[str, dict[str, Any]]

    def intake_state(self) -> tuple[Any, ...]:
        """What must not change while the other databases are read, for the reading to be one moment."""
        return (
            tuple(sorted((rid, tuple(sorted(row.items()))) for rid, row in self.referrals.items())),
            tuple(sorted(self.open_requests)),
            tuple(sorted(self.open_commands)),
        )


class Readers:
    """One connection per service database, read with asyncpg as the test's own eyes."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.connections: dict[str, asyncpg.Connection] = {}

    async def open(self) -> None:
        for name in ("intake", "capacity", "matching"):
            self.connections[name] = await asyncpg.connect(self.stack.dsn(name))

    async def close(self) -> None:
        for connection in self.connections.values():
            await connection.close()

    async def _rows(self, name: str, query: str) -> list[dict[str, Any]]:
        return [dict(row) for row in await self.connections[name].fetch(query)]

    async def _intake(self) -> tuple[dict[str, dict[str, Any]], list[str], list[str]]:
        intake = self.connections["intake"]
        async with intake.transaction(isolation="repeatable_read", readonly=True):
            referrals = {row["id"]: dict(row) for row in await intake.fetch(INTAKE_REFERRALS)}
            requests = [row["referral_id"] for row in await intake.fetch(OPEN_MATCH_REQUESTS)]
            commands = [row["referral_id"] for row in await intake.fetch(OPEN_CAPACITY_COMMANDS)]
        return referrals, requests, commands

    async def wait_for_new_reservation(self, within: float) -> None:
        """Return as soon as capacity has stored a reservation more than when called (bounded)."""
        capacity = self.connections["capacity"]
        count = "SELECT count(*) FROM reservations"
        before = await capacity.fetchval(count)
        deadline = time.monotonic() + within
        # Another process's database has no event to wait on: it is polled, briefly and bounded.
        while time.monotonic() < deadline and await capacity.fetchval(count) <= before:  # noqa: ASYNC110
            await asyncio.sleep(0.001)

    async def snapshot(self) -> tuple[Snapshot, bool]:
        """All three databases, and whether intake stood still while capacity and matching were read
        (if not, a hold and its proposal may have been read on either side of a change)."""
        referrals, requests, commands = await self._intake()
        capacity = self.connections["capacity"]
        async with capacity.transaction(isolation="repeatable_read", readonly=True):
            units = {row["id"]: dict(row) for row in await capacity.fetch(UNITS)}
            reservations = {row["id"]: dict(row) for row in await capacity.fetch(RESERVATIONS)}
            occupancies = [dict(row) for row in await capacity.fetch(OCCUPANCIES)]
        decisions = {row["id"]: row for row in await self._rows("matching", DECISIONS)}
        key_rows = await self._rows("intake", IDEMPOTENCY_KEYS)
        keys = {(row["referrer_org"], row["key"]): row["referral_id"] for row in key_rows}
        after = await self._intake()
        snapshot = Snapshot(referrals, requests, commands, keys, units, reservations, occupancies, decisions)
        later = Snapshot(after[0], after[1], after[2], keys, units, reservations, occupancies, decisions)
        return snapshot, snapshot.intake_state() == later.intake_state()


@dataclass
class Findings:
    """What disagrees, by kind, each with the ids it concerns."""

    items: dict[str, list[str]] = field(default_factory=dict)
    # Units and unknown referrals found wanting, so that a later scenario does not report them again.
    ids: set[str] = field(default_factory=set)

    def add(self, kind: str, detail: str) -> None:
        self.items.setdefault(kind, []).append(detail)

    def count(self, kind: str) -> int:
        return len(self.items.get(kind, []))

    def __bool__(self) -> bool:
        return any(self.items.values())

    def describe(self, limit: int = 5) -> str:
        lines = []
        for kind, details in sorted(self.items.items()):
            shown = "; ".join(details[:limit]) + (" …" if len(details) > limit else "")
            lines.append(f"  {kind}: {len(details)} ({shown})")
        return "\n".join(lines)


# The kinds of disagreement, as the summary names them.
LOST = "referral lost"
DUPLICATE = "referral stored twice"
UNANSWERED = "referral not answered"
PENDING = "referral left pending"
OPEN_REQUEST = "match request left open"
ORPHAN_HOLD = "held place without a live proposal"
PROPOSAL_WITHOUT_HOLD = "proposal without its held place"
PROPOSAL_WITHOUT_DECISION = "proposal without matching's decision"
PLACED_WITHOUT_STAY = "placed child without exactly one open stay"
STAY_WITHOUT_PLACEMENT = "open stay without a placed child"
LOST_ACCEPT = "lost accept (intake proposed, capacity has the stay)"
OVERBOOKED = "unit over capacity (rows)"
OVERBOOKED_COUNTERS = "unit over capacity (counters)"
COUNTERS_DRIFT = "unit counters disagree with rows"


def check(
    snapshot: Snapshot,
    *,
    org: str,
    submitted: dict[str, str | None],
    unanswered: list[str],
    reported: set[str],
) -> Findings:
    """The invariants for one scenario's referrals (those of `org`), and for every unit or unknown
    referral not found wanting before (`reported`: the ids of earlier scenarios' findings)."""
    found = Findings()
    mine = {rid: row for rid, row in snapshot.referrals.items() if row["referrer_org"] == org}
    known = set(snapshot.referrals)

    # Every submission answered and stored once.
    for key in unanswered:
        found.add(UNANSWERED, key)
    resolved: set[str] = set()
    for key, referral_id in submitted.items():
        stored = snapshot.keys.get((org, key))
        if referral_id is None or referral_id not in mine or stored != referral_id:
            found.add(LOST, f"key {key}: answered {referral_id}, stored {stored}")
        else:
            resolved.add(referral_id)
    for referral_id in sorted(set(mine) - resolved):
        if referral_id not in submitted.values():
            found.add(DUPLICATE, referral_id)

    # None pending, nor waiting for a match request that is still being tried.
    for referral_id, row in mine.items():
        if row["status"] == "pending":
            found.add(PENDING, referral_id)
    for referral_id in sorted(set(snapshot.open_requests) & set(mine)):
        if mine[referral_id]["status"] != "pending":
            found.add(OPEN_REQUEST, referral_id)

    def concerns(referral_id: str) -> bool:
        if referral_id in mine:
            return True
        if referral_id in known or referral_id in reported:
            return False
        found.ids.add(referral_id)
        return True

    held = {rid: r for rid, r in snapshot.reservations.items() if r["status"] == "held"}

    # Every placed child has exactly one open stay, and every open stay belongs to a placed child.
    open_stays: dict[str, list[dict[str, Any]]] = {}
    for occupancy in snapshot.occupancies:
        if occupancy["end_date"] is None:
            open_stays.setdefault(occupancy["referral_id"], []).append(occupancy)
    for referral_id, row in mine.items():
        if row["status"] != "placed":
            continue
        stays = open_stays.get(referral_id, [])
        if len(stays) != 1 or stays[0]["id"] != row["placement_occupancy_id"]:
            found.add(PLACED_WITHOUT_STAY, f"{referral_id} ({len(stays)} open)")
    for referral_id, stays in open_stays.items():
        if not concerns(referral_id):
            continue
        referral = snapshot.referrals.get(referral_id)
        for stay in stays:
            if (
                referral is not None
                and referral["status"] == "placed"
                and referral["placement_occupancy_id"] == stay["id"]
            ):
                continue
            if (
                referral is not None
                and referral["status"] == "proposed"
                and referral["proposal_reservation_id"] == stay["reservation_id"]
            ):
                found.add(LOST_ACCEPT, referral_id)
            else:
                status = referral["status"] if referral else "unknown"
                found.add(STAY_WITHOUT_PLACEMENT, f"{stay['id']} of referral {referral_id} ({status})")

    # Every held place backs exactly one live proposal, and every proposal has its held place.
    for reservation_id, reservation in held.items():
        if not concerns(reservation["referral_id"]):
            continue
        referral = snapshot.referrals.get(reservation["referral_id"])
        if (
            referral is None
            or referral["status"] != "proposed"
            or referral["proposal_reservation_id"] != reservation_id
            or referral["proposal_unit_id"] != reservation["unit_id"]
        ):
            status = referral["status"] if referral else "unknown"
            found.add(ORPHAN_HOLD, f"{reservation_id} of referral {reservation['referral_id']} ({status})")
    for referral_id, row in mine.items():
        if row["status"] != "proposed":
            continue
        its_hold = held.get(row["proposal_reservation_id"] or "")
        # A proposal whose place became a stay in capacity is reported once, as a lost accept.
        lost_accept = referral_id in found.items.get(LOST_ACCEPT, [])
        if not lost_accept and (its_hold is None or its_hold["referral_id"] != referral_id):
            status = snapshot.reservations.get(row["proposal_reservation_id"] or "", {}).get("status", "missing")
            found.add(PROPOSAL_WITHOUT_HOLD, f"{referral_id} (reservation {status})")
        decision = snapshot.decisions.get(row["proposal_decision_id"] or "")
        if decision is None or decision["reservation_id"] != row["proposal_reservation_id"]:
            found.add(PROPOSAL_WITHOUT_DECISION, referral_id)

    # No unit over capacity, counted from the rows as well as from the counters.
    held_per_unit = Counter(r["unit_id"] for r in held.values())
    open_per_unit = Counter(o["unit_id"] for o in snapshot.occupancies if o["end_date"] is None)
    for unit_id, unit in snapshot.units.items():
        if unit_id in reported:
            continue
        rows_taken = held_per_unit[unit_id] + open_per_unit[unit_id] + unit["blocked"]
        if rows_taken > unit["capacity"]:
            found.add(OVERBOOKED, f"{unit_id}: {rows_taken} of {unit['capacity']}")
            found.ids.add(unit_id)
        counted = unit["occupied"] + unit["reserved"] + unit["blocked"]
        if counted > unit["capacity"]:
            found.add(OVERBOOKED_COUNTERS, f"{unit_id}: {counted} of {unit['capacity']}")
            found.ids.add(unit_id)
        if unit["reserved"] != held_per_unit[unit_id] or unit["occupied"] != open_per_unit[unit_id]:
            found.add(
                COUNTERS_DRIFT,
                f"{unit_id}: reserved {unit['reserved']}/held {held_per_unit[unit_id]}, "
                f"occupied {unit['occupied']}/open {open_per_unit[unit_id]}",
            )
            found.ids.add(unit_id)
    return found


@dataclass
class Outcome:
    snapshot: Snapshot
    findings: Findings
    quiet: bool
    seconds: float


async def converge(
    readers: Readers,
    *,
    org: str,
    submitted: dict[str, str | None],
    unanswered: list[str],
    reported: set[str],
    deadline_seconds: float,
) -> Outcome:
    """Poll until the platform is quiet (intake unchanged while the others were read, nothing pending,
    no match request or capacity command open) and agrees with itself, or until the deadline; the
    last reading is what is reported."""
    started = time.monotonic()
    while True:
        snapshot, still = await readers.snapshot()
        mine = {rid for rid, row in snapshot.referrals.items() if row["referrer_org"] == org}
        quiet = (
            still
            and not snapshot.open_requests
            and not snapshot.open_commands
            and not any(snapshot.referrals[rid]["status"] == "pending" for rid in mine)
        )
        findings = check(snapshot, org=org, submitted=submitted, unanswered=unanswered, reported=reported)
        elapsed = time.monotonic() - started
        if (quiet and not findings) or elapsed > deadline_seconds:
            return Outcome(snapshot, findings, quiet, elapsed)
        await asyncio.sleep(0.5)
