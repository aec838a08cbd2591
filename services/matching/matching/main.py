"""The matching app: create_app(settings) -> FastAPI."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from common.app import create_service_app
from common.clock import Clock
from common.db import Database
from common.http import ServiceClient, provider_id_in_capacity
from matching.api import decisions
from matching.settings import MatchingSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    try:
        yield
    finally:
        await app.state.capacity.aclose()


def create_app(
    settings: MatchingSettings | None = None,
    *,
    clock: Clock | None = None,
    capacity_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or MatchingSettings()
    app = create_service_app(
        name="matching",
        settings=settings,
        database=Database(settings.database_url),
        migrations_dir=MIGRATIONS_DIR,
        routers=[decisions.router],
        clock=clock,
        lifespan=lifespan,
    )
    app.state.capacity = ServiceClient(
        settings.capacity_url,
        service_name="matching",
        tokens=app.state.service_tokens,
        timeout=settings.http_timeout_seconds,
        retries=settings.http_retries,
        transport=capacity_transport,
    )

    async def provider_lookup(agb_code: str) -> str | None:
        return await provider_id_in_capacity(app.state.capacity, agb_code)

    app.state.verifier.provider_lookup = provider_lookup
    return app
