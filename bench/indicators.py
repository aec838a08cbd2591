"""How fast the indicators answer: p50/p95/p99 of the calls that compute them, in-process against one
intake database (for instance one kept by `python -m bench.national --keep-databases`).

Intake runs here on that database without workers; capacity answers every call at once with nothing
(no places, no providers), so that only intake's own work is measured:

    .venv/bin/python bench/indicators.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/kpi_intake
    .venv/bin/python bench/indicators.py --database-url ... --rounds 50 --json figures.json

The year's call runs by default over the last 365 days, today included. `python -m bench.indicators_seed`
makes a database of the benchmark's history alone at one of its sizes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from datetime import date, timedelta
from pathlib import Path

import httpx
from timing import percentile, timed_gets

from common.auth import mint_token
from common.logging import configure_logging

BUDGET_MS = 300.0
SECRET = "regiepunt-bench-indicators-secret"  # noqa: S105


def _empty_capacity(request: httpx.Request) -> httpx.Response:
    """Capacity with no places and no providers: the indicators' occupancy and the dashboard's names
    come out empty without a network round trip or a retry."""
    # An empty page as capacity lists it; the production overview is such a page of a year.
    page = {"items": [], "next_offset": None, "total": 0, "limit": 500, "offset": 0, "year": date.today().year}
    return httpx.Response(200, json=page)


async def measure(database_url: str, rounds: int, year_from: date, year_to: date) -> dict[str, dict[str, float]]:
    from intake.main import create_app
    from intake.settings import IntakeSettings

    configure_logging("WARNING", json=False)  # a line per request would be measured along with the calls
    settings = IntakeSettings(intake_database_url=database_url, run_workers=False, jwt_secret=SECRET)
    app = create_app(settings, capacity_transport=httpx.MockTransport(_empty_capacity))
    token = mint_token(SECRET, sub="bench", role="coordinator", org="Regiepunt")
    headers = {"Authorization": f"Bearer {token}"}
    calls = {
        "GET /v1/kpis (last 90 days)": "/v1/kpis",
        f"GET /v1/kpis?from={year_from}&to={year_to}": f"/v1/kpis?from={year_from}&to={year_to}",
        "GET /v1/signals": "/v1/signals",
        "GET /dashboard": "/dashboard",
    }
    results: dict[str, dict[str, float]] = {}
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://intake", timeout=60.0
        ) as client:
            for name, path in calls.items():
                # The first (warm-up) call opens the crisis-cap signals that came due and warms the caches.
                timings = await timed_gets(client, name, lambda _i, path=path: path, headers, rounds)
                results[name] = {
                    "p50_ms": round(statistics.median(timings), 1),
                    "p95_ms": round(percentile(timings, 0.95), 1),
                    "p99_ms": round(percentile(timings, 0.99), 1),
                    "calls": rounds,
                }
    finally:
        for peer in ("capacity", "matching"):
            await getattr(app.state, peer).aclose()
        await app.state.database.dispose()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="SQLAlchemy URL of an intake database")
    parser.add_argument("--rounds", type=int, default=30, help="timed calls of each path, after one warm-up")
    today = date.today()
    parser.add_argument("--year-from", type=date.fromisoformat, default=today - timedelta(days=364))
    parser.add_argument("--year-to", type=date.fromisoformat, default=today)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    results = asyncio.run(measure(args.database_url, args.rounds, args.year_from, args.year_to))
    print(f"indicators, {args.rounds} calls each, in-process:")
    for name, figures in results.items():
        flag = "" if figures["p99_ms"] <= BUDGET_MS else f"  over the {BUDGET_MS:.0f} ms budget"
        p50, p95, p99 = figures["p50_ms"], figures["p95_ms"], figures["p99_ms"]
        print(f"  {p50:7.1f} ms p50 {p95:7.1f} ms p95 {p99:7.1f} ms p99  {name}{flag}")
    if args.json:
        args.json.write_text(json.dumps({"calls": results}, indent=2) + "\n")
    return 0 if all(f["p99_ms"] <= BUDGET_MS for f in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
