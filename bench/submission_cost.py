"""What one submission costs the services: HTTP calls between them, SQL statements and transactions per
service, and CPU.

The three services run in this process on their own databases (SQLite files in a temporary folder, or
PostgreSQL with `--pg`), wired to each other over httpx's ASGI transport (as in the tests); a
national-style register (`bench.national.seed.create_catalogue`) is created through capacity's API, then
N referrals are submitted through intake's `POST /v1/referrals` (the national benchmark's referral
bodies) and every call between the services and every statement each service sends to its database is
counted. Counts do not depend on the machine's load; the CPU figure (all three services together, in
one process) does, so read it with the load printed beside it.

    .venv/bin/python bench/submission_cost.py                 # SQLite files, the small register
    .venv/bin/python bench/submission_cost.py --pg --size large -n 200

Writes the figures under the database's name in bench/results/submission_cost.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import event
from sqlalchemy.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.national import stack  # noqa: E402
from bench.national.load import Workload  # noqa: E402
from bench.national.seed import create_catalogue  # noqa: E402
from bench.national.sizes import SIZES  # noqa: E402
from common.logging import configure_logging  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "submission_cost.json"
SERVICES = stack.SERVICES
DATABASES = {service: f"regiepunt_cost_{service}" for service in SERVICES}
SECRET = "regiepunt-bench-secret-not-for-production"  # noqa: S105
# Ids in paths are folded so that the calls of all submissions count together.
ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class CountingTransport(httpx.AsyncBaseTransport):
    """An ASGI transport that counts the calls one service makes to another."""

    def __init__(self, app: Any, caller: str, callee: str, calls: Counter[str]) -> None:
        self._inner = httpx.ASGITransport(app=app)
        self._label = f"{caller} -> {callee}"
        self._calls = calls

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._calls[f"{self._label} {request.method} {ID.sub('{id}', request.url.path)}"] += 1
        return await self._inner.handle_async_request(request)


class StatementCounter:
    """Every statement any engine of this process sends, by the service whose database it is."""

    def __init__(self, databases: dict[str, str]) -> None:
        self._by_database = {name: service for service, name in databases.items()}
        self.statements: Counter[str] = Counter()
        self.transactions: Counter[str] = Counter()
        self.kinds: Counter[str] = Counter()
        self.texts: Counter[str] = Counter()

    def _service(self, conn: Any) -> str:
        database = conn.engine.url.database or ""
        return next((s for name, s in self._by_database.items() if name in database), database)

    def statement(self, conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        service = self._service(conn)
        self.statements[service] += 1
        self.kinds[f"{service} {statement.split(None, 1)[0].upper()}"] += 1
        self.texts[f"{service}: {' '.join(statement.split())[:110]}"] += 1

    def commit(self, conn: Any) -> None:
        self.transactions[self._service(conn)] += 1

    def listen(self) -> None:
        event.listen(Engine, "before_cursor_execute", self.statement)
        event.listen(Engine, "commit", self.commit)

    def reset(self) -> None:
        self.statements.clear()
        self.transactions.clear()
        self.kinds.clear()
        self.texts.clear()


def prepare_databases(pg: bool, folder: Path) -> dict[str, str]:
    """A fresh database per service, migrated by the service itself; the services' settings read them
    from the environment. Returns SQLAlchemy URLs."""
    urls: dict[str, str] = {}
    if pg:
        asyncio.run(stack.recreate_databases(list(DATABASES.values())))
        urls = {service: stack.sqlalchemy_url(name) for service, name in DATABASES.items()}
    else:
        for service in SERVICES:
            urls[service] = f"sqlite+aiosqlite:///{folder / f'{DATABASES[service]}.db'}"
    env = dict(os.environ, REGIEPUNT_DATA_DIR=str(folder), REGIEPUNT_JWT_SECRET=SECRET)
    env.update({f"REGIEPUNT_{s.upper()}_DATABASE_URL": url for s, url in urls.items()})
    for service in SERVICES:
        subprocess.run([sys.executable, "-m", service, "migrate"], check=True, env=env, cwd=ROOT, capture_output=True)
    os.environ.update(env)
    return urls


async def run(args: argparse.Namespace, folder: Path) -> dict[str, Any]:
    from capacity.main import create_app as capacity_app
    from capacity.settings import CapacitySettings
    from intake.main import create_app as intake_app
    from intake.settings import IntakeSettings
    from matching.main import create_app as matching_app
    from matching.settings import MatchingSettings

    configure_logging("WARNING", json=False)
    calls: Counter[str] = Counter()
    capacity = capacity_app(CapacitySettings(run_workers=False))
    matching = matching_app(
        MatchingSettings(run_workers=False),
        capacity_transport=CountingTransport(capacity, "matching", "capacity", calls),
    )
    intake = intake_app(
        IntakeSettings(run_workers=False),
        capacity_transport=CountingTransport(capacity, "intake", "capacity", calls),
        matching_transport=CountingTransport(matching, "intake", "matching", calls),
    )
    counter = StatementCounter(DATABASES)
    size = SIZES[args.size]
    print(f"creating {size.providers} providers and {size.units} units through capacity's API …", flush=True)
    catalogue = await create_catalogue(
        "http://capacity", SECRET, size, random.Random(args.seed), transport=httpx.ASGITransport(app=capacity)
    )
    plan = {"secret": SECRET, "units": catalogue.units, "history_ids": [], "open_stays": [], "seed": args.seed}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=intake), base_url="http://intake", timeout=60.0
    ) as client:
        workload = Workload(plan, {"intake": client})
        for _ in range(args.warmup):
            await workload.submit()
        counter.listen()
        counter.reset()
        workload.tallies.clear()
        calls.clear()
        load_before = os.getloadavg()[0]
        cpu: list[float] = []
        wall: list[float] = []
        for _ in range(args.n):
            started_cpu, started = time.process_time(), time.perf_counter()
            await workload.submit()
            cpu.append((time.process_time() - started_cpu) * 1000)
            wall.append((time.perf_counter() - started) * 1000)
        load_after = os.getloadavg()[0]
    for app in (intake, matching, capacity):
        await app.state.database.dispose()
    n = args.n
    submitted = workload.tally("submit")
    return {
        "size": size.name,
        "units": size.units,
        "submissions": n,
        "outcomes": dict(submitted.outcomes),
        "errors": submitted.errors,
        "error_samples": submitted.error_samples[:3],
        "http_calls_between_services_per_submission": round(sum(calls.values()) / n, 2),
        "http_calls": {label: round(count / n, 2) for label, count in sorted(calls.items())},
        "statements_per_submission": {s: round(counter.statements[s] / n, 2) for s in SERVICES},
        "statements_per_submission_total": round(sum(counter.statements.values()) / n, 2),
        "statement_kinds": {kind: round(count / n, 2) for kind, count in sorted(counter.kinds.items())},
        "statements": {text: round(count / n, 2) for text, count in counter.texts.most_common()},
        "transactions_per_submission": {s: round(counter.transactions[s] / n, 2) for s in SERVICES},
        "cpu_ms_per_submission_p50": round(statistics.median(cpu), 2),
        "wall_ms_per_submission_p50": round(statistics.median(wall), 2),
        "load_average_1min": {"before": round(load_before, 2), "after": round(load_after, 2)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=100, help="submissions to count")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--size", choices=sorted(SIZES), default="small", help="the register of bench.national")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--pg", action="store_true", help="PostgreSQL instead of SQLite files")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--statements", action="store_true", help="also print each statement and its count")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        try:
            prepare_databases(args.pg, Path(folder))
            figures = asyncio.run(run(args, Path(folder)))
        finally:
            if args.pg:
                asyncio.run(stack.drop_databases(list(DATABASES.values())))
    database = "postgresql" if args.pg else "sqlite"
    print(f"\none submission ({database}, {figures['size']} register, {figures['submissions']} submissions):")
    print(f"  outcomes {figures['outcomes']}, errors {figures['errors']} {figures['error_samples']}")
    print(f"  HTTP calls between the services: {figures['http_calls_between_services_per_submission']}")
    for label, count in figures["http_calls"].items():
        print(f"    {count:5.2f}  {label}")
    print(f"  SQL statements: {figures['statements_per_submission_total']} {figures['statements_per_submission']}")
    print(f"  transactions: {figures['transactions_per_submission']}")
    for kind, count in figures["statement_kinds"].items():
        print(f"    {count:5.2f}  {kind}")
    if args.statements:
        for text, count in figures["statements"].items():
            print(f"    {count:5.2f}  {text}")
    print(
        f"  CPU of the three services, p50: {figures['cpu_ms_per_submission_p50']} ms"
        f" (wall {figures['wall_ms_per_submission_p50']} ms; load {figures['load_average_1min']})"
    )
    stored = json.loads(args.out.read_text()) if args.out.exists() else {}
    stored[f"{database}-{figures['size']}"] = figures
    args.out.write_text(json.dumps(stored, indent=2, sort_keys=True) + "\n")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
