"""How fast the coordinators' dashboard answers: p50/p95 per page over repeated requests.

Against a running platform (`make up`, the default) or in-process against the databases `make up`
seeded (`--in-process`, which measures the services alone, without sockets):

    .venv/bin/python bench/dashboard_pages.py                       # http://127.0.0.1:8001
    .venv/bin/python bench/dashboard_pages.py --in-process --data-dir data
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
from collections.abc import Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from timing import percentile, timed_gets

from common.auth import mint_token
from common.logging import configure_logging
from common.settings import CommonSettings

BUDGET_MS = 300.0


@asynccontextmanager
async def _running(url: str) -> Any:
    async with httpx.AsyncClient(base_url=url, timeout=30.0) as client:
        yield client


@asynccontextmanager
async def _in_process(data_dir: Path) -> Any:
    from capacity.main import create_app as capacity_app
    from capacity.settings import CapacitySettings
    from intake.main import create_app as intake_app
    from intake.settings import IntakeSettings
    from matching.main import create_app as matching_app
    from matching.settings import MatchingSettings

    configure_logging("WARNING", json=False)  # a line per request would be measured along with the pages
    capacity = capacity_app(CapacitySettings(data_dir=data_dir, run_workers=False))
    matching = matching_app(
        MatchingSettings(data_dir=data_dir, run_workers=False), capacity_transport=httpx.ASGITransport(app=capacity)
    )
    intake = intake_app(
        IntakeSettings(data_dir=data_dir, run_workers=False),
        capacity_transport=httpx.ASGITransport(app=capacity),
        matching_transport=httpx.ASGITransport(app=matching),
    )
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=intake), base_url="http://intake", timeout=30.0
        ) as client:
            yield client
    finally:
        for app in (intake, matching, capacity):
            for name in ("capacity", "matching"):
                client_of = getattr(app.state, name, None)
                if client_of is not None:
                    await client_of.aclose()
            await app.state.database.dispose()


async def _sample_referrals(client: httpx.AsyncClient, headers: dict[str, str], count: int) -> list[str]:
    ids: list[str] = []
    for status in ("placed", "unmatched", "ended"):
        response = await client.get("/v1/referrals", params={"status": status, "limit": count}, headers=headers)
        response.raise_for_status()
        ids.extend(item["id"] for item in response.json()["items"])
    return ids[: max(count, 1)]


async def measure(
    connect: Callable[[], AbstractAsyncContextManager[httpx.AsyncClient]], rounds: int, secret: str
) -> dict[str, dict[str, float]]:
    headers = {"Authorization": f"Bearer {mint_token(secret, sub='bench', role='coordinator', org='bench')}"}
    results: dict[str, dict[str, float]] = {}
    async with connect() as client:
        referral_ids = await _sample_referrals(client, headers, rounds)
        year_ago = (date.today() - timedelta(days=365)).isoformat()
        pages: list[tuple[str, Callable[[int], str]]] = [
            ("sign-in page", lambda _i: "/login"),
            ("overview (places, waiting, crisis, signals, 12 weeks of indicators)", lambda _i: "/dashboard"),
            ("overview with a year of indicators", lambda _i: f"/dashboard?from={year_ago}&to={date.today()}"),
            ("referral page", lambda i: f"/dashboard/referrals/{referral_ids[i % len(referral_ids)]}"),
        ]
        for name, path in pages:
            timings = await timed_gets(client, name, path, {} if name == "sign-in page" else headers, rounds)
            results[name] = {
                "p50_ms": round(statistics.median(timings), 1),
                "p95_ms": round(percentile(timings, 0.95), 1),
                "max_ms": round(max(timings), 1),
                "requests": rounds,
            }
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default=CommonSettings().intake_url, help="intake of a running platform")
    parser.add_argument("--in-process", action="store_true", help="run the apps here on the seeded databases")
    parser.add_argument("--data-dir", type=Path, default=Path("data"), help="with --in-process: the SQLite files")
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    secret = CommonSettings().effective_jwt_secret

    def connect() -> AbstractAsyncContextManager[httpx.AsyncClient]:
        return _in_process(args.data_dir.resolve()) if args.in_process else _running(args.url)

    results = asyncio.run(measure(connect, args.rounds, secret))
    where = f"in-process on {args.data_dir}" if args.in_process else args.url
    print(f"dashboard pages, {args.rounds} requests each, {where}:")
    for name, figures in results.items():
        flag = "" if figures["p95_ms"] <= BUDGET_MS else f"  over the {BUDGET_MS:.0f} ms budget"
        p50, p95, top = figures["p50_ms"], figures["p95_ms"], figures["max_ms"]
        print(f"  {p50:7.1f} ms p50 {p95:7.1f} ms p95 {top:7.1f} ms max  {name}{flag}")
    if args.json:
        args.json.write_text(json.dumps({"where": where, "pages": results}, indent=2) + "\n")
    return 0 if all(f["p95_ms"] <= BUDGET_MS for f in results.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
