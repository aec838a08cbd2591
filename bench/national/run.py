"""`make bench`: for each size, start the stack on fresh PostgreSQL databases, seed it, drive the phases
from a separate load-generator process, check that no unit is overbooked, and report against the baseline.

    python -m bench.national                       # small, medium and large
    python -m bench.national --sizes small         # the quick run
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
import httpx

from bench.national import seed, stack
from bench.national.report import annotate, print_size, print_targets, targets
from bench.national.sizes import SIZES, Size
from common.auth import mint_token

RESULTS_DIR = stack.ROOT / "bench" / "results"
CLIENT_KEY_SECRET = "regiepunt-bench-client-key-secret"  # noqa: S105
HISTORY_SAMPLE = 5_000


def plan_phases(args: argparse.Namespace, optional: list[str]) -> list[dict[str, Any]]:
    """The phases of one size, in order. The mix's rates are per second, summed about 50/s."""
    mix: dict[str, float] = {
        "submit": 10.0,
        "accept": 6.0,
        "end": 4.0,
        "availability": 8.0,
        "referral_read": 15.0,
        "referral_list": 2.0,
    }
    for name in optional:
        mix[name] = 1.0 if name.startswith("dashboard") else 2.0
    total = round(sum(mix.values()), 1)
    phases: list[dict[str, Any]] = [
        {"name": "baseline_saturation", "mode": "closed", "call": "baseline", "concurrency": args.concurrency},
        {"name": "submit_saturation", "mode": "closed", "call": "submit", "concurrency": args.concurrency},
        {"name": "baseline_open", "mode": "open", "rates": {"baseline": total}},
        {"name": "submit_at_target_rate", "mode": "open", "rates": {"submit": args.submit_rate}},
        # One decision at a time: what one decision costs, without a queue in front of it.
        {"name": "decision", "mode": "closed", "call": "decision", "concurrency": 1},
        {"name": "mix", "mode": "open", "rates": mix},
    ]
    # Each read alone, one at a time, after the mix: how long it takes over this much history, without
    # a queue of other calls in front of it (the mix shows it with one).
    for name in ("referral_read", "referral_list", *optional):
        phases.append({"name": f"alone {name}", "mode": "closed", "call": name, "concurrency": 1, "seconds": 10.0})
    return [{"seconds": args.seconds, **phase} for phase in phases]


def within_reach(phase: dict[str, Any], done: list[dict[str, Any]], mix: dict[str, float]) -> dict[str, Any]:
    """An open-loop phase far beyond what the stack can serve measures only its queue and, after the
    30 s timeout, errors. So when the saturated submit rate is below what a phase offers, the target
    rate is tried at 80% of that saturated rate, and the mix (and the baseline's open-loop phase, which
    runs at the mix's total rate) is scaled so that its submissions take half of it. Each phase
    records the rates it offered and the scale, so that the report can say so."""
    saturation = next((r for r in done if r["phase"] == "submit_saturation"), None)
    if saturation is None or phase["mode"] != "open":
        return phase
    sustainable = saturation["calls"]["submit"]["rps"]
    scale = min(1.0, 0.5 * sustainable / mix["submit"])
    rates: dict[str, float] = phase["rates"]
    if phase["name"] == "submit_at_target_rate" and rates["submit"] > sustainable:
        return dict(phase, target_rate=rates["submit"], rates={"submit": round(0.8 * sustainable, 1)})
    if phase["name"] in ("mix", "baseline_open") and scale < 1.0:
        return dict(phase, scale=round(scale, 3), rates={k: round(v * scale, 2) for k, v in rates.items()})
    return phase


def optional_calls(intake_url: str, secret: str, referral_id: str) -> list[str]:
    """Signals, indicators and dashboard pages, where this checkout has them."""
    paths = set(httpx.get(f"{intake_url}/openapi.json", timeout=10).json().get("paths", {}))
    found = [name for name, path in (("signals", "/v1/signals"), ("kpis", "/v1/kpis")) if path in paths]
    token = mint_token(secret, sub="bench-coco", role="coordinator", org="Regiepunt")
    candidates = sorted({"/dashboard", *(p for p in paths if p.startswith("/dashboard") and "{" not in p)})
    headers = {"Authorization": f"Bearer {token}"}
    for path in candidates:
        if httpx.get(f"{intake_url}{path}", headers=headers, timeout=30).status_code == 200:
            found.append(f"dashboard {path}")
    # The page of one referral is left out of the OpenAPI document like every page of the dashboard.
    page = f"{intake_url}/dashboard/referrals/{referral_id}"
    if found and httpx.get(page, headers=headers, timeout=30).status_code == 200:
        found.append("dashboard_referral")
    return found


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_phase(plan: dict[str, Any], work: Path, pids: dict[str, int]) -> dict[str, Any]:
    """One phase in its own load-generator process, so it does not share an event loop with anything.

    Beside the latencies it records the CPU time each service process used during the phase: on a
    shared machine, CPU milliseconds per request hardly depend on what else runs, where latency does."""
    file_name = plan["phase"]["name"].replace(" ", "-").replace("/", "_")
    plan_file = work / f"plan-{file_name}.json"
    out_file = work / f"result-{file_name}.json"
    plan_file.write_text(json.dumps(plan))
    load_before = os.getloadavg()[0]
    cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items()}
    subprocess.run(
        [sys.executable, "-m", "bench.national.load", str(plan_file), str(out_file)], check=True, cwd=stack.ROOT
    )
    result: dict[str, Any] = json.loads(out_file.read_text())
    # The machine is shared: the load average says how much else ran beside the benchmark.
    result["load_average_1m"] = {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)}
    result["cpu_seconds"] = {name: round(cpu_seconds(pid) - cpu_before[name], 2) for name, pid in pids.items()}
    requests = sum(call["requests"] for call in result["calls"].values())
    result["service_cpu_ms_per_request"] = (
        round(1000 * sum(v for k, v in result["cpu_seconds"].items() if k != "baseline") / requests, 2)
        if requests
        else None
    )
    result["baseline_cpu_ms_per_request"] = (
        round(1000 * result["cpu_seconds"]["baseline"] / requests, 2) if requests else None
    )
    return result


async def place_check(dsns: dict[str, str]) -> dict[str, Any]:
    """No unit overbooked, unit counts equal to the open stays and holds, and intake agreeing with capacity."""
    capacity = await asyncpg.connect(dsns["capacity"])
    intake = await asyncpg.connect(dsns["intake"])
    try:
        overbooked = await capacity.fetchval(
            "SELECT count(*) FROM units WHERE occupied + reserved + blocked > capacity"
        )
        miscounted = await capacity.fetchval(
            """
            SELECT count(*) FROM units u
            WHERE u.occupied <> (SELECT count(*) FROM occupancies o WHERE o.unit_id = u.id AND o.end_date IS NULL)
               OR u.reserved <> (SELECT count(*) FROM reservations r WHERE r.unit_id = u.id AND r.status = 'held')
            """
        )
        open_stays = await capacity.fetchval("SELECT count(*) FROM occupancies WHERE end_date IS NULL")
        placed = await intake.fetchval("SELECT count(*) FROM referrals WHERE status = 'placed'")
        referrals = await intake.fetchval("SELECT count(*) FROM referrals")
        stuck = await intake.fetchval("SELECT count(*) FROM referrals WHERE status = 'pending'")
    finally:
        await capacity.close()
        await intake.close()
    return {
        "overbooked_units": int(overbooked),
        "units_with_counts_unlike_their_stays": int(miscounted),
        "open_stays_in_capacity": int(open_stays),
        "placed_in_intake": int(placed),
        "pending_referrals": int(stuck),
        "referrals_in_intake": int(referrals),
    }


def bench_size(size: Size, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    names = {service: f"{args.database_prefix}_{service}" for service in (*stack.SERVICES, "baseline")}
    asyncio.run(stack.recreate_databases(list(names.values())))
    log_dir = work / size.name
    log_dir.mkdir(parents=True, exist_ok=True)
    running = stack.Stack(log_dir=log_dir, databases=names)
    running.ports = {name: stack.free_port() for name in names}
    os.environ["REGIEPUNT_CLIENT_KEY_SECRET"] = CLIENT_KEY_SECRET
    dsns = {service: stack.database_dsn(name) for service, name in names.items() if service != "baseline"}
    try:
        started = time.perf_counter()
        running.migrate()
        running.start_services()
        running.start_baseline(names["baseline"])
        rng = random.Random(size.units)
        print(f"  seeding {size.providers} providers and {size.units:,} units through capacity's API", flush=True)
        catalogue = asyncio.run(seed.create_catalogue(running.url("capacity"), stack.BENCH_SECRET, size, rng))
        seeded_units = time.perf_counter()
        print(f"  bulk-loading {size.history:,} ended referrals and {size.open_referrals:,} open stays", flush=True)
        open_stays = asyncio.run(seed.load_history(dsns, catalogue, CLIENT_KEY_SECRET, size, seed=size.units))
        seeded_history = time.perf_counter()
        history_ids = asyncio.run(_sample_history(dsns["intake"]))
        optional = optional_calls(running.url("intake"), stack.BENCH_SECRET, history_ids[0])
        print(f"  optional calls found: {', '.join(optional) or 'none'}", flush=True)
        base_plan: dict[str, Any] = {
            "urls": {name: running.url(name) for name in names},
            "secret": stack.BENCH_SECRET,
            "units": [
                {"id": u["id"], "provider_id": u["provider_id"], "care_type": u["care_type"]} for u in catalogue.units
            ],
            "history_ids": history_ids,
        }
        results: list[dict[str, Any]] = []
        # The open stays are shared out so that each phase that ends stays has its own.
        stays = [{"referral_id": s.referral_id, "provider_id": s.provider_id} for s in open_stays]
        planned_phases = plan_phases(args, optional)
        mix_rates = next(p["rates"] for p in planned_phases if p["name"] == "mix")
        for number, planned in enumerate(planned_phases):
            # The baseline's phases always run: every figure is given against them.
            if args.phases and planned["name"] not in args.phases and not planned["name"].startswith("baseline"):
                continue
            phase = within_reach(planned, results, mix_rates)
            plan = dict(
                base_plan, phase=phase, seed=size.units + number, open_stays=stays if phase["name"] == "mix" else []
            )
            print(f"  phase {phase['name']} ({phase['seconds']:.0f} s)", flush=True)
            profilers = profile(running, size, phase, args.profile) if phase["name"] in args.profile_phases else []
            # The services' CPU counts their worker processes too: their steps are part of the work.
            pids = {name: running.pid(name) for name in running.children}
            results.append(run_phase(plan, work / size.name, pids))
            for profiler in profilers:
                profiler.wait(timeout=60)
        time.sleep(1.0)
        checks = asyncio.run(place_check(dsns))
        checks["logged_errors"] = logged_errors(log_dir)
        return {
            "size": size.__dict__,
            "seeding_seconds": {
                "units_through_api": round(seeded_units - started, 1),
                "history_bulk_load": round(seeded_history - seeded_units, 1),
            },
            "optional_calls": optional,
            "phases": results,
            "checks": checks,
        }
    finally:
        running.stop()
        if not args.keep_databases:
            asyncio.run(stack.drop_databases(list(names.values())))


def logged_errors(log_dir: Path) -> dict[str, Any]:
    """Unhandled errors the services logged during the run, with the first of each service."""
    found: dict[str, Any] = {}
    for service in (*stack.SERVICES, *map(stack.workers_of, stack.WORKER_SERVICES)):
        lines = (log_dir / f"{service}.log").read_text(errors="replace").splitlines()
        errors = [line for line in lines if '"level": "error"' in line or '"level": "critical"' in line]
        found[service] = {"count": len(errors), "first": errors[0][:2000] if errors else None}
    return found


def profile(running: stack.Stack, size: Size, phase: dict[str, Any], out: Path | None) -> list[subprocess.Popen[bytes]]:
    """py-spy on each service for the length of the phase, as collapsed stacks (one file per service)."""
    if out is None:
        return []
    out.mkdir(parents=True, exist_ok=True)
    spy = Path(sys.executable).parent / "py-spy"
    return [
        subprocess.Popen(
            [
                str(spy),
                "record",
                "--format",
                "raw",
                "--nonblocking",
                "-r",
                "200",
                "-d",
                str(int(phase["seconds"])),
                "-o",
                str(out / f"{size.name}-{phase['name']}-{name}.txt"),
                "-p",
                str(running.pid(name)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for name in running.children
        if name != "baseline"
    ]


async def _sample_history(dsn: str) -> list[str]:
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch("SELECT id FROM referrals ORDER BY random() LIMIT $1", HISTORY_SAMPLE)
    finally:
        await connection.close()
    return [row["id"] for row in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.national", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES") or "small,medium,large")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each phase")
    parser.add_argument("--concurrency", type=int, default=16, help="callers in the saturation phases")
    parser.add_argument("--submit-rate", type=float, default=50.0, help="referrals per second of the target")
    parser.add_argument("--keep-databases", action="store_true")
    parser.add_argument("--database-prefix", default="regiepunt_bench", help="names of the databases it creates")
    parser.add_argument("--work", type=Path, help="keep the services' logs and the phase files in this folder")
    parser.add_argument("--profile", type=Path, help="record py-spy profiles of the services into this folder")
    parser.add_argument("--profile-phases", default="submit_saturation,mix", help="the phases to profile")
    parser.add_argument(
        "--phases", help="run only these phases (comma-separated names) and the baseline's, for a quick look"
    )
    args = parser.parse_args(argv)
    args.profile_phases = args.profile_phases.split(",")
    args.phases = [name.strip() for name in args.phases.split(",")] if args.phases else []
    chosen = [SIZES[name.strip()] for name in args.sizes.split(",") if name.strip()]
    report: dict[str, Any] = {
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "settings": {
            k: str(v)
            for k, v in vars(args).items()
            if k not in ("keep_databases", "profile_phases", "database_prefix", "phases")
        },
        "sizes": {},
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="regiepunt-bench-") as tmp:
        work = args.work or Path(tmp)
        for size in chosen:
            print(f"\n== size {size.name}: {size.units:,} units, {size.history:,} referrals of history", flush=True)
            report["sizes"][size.name] = bench_size(size, args, work)
            annotate(report["sizes"][size.name])
            print_size(size.name, report["sizes"][size.name])
    report["targets"] = targets(report["sizes"])
    name = "national.json" if len(chosen) == len(SIZES) else f"national-{'-'.join(s.name for s in chosen)}.json"
    (RESULTS_DIR / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten: {(RESULTS_DIR / name).relative_to(stack.ROOT)}")
    return print_targets(report["targets"])


if __name__ == "__main__":
    sys.exit(main())
