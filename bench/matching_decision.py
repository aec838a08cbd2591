"""How long one matching decision takes over a national capacity register of 5,000 units.

Builds a capacity database with ~400 providers and 5,000 units through capacity's own API (in-process):
as in a national deployment, most units lie outside the region (Haaglanden holds about 7% of the
country's children; here 8% of the units), so a decision without a ground to place outside reads only
the region's units, and one with a ground reads the rest of the country too. Then times N decisions
through matching's HTTP API in-process (httpx over ASGI, so the decision really goes matching ->
capacity over HTTP: the hold, whose answer carries the changes for matching's read model (or, with
--no-read-model, the candidate list and then the hold), and the stored decision with every unit
weighed). One in ten requests carries the safety ground and one in ten expertise. Also times the
pure ranking step alone on the same candidate lists, and counts the calls to capacity and the SQL
statements of each service per decision.

    .venv/bin/python bench/matching_decision.py            # SQLite files in a temp dir
    .venv/bin/python bench/matching_decision.py --pg       # PostgreSQL at REGIEPUNT_TEST_PG_DSN

Prints p50/p95/p99 in ms and writes them under the database's name in bench/results/matching_decision.json
(with --no-read-model under `<database>-candidates-call`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching_decision.json"
PG_ADMIN_DSN = os.environ.get("REGIEPUNT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")

REGION = ["GM0503", "GM0518", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783", "GM0637"]
# Den Haag is by far the largest municipality; most units and children are there.
REGION_WEIGHTS = [10, 40, 8, 2, 5, 8, 3, 10, 14]
INSIDE_SHARE = 0.08
# The rest of the country: Rotterdam, Leiden, Utrecht, Amsterdam, Groningen, Eindhoven, Tilburg,
# Nijmegen, Arnhem, Zwolle, Breda, Dordrecht, Haarlem, Amersfoort, Maastricht, Enschede.
OUTSIDE = [
    "GM0599",
    "GM0546",
    "GM0344",
    "GM0363",
    "GM0014",
    "GM0772",
    "GM0855",
    "GM0268",
    "GM0202",
    "GM0193",
    "GM0758",
    "GM0505",
    "GM0392",
    "GM0307",
    "GM0935",
    "GM0153",
]
GROUNDS: dict[str | None, int] = {None: 8, "safety": 1, "expertise": 1}
CARE_TYPES = {
    "residential": 35,
    "family_home": 15,
    "foster_care": 15,
    "crisis": 10,
    "training_flat": 8,
    "respite": 7,
    "clinical": 6,
    "secure": 4,
}
TARGET_GROUPS = ["jo", "lvb", "ggz"]
SPECIALISMS = ["trauma", "autism", "adhd", "attachment", "substance_use", "eating_disorder", "self_harm", "aggression"]
ROLES = {"strategic": 1, "tactical": 3, "operational": 16}


class TimedTransport(httpx.AsyncBaseTransport):
    """Matching's transport to capacity, timing each call (wall clock, response body included)."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.wall_ms: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def reset(self) -> None:
        self.wall_ms.clear()
        self.calls.clear()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        response = await self.inner.handle_async_request(request)
        await response.aread()
        call = request.url.path.rsplit("/", 1)[-1]  # candidates or changes, reservations, release
        self.wall_ms[call] = self.wall_ms.get(call, 0.0) + (time.perf_counter() - started) * 1000
        self.calls[call] = self.calls.get(call, 0) + 1
        return response


class StatementCount:
    """The SQL statements a service's database runs (cursor executions), counted while timing."""

    def __init__(self, database: Any) -> None:
        from sqlalchemy import event

        self.count = 0
        event.listen(database.engine.sync_engine, "before_cursor_execute", self._counted)

    def _counted(self, *_: Any) -> None:
        self.count += 1


def start_profiler(path: Path | None) -> Any:
    """pyinstrument over the decisions, when asked for (it is not in the dev requirements)."""
    if path is None:
        return None
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.0005, async_mode="enabled")
    profiler.start()
    return profiler


def stop_profiler(profiler: Any, path: Path | None) -> None:
    if profiler is None or path is None:
        return
    profiler.stop()
    path.write_text(profiler.output_text(unicode=False, color=False, show_all=False))
    # The whole session too, to be rendered again in other ways: pyinstrument --load FILE.
    profiler.last_session.save(str(path.with_suffix(".pyisession")))
    print(f"profile written to {path}")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    return {
        "p50": round(at(0.50), 3),
        "p95": round(at(0.95), 3),
        "p99": round(at(0.99), 3),
        "mean": round(statistics.fmean(ordered), 3),
        "max": round(ordered[-1], 3),
    }


async def database_urls(pg: bool, tmp: Path) -> tuple[dict[str, str], list[str]]:
    if not pg:
        return {s: f"sqlite+aiosqlite:///{tmp / f'{s}.db'}" for s in ("capacity", "matching")}, []
    names = {s: f"regiepunt_bench_{s}_{uuid.uuid4().hex[:8]}" for s in ("capacity", "matching")}
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in names.values():
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    host = PG_ADMIN_DSN.split("://", 1)[1].rsplit("/", 1)[0]
    return {s: f"postgresql+asyncpg://{host}/{n}" for s, n in names.items()}, list(names.values())


async def drop_databases(names: list[str]) -> None:
    if not names:
        return
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def seed(
    capacity: httpx.AsyncClient, rng: random.Random, providers: int, units: int, inside_share: float
) -> list[str]:
    from common.testing import bearer

    headers = bearer("coordinator")
    provider_ids: list[str] = []
    for number in range(providers):
        role = rng.choices(list(ROLES), weights=list(ROLES.values()))[0]
        body = {"name": f"Provider {number}", "agb_code": f"{30_000_000 + number}", "role": role}
        response = await capacity.post("/v1/providers", json=body, headers=headers)
        response.raise_for_status()
        provider_ids.append(response.json()["id"])
    for number in range(units):
        care_type = rng.choices(list(CARE_TYPES), weights=list(CARE_TYPES.values()))[0]
        age_min = rng.choice([0, 4, 8, 12, 12, 16])
        outside = rng.random() >= inside_share
        body = {
            "name": f"Unit {number}",
            "care_type": care_type,
            "target_groups": rng.sample(TARGET_GROUPS, rng.randint(1, 3)),
            "age_min": age_min,
            "age_max": min(23, age_min + rng.choice([5, 8, 10])),
            "municipality_code": rng.choice(OUTSIDE) if outside else rng.choices(REGION, weights=REGION_WEIGHTS)[0],
            "capacity": rng.randint(1, 12),
            "specialisms": rng.sample(SPECIALISMS, rng.randint(0, 3)),
            "part_time": care_type in ("foster_care", "respite") and rng.random() < 0.3,
        }
        response = await capacity.post(f"/v1/providers/{rng.choice(provider_ids)}/units", json=body, headers=headers)
        response.raise_for_status()
    return provider_ids


def decision_request(rng: random.Random, provider_ids: list[str], hold_until: datetime) -> dict[str, Any]:
    referral_id = str(uuid.uuid4())
    ground = rng.choices(list(GROUNDS), weights=list(GROUNDS.values()))[0]
    return {
        "request_id": f"{referral_id}:attempt-1",
        "referral_id": referral_id,
        "client_key": f"client-{referral_id[:12]}",
        "care_type": rng.choices(list(CARE_TYPES), weights=list(CARE_TYPES.values()))[0],
        "target_group": rng.choice(TARGET_GROUPS),
        "age": rng.randint(4, 17),
        "municipality_code": rng.choices(REGION, weights=REGION_WEIGHTS)[0],
        "needs": rng.sample(SPECIALISMS, rng.randint(0, 2)),
        "part_time": rng.random() < 0.1,
        "out_of_region": ground,
        "known_provider_ids": rng.sample(provider_ids, rng.randint(0, 2)),
        "excluded_unit_ids": [],
        "hold_until": hold_until.isoformat(),
        "unit_id": None,
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    from capacity.main import MIGRATIONS_DIR as CAPACITY_MIGRATIONS
    from capacity.main import create_app as create_capacity
    from capacity.settings import CapacitySettings
    from common.app import freeze_startup_objects
    from common.clock import ManualClock
    from common.logging import configure_logging
    from common.migrations import upgrade_to_head_async
    from common.testing import service_bearer
    from contracts.matching import DecisionRequest
    from matching.domain import rank_units
    from matching.main import MIGRATIONS_DIR as MATCHING_MIGRATIONS
    from matching.main import create_app as create_matching
    from matching.replica import Replica
    from matching.service import read_units, wish_from
    from matching.settings import MatchingSettings

    configure_logging("WARNING")
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        urls, pg_names = await database_urls(args.pg, tmp)
        try:
            await upgrade_to_head_async(CAPACITY_MIGRATIONS, urls["capacity"])
            await upgrade_to_head_async(MATCHING_MIGRATIONS, urls["matching"])
            clock = ManualClock(datetime(2026, 11, 2, 9, 0, tzinfo=UTC))
            capacity_app = create_capacity(
                CapacitySettings(capacity_database_url=urls["capacity"], data_dir=tmp, run_workers=False), clock=clock
            )
            capacity_calls = TimedTransport(httpx.ASGITransport(app=capacity_app))
            matching_app = create_matching(
                MatchingSettings(
                    matching_database_url=urls["matching"],
                    data_dir=tmp,
                    run_workers=False,
                    matching_read_model=not args.no_read_model,
                ),
                clock=clock,
                capacity_transport=capacity_calls,
            )
            capacity = httpx.AsyncClient(transport=httpx.ASGITransport(app=capacity_app), base_url="http://capacity")
            matching = httpx.AsyncClient(transport=httpx.ASGITransport(app=matching_app), base_url="http://matching")
            try:
                started = time.perf_counter()
                provider_ids = await seed(capacity, rng, args.providers, args.units, args.inside_share)
                seed_seconds = time.perf_counter() - started
                print(f"seeded {args.providers} providers and {args.units} units in {seed_seconds:.1f} s")

                # What the services' lifespan does once started (common.app.freeze_startup_objects);
                # the in-process transport does not run lifespans.
                freeze_startup_objects()
                load_before = os.getloadavg()
                hold_until = clock.now() + timedelta(days=7)
                requests = [decision_request(rng, provider_ids, hold_until) for _ in range(args.warmup + args.n)]
                # Matching takes decisions for intake only (common.auth: FromIntake).
                headers = service_bearer("intake")
                decision_ms: list[float] = []
                by_ground: dict[str, list[float]] = {}
                outcomes: dict[str, int] = {}
                decision_ids: list[str] = []
                decision_cpu_ms: list[float] = []
                profiler = start_profiler(args.profile)
                statements = {
                    "capacity": StatementCount(capacity_app.state.database),
                    "matching": StatementCount(matching_app.state.database),
                }
                for index, body in enumerate(requests):
                    if index == args.warmup:
                        capacity_calls.reset()
                        for counter in statements.values():
                            counter.count = 0
                    started, cpu_started = time.perf_counter(), time.process_time()
                    response = await matching.post("/v1/decisions", json=body, headers=headers)
                    elapsed = (time.perf_counter() - started) * 1000
                    cpu = (time.process_time() - cpu_started) * 1000
                    response.raise_for_status()
                    if index >= args.warmup:
                        decision_ms.append(elapsed)
                        decision_cpu_ms.append(cpu)
                        by_ground.setdefault(body["out_of_region"] or "none", []).append(elapsed)
                        decision = response.json()
                        outcomes[decision["outcome"]] = outcomes.get(decision["outcome"], 0) + 1
                        decision_ids.append(decision["id"])

                load_after = os.getloadavg()
                stop_profiler(profiler, args.profile)
                capacity_ms = {call: round(total / args.n, 3) for call, total in capacity_calls.wall_ms.items()}
                calls = {call: round(count / args.n, 2) for call, count in capacity_calls.calls.items()}
                statements_per_decision = {name: round(c.count / args.n, 2) for name, c in statements.items()}

                # What each decision weighed, read back from the stored decisions.
                weighed: list[int] = []
                counted: list[int] = []
                for decision_id in decision_ids:
                    stored = (await matching.get(f"/v1/decisions/{decision_id}", headers=headers)).json()
                    weighed.append(len(stored["candidates"]))
                    counted.append(sum(stored["outside_counted"].values()))

                # The pure ranking step on the same candidate lists, read once beforehand the way a
                # decision reads them. And the step before it, listing the units, both ways in turn
                # for each request (so that both meet the same moments of a shared machine): asked of
                # capacity, and from a read model caught up with capacity first.
                ranking_ms: list[float] = []
                listing_ms: dict[str, list[float]] = {"candidates_call": [], "read_model": []}
                client = matching_app.state.capacity
                replica = Replica()
                await replica.catch_up(client)
                for body in requests[args.warmup :]:
                    request = DecisionRequest.model_validate(body)
                    wish = wish_from(request)
                    started = time.perf_counter()
                    read = await read_units(client, request, wish)
                    listing_ms["candidates_call"].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    await replica.catch_up(client)
                    await read_units(client, request, wish, replica=replica)
                    listing_ms["read_model"].append((time.perf_counter() - started) * 1000)
                    started = time.perf_counter()
                    rank_units(wish, read.units, read.rejected, read.outside_counted, read.unfit_counted)
                    ranking_ms.append((time.perf_counter() - started) * 1000)
            finally:
                await capacity.aclose()
                await matching.aclose()
                await matching_app.state.capacity.aclose()
                await matching_app.state.database.dispose()
                await capacity_app.state.database.dispose()
        finally:
            await drop_databases(pg_names)

    return {
        "benchmark": "matching_decision",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": "postgresql" if args.pg else "sqlite",
        "providers": args.providers,
        "units": args.units,
        "decisions": args.n,
        "warmup": args.warmup,
        "units_inside_region_share": args.inside_share,
        "grounds": {str(ground): weight for ground, weight in GROUNDS.items()},
        "units_weighed_per_decision": {"mean": round(statistics.fmean(weighed), 1), "max": max(weighed)},
        "units_outside_counted_not_listed": {"mean": round(statistics.fmean(counted), 1)},
        "outcomes": outcomes,
        "decision_ms": percentiles(decision_ms),
        "decision_cpu_ms": percentiles(decision_cpu_ms),
        "read_model": not args.no_read_model,
        "capacity_calls_ms_per_decision": capacity_ms,
        "capacity_calls_per_decision": calls,
        "sql_statements_per_decision": statements_per_decision,
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(load_after[0], 2)},
        "cpus": os.cpu_count(),
        "decision_ms_by_ground": {ground: percentiles(samples) for ground, samples in sorted(by_ground.items())},
        "ranking_ms": percentiles(ranking_ms),
        "listing_ms": {way: percentiles(samples) for way, samples in listing_ms.items()},
        "seed_seconds": round(seed_seconds, 1),
        "python": platform.python_version(),
        "target": "decision p99 < 20 ms",
        "target_met": percentiles(decision_ms)["p99"] < 20.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=500, help="decisions to time")
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--providers", type=int, default=400)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite files")
    parser.add_argument(
        "--inside-share",
        type=float,
        default=INSIDE_SHARE,
        help="share of the units inside the region (the national benchmark's register has 0.8)",
    )
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--profile", type=Path, help="write a pyinstrument profile of the timed decisions here")
    parser.add_argument(
        "--no-read-model",
        action="store_true",
        help="matching asks capacity for the candidate list at every decision instead of ranking from its read model",
    )
    args = parser.parse_args()

    result = asyncio.run(run(args))
    d, r = result["decision_ms"], result["ranking_ms"]
    print(
        f"{result['database']}: {args.n} decisions over {args.units} units "
        f"(~{result['units_weighed_per_decision']['mean']:.0f} weighed each)"
    )
    print(f"decision  p50 {d['p50']:.2f} ms  p95 {d['p95']:.2f} ms  p99 {d['p99']:.2f} ms")
    c = result["decision_cpu_ms"]
    print(f"  cpu     p50 {c['p50']:.2f} ms  p95 {c['p95']:.2f} ms  p99 {c['p99']:.2f} ms (process time, all threads)")
    print(f"  capacity calls per decision (ms): {result['capacity_calls_ms_per_decision']}")
    print(f"  capacity calls per decision: {result['capacity_calls_per_decision']}")
    print(f"  SQL statements per decision: {result['sql_statements_per_decision']}")
    print(f"  load average (1 min) before/after: {result['load_average_1min']} on {result['cpus']} cpus")
    print(f"ranking   p50 {r['p50']:.2f} ms  p95 {r['p95']:.2f} ms  p99 {r['p99']:.2f} ms")
    for way, w in result["listing_ms"].items():
        print(f"listing ({way}) p50 {w['p50']:.2f} ms  p95 {w['p95']:.2f} ms  p99 {w['p99']:.2f} ms")
    for ground, g in result["decision_ms_by_ground"].items():
        print(f"  ground {ground:<9} p50 {g['p50']:.2f} ms  p95 {g['p95']:.2f} ms  p99 {g['p99']:.2f} ms")
    # One file for both databases: each run replaces its own database's figures.
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = json.loads(args.out.read_text()) if args.out.exists() else {}
    if "benchmark" in results:  # the older single-run layout
        results = {}
    # A register with another share of units inside the region is kept under its own name.
    name = (
        result["database"]
        if args.inside_share == INSIDE_SHARE
        else f"{result['database']}-inside-{args.inside_share:g}"
    )
    if args.no_read_model:
        name += "-candidates-call"
    results[name] = result
    args.out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")
    sys.exit(0 if result["target_met"] else 1)


if __name__ == "__main__":
    main()
