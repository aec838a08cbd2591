"""What matching's own work on a decision costs over its read model of 5,000 units, without capacity.

Fills a read model (matching.replica) with a made-up register as the change feed would send it: 400
providers, 5,000 units of the eight care types, most of them inside the region as in the national
benchmark's register (`--inside-share`), with places, stays that run (ages and flags, for the group
profiles) and production agreements. Then lists the units for N made-up children (`Replica.candidates`,
the way a decision asks with its counts) and weighs them as a decision does (`service.weigh` on the
read model as it is: listing, the group and production rules of group_rules.toml, the ranking), in
process time, which depends on the machine's load less than the wall clock.

    .venv/bin/python bench/read_model_listing.py
    .venv/bin/python bench/read_model_listing.py --inside-share 0.08 -n 500

Prints the milliseconds per child of each step (the median of `--rounds` rounds); writes nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.matching_decision import CARE_TYPES, SPECIALISMS, TARGET_GROUPS, decision_request  # noqa: E402

FLAGS = ["aggression", "substance_use", "sexual_behaviour", "absconding"]


def feed_answer(rng: random.Random, units: int, providers: list[str], inside_share: float) -> dict[str, Any]:
    """A change feed's answer after 0 (capacity.candidates.feed): every unit, every provider."""
    rows: list[list[Any]] = []
    for number in range(units):
        age_min = rng.randint(0, 16)
        places = rng.randint(1, 12)
        staying = rng.randint(0, places)
        stays = [
            [
                f"2026-{rng.randint(1, 10):02d}-01",
                None,
                rng.randint(4, 17),
                "2026-06-01",
                rng.sample(FLAGS, rng.randint(0, 1)),
            ]
            for _ in range(staying)
        ]
        served = rng.sample(TARGET_GROUPS, rng.randint(1, 3))
        rows.append(
            [
                f"unit-{number:05d}",
                number + 1,
                rng.choice(providers),
                rng.choice(["operational", "tactical", "strategic"]),
                rng.choices(list(CARE_TYPES), weights=list(CARE_TYPES.values()))[0],
                "jo" in served,
                "lvb" in served,
                "ggz" in served,
                age_min,
                min(23, age_min + rng.choice([5, 8, 10])),
                "GM0518" if rng.random() < inside_share else "GM0599",
                rng.random() < inside_share,
                places,
                staying,
                0,
                0,
                rng.sample(SPECIALISMS, rng.randint(0, 3)),
                False,
                None,
                None,
                "2026-11-01T09:00:00+00:00",
                False,
                1,
                [],
                stays,
            ]
        )
    agreements = [(provider, 1, [(2026, "residential", 2000)]) for provider in providers[::4]]
    return {
        "generation": "bench",
        "upto": units,
        "latest": units,
        "more": False,
        "today": "2026-11-02",
        "stale_before": "2026-10-30T09:00:00+00:00",
        "units": rows,
        "providers": agreements,
    }


async def run(args: argparse.Namespace) -> dict[str, float]:
    from contracts.matching import DecisionRequest, MatchingFactors
    from matching.replica import Replica
    from matching.rules_config import load_placement_rules
    from matching.service import weigh, wish_from

    rng = random.Random(args.seed)
    providers = [f"provider-{number:03d}" for number in range(400)]
    replica = Replica()
    replica.generation = "bench"
    replica.apply(feed_answer(rng, args.units, providers, args.inside_share))
    rules = load_placement_rules()  # the shipped group and production rules
    hold_until = datetime(2026, 11, 9, 9, 0, tzinfo=UTC)
    requests = [DecisionRequest.model_validate(decision_request(rng, providers, hold_until)) for _ in range(args.n)]
    listing: list[float] = []
    weighing: list[float] = []
    for _ in range(args.rounds):
        started = time.process_time()
        for request in requests:
            replica.candidates(
                request.care_type, request.target_group, request.age, "all", "count", "count", None, True
            )
        listing.append((time.process_time() - started) * 1000 / args.n)
        started = time.process_time()
        for request in requests:
            await weigh(None, request, wish_from(request), rules, MatchingFactors.ALL, replica, catch_up=False)  # type: ignore[arg-type]
        weighing.append((time.process_time() - started) * 1000 / args.n)
    return {"listing_all_ms": statistics.median(listing), "weigh_ms": statistics.median(weighing)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", type=int, default=300, help="children to list and weigh per round")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--inside-share", type=float, default=0.8)
    parser.add_argument("--seed", type=int, default=2027)
    args = parser.parse_args()
    result = asyncio.run(run(args))
    print(
        f"{args.units} units, {args.inside_share:.0%} inside: listing every unit of the care type "
        f"{result['listing_all_ms']:.3f} ms, a decision's weighing {result['weigh_ms']:.3f} ms per child "
        f"(process time, median of {args.rounds} rounds; load {os.getloadavg()[0]:.2f})"
    )


if __name__ == "__main__":
    main()
