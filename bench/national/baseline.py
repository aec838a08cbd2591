"""The baseline: one bare FastAPI endpoint doing one PostgreSQL transaction (insert a row, read it back),
served by uvicorn on the same engine settings as the services, so that every figure has a yardstick
measured on the same machine in the same run."""

from __future__ import annotations

import argparse
import os
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI

from common.db import Database

metadata = sa.MetaData()
rows = sa.Table(
    "baseline_rows",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("note", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)


def create_app(url: str) -> FastAPI:
    database = Database(url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with database.engine.begin() as connection:
            await connection.run_sync(metadata.create_all)
        yield
        await database.dispose()

    app = FastAPI(lifespan=lifespan)

    @app.get("/readyz")
    async def ready() -> dict[str, str]:
        await database.ping()
        return {"status": "ready"}

    @app.post("/v1/rows", status_code=201)
    async def insert_and_read_back(body: dict[str, str]) -> dict[str, str]:
        row_id = str(uuid.uuid4())
        async with database.transaction() as session:
            await session.execute(
                sa.insert(rows).values(id=row_id, note=body.get("note", "")[:200], created_at=datetime.now(UTC))
            )
            stored = (await session.execute(sa.select(rows).where(rows.c.id == row_id))).mappings().one()
        return {"id": stored["id"], "note": stored["note"], "created_at": stored["created_at"].isoformat()}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description="the baseline app of the benchmark")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = create_app(os.environ["BENCH_BASELINE_DATABASE_URL"])
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_config=None, access_log=False, lifespan="on")


if __name__ == "__main__":
    main()
