"""The capacity app: create_app(settings) -> FastAPI."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from capacity.candidates import views as candidates
from capacity.client_keys import views as client_keys
from capacity.occupancy import views as occupancy
from capacity.production import views as production
from capacity.providers import views as providers
from capacity.providers.service import provider_id_by_agb
from capacity.reservations import views as reservations
from capacity.reservations.service import sweep_expired_reservations
from capacity.settings import CapacitySettings
from capacity.summary import views as summary
from capacity.units import views as units
from common.app import create_service_app
from common.clock import Clock
from common.db import Database
from common.errors import ConfigurationError
from common.logging import get_logger, request_context
from contracts.vocabulary import Vocabulary, VocabularyError, load_vocabulary

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"

log = get_logger("regiepunt.capacity.worker")


async def run_expiry_sweeps(app: FastAPI, interval_seconds: float) -> None:
    """Loop the expiry sweep until cancelled; a failing round is logged and the next one tries again."""
    while True:
        failed = True
        with request_context():
            try:
                await sweep_expired_reservations(app, app.state.clock)
                failed = False
            except Exception as exc:  # the loop must outlive a database hiccup
                log.exception("expiry_sweep_failed", error=type(exc).__name__)
        app.state.metrics.worker_ran("sweep_expired_reservations", failed=failed)
        await asyncio.sleep(interval_seconds)


def create_app(settings: CapacitySettings | None = None, *, clock: Clock | None = None) -> FastAPI:
    settings = settings or CapacitySettings()
    resolved = settings
    vocabulary = configured_vocabulary(settings.vocabulary_file)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not resolved.run_workers:
            yield
            return
        sweeper = asyncio.create_task(run_expiry_sweeps(app, resolved.sweep_interval_seconds))
        try:
            yield
        finally:
            sweeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await sweeper

    database = Database(settings.database_url)

    async def provider_lookup(agb_code: str) -> str | None:
        return await provider_id_by_agb(database, agb_code)

    app = create_service_app(
        name="capacity",
        settings=settings,
        database=database,
        migrations_dir=MIGRATIONS_DIR,
        # In the order of the paths of the published document.
        routers=[
            providers.router,
            production.router,
            units.router,
            reservations.router,
            occupancy.router,
            candidates.router,
            summary.router,
            client_keys.router,
        ],
        clock=clock,
        lifespan=lifespan,
        provider_lookup=provider_lookup,
    )
    app.state.vocabulary = vocabulary
    return app


def configured_vocabulary(path: Path | None) -> Vocabulary:
    """The vocabulary a unit's specialisms are checked against; a file that cannot be used stops the start."""
    try:
        return load_vocabulary(path)
    except VocabularyError as exc:
        raise ConfigurationError(str(exc)) from exc
