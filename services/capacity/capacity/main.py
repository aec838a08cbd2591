"""The capacity app: create_app(settings) -> FastAPI."""

from pathlib import Path

from fastapi import FastAPI

from capacity.settings import CapacitySettings
from common.app import create_service_app
from common.clock import Clock
from common.db import Database

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(settings: CapacitySettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or CapacitySettings()
    return create_service_app(
        name="capacity",
        settings=settings,
        database=Database(settings.database_url),
        migrations_dir=MIGRATIONS_DIR,
        routers=[],
        clock=clock,
    )
