"""An intake database with the national benchmark's history and nothing else, for bench/indicators.py:
migrated, filled by `bench.national.seed`'s history writer (intake's tables only, units made up here
instead of created through capacity), each stay's derived columns and the per-day totals filled the
way the migrations fill them, then vacuumed until the pages are all-visible.

    .venv/bin/python -m bench.indicators_seed --size large --database regiepunt_kpi_large
    .venv/bin/python -m bench.indicators_seed --size small --database regiepunt_kpi_small --revision 0018

`--revision` stops the migrations there (the database as an older version of intake had it); the history
writer then writes only the columns that revision has, and `python -m intake migrate` brings it up later.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg
from alembic import command

import intake
from bench.national import seed
from bench.national.sizes import CARE_TYPES, OUTSIDE, REGION, SIZES, TARGET_GROUPS
from bench.national.stack import database_dsn, recreate_databases, sqlalchemy_url
from common.migrations import alembic_config

MIGRATIONS = Path(intake.__file__).resolve().parent / "migrations"
CLIENT_KEY_SECRET = "regiepunt-bench-indicators-client-key"  # noqa: S105


def made_up_catalogue(units: int, rng: random.Random) -> seed.Catalogue:
    """Units of the national shape without capacity: the history writer only reads these fields."""
    providers = [{"id": seed.fast_uuid(rng), "role": "operational"} for _ in range(max(1, units // 12))]
    catalogue = seed.Catalogue(providers=providers)
    for number in range(units):
        care_type = seed.weighted(rng, CARE_TYPES)
        inside = rng.random() < 0.8
        catalogue.units.append(
            {
                "id": seed.fast_uuid(rng),
                "provider_id": providers[number % len(providers)]["id"],
                "care_type": care_type,
                "target_groups": rng.sample(TARGET_GROUPS, rng.randint(1, 3)),
                "municipality_code": rng.choice(REGION) if inside else rng.choice(OUTSIDE),
                "in_region": inside,
                "capacity": rng.randint(2, 12),
                "part_time": care_type in ("foster_care", "respite") and rng.random() < 0.4,
            }
        )
    return catalogue


async def columns_of(connection: asyncpg.Connection, table: str) -> set[str]:
    rows = await connection.fetch("SELECT column_name FROM information_schema.columns WHERE table_name = $1", table)
    return {row["column_name"] for row in rows}


async def fill(name: str, size_name: str, seed_number: int) -> None:
    size = SIZES[size_name]
    rng = random.Random(seed_number)
    writer = seed.HistoryWriter(made_up_catalogue(size.units, rng), CLIENT_KEY_SECRET, datetime.now(UTC), rng)
    connection = await asyncpg.connect(database_dsn(name))
    try:
        tables = {table: await columns_of(connection, table) for table in seed.TABLES["intake"]}
        for chunk, written in writer.chunks(size):
            for table_name, table in seed.TABLES["intake"].items():
                rows: list[dict[str, Any]] = chunk.intake.get(table_name, [])
                if not rows or not tables[table_name]:
                    continue
                # Only the columns the database has at its revision.
                present = [{k: v for k, v in row.items() if k in tables[table_name]} for row in rows]
                await seed.copy_rows(connection, table, present)
            if written:
                print(f"    history: {written:,} of {size.history:,} referrals", flush=True)
        print("    deriving what the indicators keep per stay and per day", flush=True)
        for statement in seed.intake_fills(table for table, columns in tables.items() if columns):
            await connection.execute(statement)
        await seed.vacuum_until_visible(connection, "intake")
        count = await connection.fetchval("SELECT count(*) FROM referrals")
        print(f"    {name}: {count:,} referrals", flush=True)
    finally:
        await connection.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--database", required=True, help="name of the database to (re)create")
    parser.add_argument("--revision", default="head", help="migrate up to this intake revision (default head)")
    parser.add_argument("--seed", type=int, default=20261125, help="seed of the random history")
    args = parser.parse_args()
    asyncio.run(recreate_databases([args.database]))
    command.upgrade(alembic_config(MIGRATIONS, sqlalchemy_url(args.database)), args.revision)
    asyncio.run(fill(args.database, args.size, args.seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
