"""What matching's factors change: the demo history played twice, with every factor and with the baseline.

The Haaglanden demo history (deploy/demo_seed.py) is played through the real services, in-process on
SQLite files, once with `REGIEPUNT_MATCHING_FACTORS=all` and once with `baseline` (the ranking without
siblings kept together, school and distance, the group rules, the child's wishes and production caps;
docs/matching.md). The same people act in both runs (the same random seed), so the histories part only
where matching decided differently. Every place matching holds is judged by the group rules against
the group staying in the unit at that moment, in both runs, so that the baseline's proposals into a
conflicting group are counted by the same measure.

    .venv/bin/python -m bench.matching_comparison                      # 730 days, 0.3 sibling groups a day
    .venv/bin/python -m bench.matching_comparison --days 180 --sibling-groups-per-day 0.5

Prints the figures side by side and writes them to bench/results/matching_comparison.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results" / "matching_comparison.json"
sys.path.insert(0, str(ROOT / "deploy"))

from demo_seed import SEED, Apps, Demo  # noqa: E402

from common.auth import mint_token  # noqa: E402
from common.clock import ManualClock  # noqa: E402
from common.in_process import InProcessTransport  # noqa: E402
from common.logging import configure_logging  # noqa: E402
from common.migrations import upgrade_to_head_async  # noqa: E402
from contracts import geography  # noqa: E402
from matching.group_rules import GROUP_CONFLICT, Child, PlacementRules, judge  # noqa: E402
from matching.rules_config import load_placement_rules  # noqa: E402

FINISH = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)
FACTORS = ("all", "baseline")


@dataclass
class Holds:
    """Every place matching held, by hold request, and whether the group rules would refuse the child there."""

    conflicting: dict[str, bool] = field(default_factory=dict)


class JudgedHolds(httpx.AsyncBaseTransport):
    """Matching's transport to capacity: each place it holds is judged by the group rules against the
    group staying in the unit just before the hold, whatever the factors matching weighed."""

    def __init__(self, capacity: httpx.AsyncBaseTransport, reader: httpx.AsyncClient, rules: PlacementRules) -> None:
        self.capacity = capacity
        self.reader = reader
        self.rules = rules
        self.holds = Holds()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        asked = self._holds(request)
        profiles = {unit_id: await self._profile(unit_id) for unit_id, _hold in asked}
        response = await self.capacity.handle_async_request(request)
        if asked and response.status_code in (200, 201):
            for unit_id, hold in asked:
                child = Child(int(hold["age"]), frozenset(hold.get("flags") or ()))
                verdict = judge(self.rules, child, profiles[unit_id], "", None)
                conflict = verdict is not None and verdict.excluded_reason == GROUP_CONFLICT
                self.holds.conflicting[str(hold["request_id"])] = conflict
        return response

    @staticmethod
    def _holds(request: httpx.Request) -> list[tuple[str, dict[str, Any]]]:
        if request.method != "POST":
            return []
        path = request.url.path
        if path == "/v1/reservations/joint":
            body = json.loads(request.content)
            return [(hold["unit_id"], hold) for hold in body["holds"]]
        parts = path.strip("/").split("/")
        if len(parts) == 4 and parts[:2] == ["v1", "units"] and parts[3] == "reservations":
            return [(parts[2], json.loads(request.content))]
        return []

    async def _profile(self, unit_id: str) -> dict[str, Any] | None:
        response = await self.reader.get(f"/v1/units/{unit_id}")
        if response.status_code != 200:
            return None
        profile: dict[str, Any] | None = response.json().get("group_profile")
        return profile


async def play(factors: str, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    from capacity.main import MIGRATIONS_DIR as CAPACITY_MIGRATIONS
    from capacity.main import create_app as capacity_app
    from capacity.settings import CapacitySettings
    from intake.main import MIGRATIONS_DIR as INTAKE_MIGRATIONS
    from intake.main import create_app as intake_app
    from intake.settings import IntakeSettings
    from matching.main import MIGRATIONS_DIR as MATCHING_MIGRATIONS
    from matching.main import create_app as matching_app
    from matching.settings import MatchingSettings

    capacity_settings = CapacitySettings(data_dir=work, run_workers=False)
    matching_settings = MatchingSettings(data_dir=work, run_workers=False, matching_factors=factors)
    intake_settings = IntakeSettings(data_dir=work, run_workers=False, matching_factors=factors)
    for migrations, settings in (
        (CAPACITY_MIGRATIONS, capacity_settings),
        (MATCHING_MIGRATIONS, matching_settings),
        (INTAKE_MIGRATIONS, intake_settings),
    ):
        await upgrade_to_head_async(migrations, settings.database_url)

    clock = ManualClock(FINISH)
    secret = capacity_settings.effective_jwt_secret
    capacity = capacity_app(capacity_settings, clock=clock)
    coordinator = {"Authorization": f"Bearer {mint_token(secret, sub='bench', role='coordinator', org='bench')}"}
    reader = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=capacity), base_url="http://capacity", headers=coordinator
    )
    judged = JudgedHolds(httpx.ASGITransport(app=capacity), reader, load_placement_rules())
    matching = matching_app(matching_settings, clock=clock, capacity_transport=judged)
    intake = intake_app(
        intake_settings,
        clock=clock,
        capacity_transport=httpx.ASGITransport(app=capacity),
        matching_transport=httpx.ASGITransport(app=matching),
    )
    apps = Apps(capacity=capacity, matching=matching, intake=intake)
    http = {
        name: InProcessTransport(app=app).client_for(f"http://{name}")
        for name, app in (("capacity", capacity), ("matching", matching), ("intake", intake))
    }
    started = time.monotonic()
    try:
        demo = Demo(
            rng=random.Random(args.seed),
            clock=clock,
            secret=secret,
            http=http,
            apps=apps,
            finish=FINISH.date(),
            sibling_groups_per_day=args.sibling_groups_per_day,
        )
        first = FINISH.date() - timedelta(days=args.days)
        demo.set_time(first, 7)
        await demo.create_places()
        await demo.walk(first, FINISH.date())
        clock.set(FINISH)
        await demo.run_workers(rematch=True)
        seconds = time.monotonic() - started
        figures = await measure(apps, demo.units, judged.holds)
    finally:
        await reader.aclose()
        for app in (intake, matching, capacity):
            for name in ("capacity", "matching"):
                peer = getattr(app.state, name, None)
                if peer is not None:
                    await peer.aclose()
            await app.state.database.dispose()
    return {"factors": factors, "play_seconds": round(seconds), "demo_counts": demo.counts, **figures}


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


async def measure(apps: Apps, units: list[dict[str, Any]], holds: Holds) -> dict[str, Any]:
    """The figures of one played history, read from intake's own tables and capacity's units."""
    from intake.db import access_log, referral_groups, referrals

    unit_by_id = {unit["id"]: unit for unit in units}
    async with apps.intake.state.database.read() as session:
        rows = (await session.execute(sa.select(referrals))).mappings().all()
        groups = (await session.execute(sa.select(referral_groups))).mappings().all()
        ever_unmatched = set(
            (
                await session.scalars(
                    sa.select(access_log.c.referral_id).where(access_log.c.action == "unmatched").distinct()
                )
            ).all()
        )
    by_id = {row["id"]: row for row in rows}
    placed = [row for row in rows if row["start_date"] is not None]

    # Siblings the referrer asked to keep together (a split recorded later, after waiting, included).
    together_asked = [g for g in groups if g["split_at"] is None or g["split_at"] > g["created_at"]]
    placed_together = 0
    for group in together_asked:
        children = [by_id[referral_id] for referral_id in group["referral_ids"] if referral_id in by_id]
        if not children or any(child["placement_unit_id"] is None for child in children):
            continue
        where = {
            (unit_by_id[c["placement_unit_id"]]["provider_id"], unit_by_id[c["placement_unit_id"]]["municipality_code"])
            for c in children
        }
        placed_together += len(where) == 1

    school_km: list[float] = []
    limited, too_far = 0, 0
    for row in placed:
        unit = unit_by_id.get(row["placement_unit_id"])
        if unit is None:
            continue
        where = geography.point_of(unit.get("latitude"), unit.get("longitude"), unit["municipality_code"])
        school = geography.point_of(None, None, row["school_municipality_code"])
        km = geography.distance_km(school, where)
        if km is not None:
            school_km.append(km)
        if row["max_travel_km"] is not None:
            # The limit counts from the school when one is given, else from home (docs/domain.md).
            start = school or geography.point_of(None, None, row["municipality_code"])
            travel = geography.distance_km(start, where)
            limited += 1
            too_far += travel is not None and travel > row["max_travel_km"]

    waiting_days = [(row["start_date"] - _day(row["created_at"])).days for row in placed]
    siblings = {referral_id for group in groups for referral_id in group["referral_ids"]}
    sibling_waiting = [(r["start_date"] - _day(r["created_at"])).days for r in placed if r["id"] in siblings]
    split_waiting = sum(1 for g in together_asked if g["split_code"] == "no_joint_place_in_time")
    conflicting = sum(holds.conflicting.values())
    return {
        "referrals": len(rows),
        "placed": len(placed),
        "sibling_groups_kept_together_asked": len(together_asked),
        "sibling_groups_placed_together": placed_together,
        "sibling_groups_placed_together_share": share(placed_together, len(together_asked)),
        "sibling_groups_split_after_waiting": split_waiting,
        "school_distance_placed": len(school_km),
        "placed_with_travel_limit": limited,
        "placed_beyond_travel_limit": too_far,
        "school_distance_km_mean": round(statistics.fmean(school_km), 1) if school_km else None,
        "school_distance_km_p90": round(p90, 1) if (p90 := percentile(school_km, 0.9)) is not None else None,
        "proposals": len(holds.conflicting),
        "proposals_into_conflicting_group": conflicting,
        "proposals_into_conflicting_group_share": share(conflicting, len(holds.conflicting)),
        "placed_in_region_share": share(sum(1 for row in placed if row["placement_in_region"]), len(placed)),
        "unmatched_share": share(len(ever_unmatched & set(by_id)), len(rows)),
        "unmatched_at_end": sum(1 for row in rows if row["status"] == "unmatched"),
        "waiting_days_mean": round(statistics.fmean(waiting_days), 2) if waiting_days else None,
        "sibling_waiting_days_mean": round(statistics.fmean(sibling_waiting), 2) if sibling_waiting else None,
    }


def _day(moment: datetime) -> date:
    return moment.date()


ROWS = [
    ("sibling groups placed together", "sibling_groups_placed_together_share", "share"),
    ("  of groups asked to be kept together", "sibling_groups_kept_together_asked", "count"),
    ("  split after waiting for a joint place", "sibling_groups_split_after_waiting", "count"),
    ("distance to school, mean (km)", "school_distance_km_mean", "km"),
    ("distance to school, 90th percentile (km)", "school_distance_km_p90", "km"),
    ("  placed children with a school", "school_distance_placed", "count"),
    ("placed further than the child may travel", "placed_beyond_travel_limit", "count"),
    ("  placed children with a travel limit", "placed_with_travel_limit", "count"),
    ("proposals into a conflicting group", "proposals_into_conflicting_group", "count"),
    ("  share of all proposals", "proposals_into_conflicting_group_share", "share"),
    ("  proposals", "proposals", "count"),
    ("placed in the region", "placed_in_region_share", "share"),
    ("referrals unmatched at least once", "unmatched_share", "share"),
    ("mean waiting days (referral to start)", "waiting_days_mean", "days"),
    ("  of siblings", "sibling_waiting_days_mean", "days"),
    ("referrals", "referrals", "count"),
    ("placed", "placed", "count"),
]


def shown(value: Any, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "share":
        return f"{100 * value:.1f}%"
    if kind in ("km", "days"):
        return f"{value:.1f}"
    return f"{value:,}"


def table(results: dict[str, dict[str, Any]]) -> str:
    lines = ["| figure | all factors | baseline |", "|---|---:|---:|"]
    for label, key, kind in ROWS:
        with_all, baseline = (shown(results[factors].get(key), kind) for factors in FACTORS)
        lines.append(f"| {label.strip()} | {with_all} | {baseline} |")
    return "\n".join(lines)


async def run(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    # The services' request logs would drown the figures; warnings still show.
    configure_logging("WARNING", json=False)
    results: dict[str, dict[str, Any]] = {}
    for factors in FACTORS:
        with tempfile.TemporaryDirectory() as tmp:
            print(f"playing {args.days} days with matching factors {factors} …", flush=True)
            results[factors] = await play(factors, args, Path(tmp))
            print(f"  took {results[factors]['play_seconds']} s", flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=730, help="days of history to play")
    parser.add_argument(
        "--sibling-groups-per-day",
        type=float,
        default=0.3,
        help="siblings referred together per day on average (the demo's own history has 0.05)",
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    load_before = os.getloadavg()
    results = asyncio.run(run(args))
    print()
    print(table(results))
    record = {
        "benchmark": "matching_comparison",
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "days": args.days,
        "sibling_groups_per_day": args.sibling_groups_per_day,
        "seed": args.seed,
        "cpus": os.cpu_count(),
        "load_average_1min": {"before": round(load_before[0], 2), "after": round(os.getloadavg()[0], 2)},
        "python": platform.python_version(),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(record, indent=2, default=str) + "\n")
    print(f"written to {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
