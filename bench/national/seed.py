"""The national data set: providers and units through capacity's API, ten years of history bulk-loaded.

Half a million referrals through the HTTP API would take hours on this machine, and the benchmark is
about how the services behave *with* that history, not about loading it. So the history (and the open
stays) go straight into each service's own database with PostgreSQL COPY, using the services' own table
definitions (`intake.db`, `capacity.db`, `matching.db`) and the same values the services would have
written: client_key through `intake.domain.client_key`, reservations confirmed into occupancies,
decisions with the units they weighed, and unit occupancy counts that match the open stays.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import random
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import sqlalchemy as sa

from bench.national.sizes import (
    CARE_TYPES,
    END_REASONS,
    OUTSIDE,
    REFERRER_ORGS,
    REGION,
    REGION_WEIGHTS,
    ROLES,
    SPECIALISMS,
    TARGET_GROUPS,
    Size,
)
from capacity import db as capacity_db
from common.auth import mint_token
from intake import db as intake_db
from intake import domain as intake_domain
from matching import db as matching_db

CHUNK = 25_000
CRISIS_CAP_DAYS = 28
HISTORY_YEARS = 10


def valid_bsn(rng: random.Random) -> str:
    """A random nine-digit number that passes the eleven-test."""
    while True:
        digits = [rng.randrange(10) for _ in range(8)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10 and (digits[0] or digits[1]):
            return "".join(map(str, digits)) + str(last)


def fast_uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def weighted(rng: random.Random, table: dict[str, int]) -> str:
    return rng.choices(list(table), weights=list(table.values()))[0]


def unit_age_band(rng: random.Random, care_type: str) -> tuple[int, int]:
    if care_type == "training_flat":
        return 16, rng.choice((18, 21, 22))
    if care_type in ("foster_care", "family_home", "respite"):
        return rng.choice(((0, 17), (0, 12), (4, 17)))
    return rng.choice(((12, 17), (8, 17), (12, 17), (14, 17)))


@dataclass
class Catalogue:
    """What was created through capacity's API: the load generator and the history both draw on it."""

    providers: list[dict[str, Any]] = field(default_factory=list)
    units: list[dict[str, Any]] = field(default_factory=list)

    def by_care_type(self) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for unit in self.units:
            grouped.setdefault(unit["care_type"], []).append(unit)
        return grouped


async def create_catalogue(
    capacity_url: str,
    secret: str,
    size: Size,
    rng: random.Random,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Catalogue:
    """Providers and units through capacity's public API, with a few requests in flight at once
    (over `transport` when given, e.g. straight to an app in the same process)."""
    token = mint_token(secret, sub="bench-coordinator", role="coordinator", org="Regiepunt")
    headers = {"Authorization": f"Bearer {token}"}
    catalogue = Catalogue()
    semaphore = asyncio.Semaphore(8)
    async with httpx.AsyncClient(base_url=capacity_url, headers=headers, timeout=30.0, transport=transport) as client:

        async def post(path: str, body: dict[str, Any]) -> dict[str, Any]:
            async with semaphore:
                response = await client.post(path, json=body)
            response.raise_for_status()
            created: dict[str, Any] = response.json()
            return created

        provider_bodies = [
            {
                "name": f"Zorgaanbieder {number:03d}",
                "agb_code": f"{30_000_000 + number:08d}",
                "role": weighted(rng, ROLES),
            }
            for number in range(size.providers)
        ]
        catalogue.providers = list(await asyncio.gather(*(post("/v1/providers", b) for b in provider_bodies)))
        unit_posts = []
        for number in range(size.units):
            provider = catalogue.providers[number % len(catalogue.providers)]
            care_type = weighted(rng, CARE_TYPES)
            age_min, age_max = unit_age_band(rng, care_type)
            inside = rng.random() < 0.8
            body = {
                "name": f"Unit {number:05d}",
                "care_type": care_type,
                "target_groups": rng.sample(TARGET_GROUPS, rng.randint(1, 3)),
                "age_min": age_min,
                "age_max": age_max,
                "municipality_code": rng.choices(REGION, weights=REGION_WEIGHTS)[0] if inside else rng.choice(OUTSIDE),
                "capacity": rng.randint(2, 12)
                if care_type not in ("foster_care", "family_home")
                else rng.randint(1, 4),
                "specialisms": rng.sample(SPECIALISMS, rng.randint(0, 3)),
                "part_time": care_type in ("foster_care", "respite") and rng.random() < 0.4,
            }
            unit_posts.append(post(f"/v1/providers/{provider['id']}/units", body))
        catalogue.units = list(await asyncio.gather(*unit_posts))
    for unit in catalogue.units:
        unit["role"] = next(p["role"] for p in catalogue.providers if p["id"] == unit["provider_id"])
    return catalogue


# --- history ----------------------------------------------------------------------------------------


@dataclass
class Chunk:
    """Rows for every table of every service, for one slice of the generated referrals."""

    intake: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    capacity: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    matching: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, service: str, table: str, row: dict[str, Any]) -> None:
        getattr(self, service).setdefault(table, []).append(row)


@dataclass
class OpenStay:
    referral_id: str
    provider_id: str
    unit_id: str
    care_type: str
    start_date: date


class HistoryWriter:
    """Generates consistent referrals, stays and decisions and writes them with COPY."""

    def __init__(self, catalogue: Catalogue, client_key_secret: str, now: datetime, rng: random.Random) -> None:
        self.catalogue = catalogue
        self.units_by_care_type = catalogue.by_care_type()
        self.secret = client_key_secret
        self.now = now
        self.today = now.date()
        self.rng = rng
        # About one in three children comes back: repeated referrals of the same client.
        self.clients: list[tuple[str, str, date, str]] = []
        self.free_places = {unit["id"]: unit["capacity"] - 1 for unit in catalogue.units}
        self.open_stays: list[OpenStay] = []

    def _client(self, care_type: str) -> tuple[str, str, date, str]:
        rng = self.rng
        if self.clients and rng.random() < 0.35:
            return rng.choice(self.clients)
        bsn = valid_bsn(rng)
        youngest, oldest = (16, 21) if care_type == "training_flat" else (0, 17)
        birth = self.today - timedelta(days=rng.randint(youngest * 365 + 30, oldest * 365 + 300))
        client = (bsn, intake_domain.client_key(self.secret, bsn), birth, rng.choices(REGION, REGION_WEIGHTS)[0])
        self.clients.append(client)
        return client

    def _pick_unit(self, care_type: str, open_stay: bool) -> dict[str, Any] | None:
        units = self.units_by_care_type.get(care_type) or self.catalogue.units
        if not open_stay:
            return self.rng.choice(units)
        for _ in range(20):
            unit = self.rng.choice(units)
            if self.free_places[unit["id"]] > 0:
                self.free_places[unit["id"]] -= 1
                return unit
        return None

    def referral(self, chunk: Chunk, *, open_stay: bool) -> None:
        rng = self.rng
        care_type = weighted(rng, CARE_TYPES)
        unit = self._pick_unit(care_type, open_stay)
        if unit is None:
            return
        care_type = unit["care_type"]
        bsn, key, birth, municipality = self._client(care_type)
        org, referrer_type = rng.choice(REFERRER_ORGS)
        referral_id = fast_uuid(rng)
        crisis = care_type == "crisis"
        if open_stay:
            start = self.today - timedelta(days=rng.randint(0, 35 if crisis else 400))
            created = datetime.combine(start, datetime.min.time(), UTC) - timedelta(hours=rng.randint(2, 24 * 20))
            end = None
            reason = None
            status = "placed"
        else:
            days_back = rng.randint(60, HISTORY_YEARS * 365)
            created = self.now - timedelta(days=days_back, seconds=rng.randint(0, 86_399))
            start = created.date() + timedelta(days=rng.randint(0, 20))
            stay = rng.randint(3, 45) if crisis else int(rng.lognormvariate(5.3, 0.8)) + 7
            end = min(start + timedelta(days=stay), self.today - timedelta(days=1))
            withdrawn = rng.random() < 0.04
            status = "withdrawn" if withdrawn else "ended"
            reason = None if withdrawn else weighted(rng, END_REASONS)
        crisis_end = start + timedelta(days=CRISIS_CAP_DAYS) if crisis else None
        in_region = bool(unit["in_region"])
        placed = status != "withdrawn"
        updated = self.now if end is None else datetime.combine(end, datetime.min.time(), UTC)
        needs = rng.sample(SPECIALISMS, rng.randint(0, 2))
        out_of_region = None if in_region else rng.choice(("safety", "expertise"))
        chunk.add(
            "intake",
            "referrals",
            {
                "id": referral_id,
                "status": status,
                "referrer_org": org,
                "referrer_sub": f"{referrer_type}-{rng.randint(1, 40)}",
                "bsn": bsn,
                "client_key": key,
                "birth_date": birth,
                "municipality_code": municipality,
                "care_type": care_type,
                "target_group": rng.choice(unit["target_groups"]),
                "needs": json.dumps(needs),
                "part_time": bool(unit["part_time"]) and rng.random() < 0.5,
                "requested_start": start,
                "out_of_region_criterion": out_of_region,
                "out_of_region_justification": (
                    "Geen passende plek met deze expertise binnen de regio beschikbaar." if out_of_region else None
                ),
                "notes": None,
                "excluded_unit_ids": "[]",
                "match_attempts": 1,
                "proposal_unit_id": None,
                "proposal_provider_id": None,
                "proposal_in_region": None,
                "proposal_expires_at": None,
                "proposal_reasons": None,
                "proposal_reservation_id": None,
                "proposal_decision_id": None,
                "placement_unit_id": unit["id"] if placed else None,
                "placement_provider_id": unit["provider_id"] if placed else None,
                "placement_in_region": in_region if placed else None,
                "placement_reservation_id": None,
                "placement_occupancy_id": None,
                "start_date": start if placed else None,
                "end_date": end if placed else None,
                "end_reason": reason,
                "crisis_end_date": crisis_end if placed else None,
                "unmatched_reasons": None,
                "created_at": created,
                "updated_at": updated,
            },
        )
        row = chunk.intake["referrals"][-1]
        request_id = f"{referral_id}:attempt-1"
        decided = created + timedelta(milliseconds=rng.randint(20, 400))
        chunk.add(
            "intake",
            "match_requests",
            {
                "id": fast_uuid(rng),
                "referral_id": referral_id,
                "request_id": request_id,
                "unit_id": None,
                "created_at": created,
                "attempts": 1,
                "next_attempt_at": created,
                "claimed_by": None,
                "claimed_until": None,
                "done_at": decided,
                "last_error": None,
            },
        )
        chunk.add(
            "intake",
            "referral_providers",
            {"referral_id": referral_id, "provider_id": unit["provider_id"], "created_at": decided},
        )
        for action, at in (("create", created), ("accept", decided + timedelta(hours=rng.randint(1, 48)))):
            chunk.add(
                "intake",
                "access_log",
                {
                    "at": at,
                    "sub": row["referrer_sub"],
                    "role": "referrer" if action == "create" else "provider",
                    "org": org,
                    "action": action,
                    "referral_id": referral_id,
                    "client_key": key,
                },
            )
        if crisis and placed and end is not None and crisis_end is not None and end > crisis_end:
            chunk.add(
                "intake",
                "crisis_extensions",
                {
                    "id": fast_uuid(rng),
                    "referral_id": referral_id,
                    "days": (end - crisis_end).days,
                    "reason": "Vervolgplek nog niet beschikbaar; veiligheid thuis niet gegarandeerd.",
                    "previous_end_date": crisis_end,
                    "new_end_date": end,
                    "extended_by": "coordinator-1",
                    "created_at": datetime.combine(crisis_end, datetime.min.time(), UTC),
                },
            )
            row["crisis_end_date"] = end

        if placed:
            self._signals(chunk, row, decided, end)

        reservation_id = fast_uuid(rng)
        hold_until = decided + timedelta(hours=4 if crisis else 72)
        chunk.add(
            "capacity",
            "reservations",
            {
                "id": reservation_id,
                "unit_id": unit["id"],
                "provider_id": unit["provider_id"],
                "referral_id": referral_id,
                "client_key": key,
                "status": "confirmed" if placed else "released",
                "expires_at": hold_until,
                "created_at": decided,
                "updated_at": decided + timedelta(hours=1),
            },
        )
        if placed:
            occupancy_id = fast_uuid(rng)
            row["placement_reservation_id"] = reservation_id
            row["placement_occupancy_id"] = occupancy_id
            chunk.add(
                "capacity",
                "occupancies",
                {
                    "id": occupancy_id,
                    "unit_id": unit["id"],
                    "provider_id": unit["provider_id"],
                    "reservation_id": reservation_id,
                    "referral_id": referral_id,
                    "client_key": key,
                    "start_date": start,
                    "end_date": end,
                    "created_at": decided,
                    "updated_at": updated,
                },
            )
        if open_stay:
            self.open_stays.append(OpenStay(referral_id, unit["provider_id"], unit["id"], care_type, start))

        decision_id = fast_uuid(rng)
        reasons = ["inside the region" if in_region else "outside the region, for expertise not available inside"]
        chunk.add(
            "matching",
            "decisions",
            {
                "id": decision_id,
                "request_id": request_id,
                "referral_id": referral_id,
                "client_key": key,
                "care_type": care_type,
                "target_group": row["target_group"],
                "age": max(0, min(23, intake_domain.age_on(birth, created.date()))),
                "municipality_code": municipality,
                "needs": json.dumps(needs),
                "part_time": row["part_time"],
                "out_of_region": out_of_region,
                "known_provider_ids": "[]",
                "excluded_unit_ids": "[]",
                "offered_unit_id": None,
                "hold_until": hold_until,
                "outcome": "proposed",
                "reasons": json.dumps(reasons),
                "proposed_unit_id": unit["id"],
                "proposed_provider_id": unit["provider_id"],
                "proposed_in_region": in_region,
                "reservation_id": reservation_id,
                "expires_at": hold_until,
                "proposal_reasons": json.dumps(reasons),
                "created_at": decided,
            },
        )
        weighed = [
            unit,
            *rng.sample(self.units_by_care_type[care_type], min(3, len(self.units_by_care_type[care_type]))),
        ]
        seen: set[str] = set()
        for rank, candidate in enumerate(weighed, start=1):
            if candidate["id"] in seen:
                continue
            seen.add(candidate["id"])
            chosen = candidate is unit
            chunk.add(
                "matching",
                "decision_candidates",
                {
                    "decision_id": decision_id,
                    "unit_id": candidate["id"],
                    "provider_id": candidate["provider_id"],
                    "in_region": bool(candidate["in_region"]),
                    "eligible": True,
                    "excluded_reason": None,
                    "score": round(5.0 - rank * 0.5, 2),
                    "parts": json.dumps({"needs": 2.0, "proximity": 1.0}),
                    "rank": rank,
                    "chosen": chosen,
                },
            )

    def _signals(self, chunk: Chunk, row: dict[str, Any], placed_at: datetime, end: date | None) -> None:
        """The signals intake raised for this stay: a placement outside the region, a breakdown.
        Those of ended stays were acknowledged with an analysis long ago; those of open stays are open.
        A placement outside the region stopped holding when its stay ended (`resolved_at`, as intake's
        resolution check sets it); a breakdown is an event, live for ever."""
        if "signals" not in TABLES["intake"]:
            return
        raised = []
        ended_at = datetime.combine(end, datetime.min.time(), UTC) if end is not None else None
        if not row["placement_in_region"]:
            raised.append(("out_of_region", placed_at, {"provider_id": row["placement_provider_id"]}))
        if row["end_reason"] == "breakdown" and ended_at is not None:
            raised.append(("placement_breakdown", ended_at, {"provider_id": row["placement_provider_id"]}))
        for signal_type, at, detail in raised:
            condition = f"{signal_type}:{row['client_key']}:{row['id']}"
            acknowledged = end is not None
            chunk.add(
                "intake",
                "signals",
                {
                    "id": fast_uuid(self.rng),
                    "type": signal_type,
                    "status": "acknowledged" if acknowledged else "open",
                    "referral_id": row["id"],
                    "client_key": row["client_key"],
                    "condition_key": condition,
                    "open_key": None if acknowledged else condition,
                    "detail": json.dumps(detail),
                    "analysis": "Besproken in het regio-overleg; vervolgafspraken vastgelegd."
                    if acknowledged
                    else None,
                    "acknowledged_by": "coordinator-1" if acknowledged else None,
                    "acknowledged_at": at + timedelta(days=2) if acknowledged else None,
                    "created_at": at,
                    "resolved_at": ended_at if signal_type == "out_of_region" and end is not None else None,
                },
            )

    def chunks(self, size: Size) -> Iterator[tuple[Chunk, int]]:
        written = 0
        while written < size.history:
            chunk = Chunk()
            count = min(CHUNK, size.history - written)
            for _ in range(count):
                self.referral(chunk, open_stay=False)
            written += count
            yield chunk, written
        chunk = Chunk()
        for _ in range(size.open_referrals):
            self.referral(chunk, open_stay=True)
        yield chunk, 0


TABLES: dict[str, dict[str, sa.Table]] = {
    "intake": {t.name: t for t in intake_db.metadata.sorted_tables},
    "capacity": {t.name: t for t in capacity_db.metadata.sorted_tables},
    "matching": {t.name: t for t in matching_db.metadata.sorted_tables},
}


async def copy_rows(connection: asyncpg.Connection, table: sa.Table, rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    columns = [column.name for column in table.columns if column.name in rows[0]]
    records = [tuple(row[name] for name in columns) for row in rows]
    await connection.copy_records_to_table(table.name, records=records, columns=columns)


def _intake_migration(number: str) -> Any:
    versions = Path(intake_db.__file__).resolve().parent / "migrations" / "versions"
    [path] = versions.glob(f"{number}_*.py")
    spec = importlib.util.spec_from_file_location(f"intake_migration_{number}", path)
    assert spec is not None and spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    return migration


def intake_fills(tables: Iterable[str]) -> list[str]:
    """The statements of intake's migrations that derive what the indicators keep from the stays there
    are: each stay's context (0006) and, where the database has the table, the per-day totals (0019)."""
    fills = [str(_intake_migration("0006").FILL)]
    if "indicator_days" in tables:
        fills += list(_intake_migration("0019").fill_statements("postgresql"))
    return fills


async def vacuum_until_visible(connection: asyncpg.Connection, service: str, attempts: int = 20) -> None:
    """VACUUM ANALYZE until the pages are marked all-visible, as autovacuum keeps them in production.

    The indicators read covering indexes only; that works only on pages the visibility map marks
    all-visible. A VACUUM cannot mark the pages that the loading UPDATE left dead row versions on while
    another transaction (a worker of the running services) may still see them, and without a later
    VACUUM (this server may run without autovacuum) every such read goes to the table instead: about ten
    times slower over 500,000 referrals. So it is repeated, a second apart, until at least 95% of
    the pages are all-visible."""
    share = 0.0
    for _ in range(attempts):
        await connection.execute("VACUUM ANALYZE")
        pages, visible = await connection.fetchrow(
            "SELECT coalesce(sum(relpages), 0), coalesce(sum(relallvisible), 0) FROM pg_class"
            " WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace"
        )
        share = visible / pages if pages else 1.0
        if share >= 0.95:
            return
        await asyncio.sleep(1.0)
    print(f"    {service}: only {share:.0%} of the pages all-visible after {attempts} VACUUMs", flush=True)


async def load_history(
    dsns: dict[str, str], catalogue: Catalogue, client_key_secret: str, size: Size, seed: int
) -> list[OpenStay]:
    """Writes the history and the open stays into the three databases; returns the open stays."""
    writer = HistoryWriter(catalogue, client_key_secret, datetime.now(UTC), random.Random(seed))
    connections = {service: await asyncpg.connect(dsn) for service, dsn in dsns.items()}
    try:
        for chunk, written in writer.chunks(size):
            for service in ("intake", "capacity", "matching"):
                rows_by_table: dict[str, list[dict[str, Any]]] = getattr(chunk, service)
                # Parents before children, as the foreign keys want.
                for table in TABLES[service].values():
                    await copy_rows(connections[service], table, rows_by_table.get(table.name, []))
            if written:
                print(f"    history: {written:,} of {size.history:,} referrals", flush=True)
        # The open stays occupy their places: the unit counts must say so.
        occupied: dict[str, int] = {}
        for stay in writer.open_stays:
            occupied[stay.unit_id] = occupied.get(stay.unit_id, 0) + 1
        await connections["capacity"].executemany(
            "UPDATE units SET occupied = occupied + $2, version = version + 1 WHERE id = $1",
            list(occupied.items()),
        )
        # Written past capacity's own code, so numbered here: matching's read model reads every unit
        # again, with the stays and holds loaded under it (docs/internal-api.md, the change feed).
        await connections["capacity"].execute(
            "UPDATE change_counter SET seq = seq + 1 WHERE id = 1;"
            " UPDATE units SET change_seq = (SELECT seq FROM change_counter WHERE id = 1)"
        )
        # What intake keeps on each stay about the child's other stays (intake.indicators.stays), derived for the
        # whole history at once the way its migration derives it for existing rows.
        print("    deriving what the indicators keep per stay and per day", flush=True)
        for statement in intake_fills(TABLES["intake"]):
            await connections["intake"].execute(statement)
        for service, connection in connections.items():
            await vacuum_until_visible(connection, service)
    finally:
        for connection in connections.values():
            await connection.close()
    return writer.open_stays
