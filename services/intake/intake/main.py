"""The intake app: create_app(settings) -> FastAPI."""

from pathlib import Path

import httpx
from fastapi import FastAPI

from common.app import create_service_app
from common.clock import Clock
from common.db import Database
from common.http import ServiceClient
from intake.settings import IntakeSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(
    settings: IntakeSettings | None = None,
    *,
    clock: Clock | None = None,
    capacity_transport: httpx.AsyncBaseTransport | None = None,
    matching_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or IntakeSettings()
    app = create_service_app(
        name="intake",
        settings=settings,
        database=Database(settings.database_url),
        migrations_dir=MIGRATIONS_DIR,
        routers=[],
        clock=clock,
    )

    def client(base_url: str, transport: httpx.AsyncBaseTransport | None) -> ServiceClient:
        return ServiceClient(
            base_url,
            service_name="intake",
            jwt_secret=settings.effective_jwt_secret,
            timeout=settings.http_timeout_seconds,
            retries=settings.http_retries,
            transport=transport,
        )

    app.state.capacity = client(settings.capacity_url, capacity_transport)
    app.state.matching = client(settings.matching_url, matching_transport)
    return app
