"""The intake app: create_app(settings) -> FastAPI."""

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from common.app import create_service_app, problem_response
from common.clock import Clock
from common.db import Database
from common.errors import ConfigurationError
from common.http import ServiceClient, provider_id_in_capacity
from contracts.vocabulary import Vocabulary, VocabularyError, load_vocabulary
from intake import dashboard, i18n, sessions
from intake.access_log import views as access_log_views
from intake.access_log.store import ReferralNotVisible, record_refusal
from intake.context import Context
from intake.indicators import views as indicator_views
from intake.notifications import views as notification_views
from intake.one_on_one import views as one_on_one_views
from intake.portal import views as portal_views
from intake.referral_groups import views as referral_group_views
from intake.referrals import views as referral_views
from intake.settings import IntakeSettings
from intake.signals import views as signal_views
from intake.vocabulary import views as vocabulary_views
from intake.workers import run_forever

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


def create_app(
    settings: IntakeSettings | None = None,
    *,
    clock: Clock | None = None,
    capacity_transport: httpx.AsyncBaseTransport | None = None,
    matching_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or IntakeSettings()
    vocabulary = configured_vocabulary(settings.vocabulary_file)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        worker = None
        if settings.run_workers:
            worker = asyncio.create_task(run_forever(app, settings.worker_interval_seconds))
        try:
            yield
        finally:
            if worker is not None:
                worker.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await worker
            await app.state.capacity.aclose()
            await app.state.matching.aclose()

    app = create_service_app(
        name="intake",
        settings=settings,
        database=Database(settings.database_url),
        migrations_dir=MIGRATIONS_DIR,
        routers=[
            referral_views.router,
            referral_group_views.router,
            signal_views.router,
            indicator_views.router,
            indicator_views.exports_router,
            access_log_views.router,
            vocabulary_views.router,
            portal_views.router,
            notification_views.router,
            one_on_one_views.router,
        ],
        clock=clock,
        lifespan=lifespan,
    )
    app.state.vocabulary = vocabulary
    dashboard.install(app)
    app.add_middleware(i18n.LanguageMiddleware)
    sessions.install(app)

    @app.exception_handler(ReferralNotVisible)
    async def _refused(_request: Request, exc: ReferralNotVisible) -> JSONResponse:
        # The use case's transaction is rolled back by now; the refusal is kept in a transaction of its own.
        await record_refusal(Context.of(app), exc)
        return problem_response(exc.status, exc.title, exc.detail)

    def client(base_url: str, transport: httpx.AsyncBaseTransport | None) -> ServiceClient:
        return ServiceClient(
            base_url,
            service_name="intake",
            tokens=app.state.service_tokens,
            timeout=settings.http_timeout_seconds,
            retries=settings.http_retries,
            transport=transport,
        )

    app.state.capacity = client(settings.capacity_url, capacity_transport)
    app.state.matching = client(settings.matching_url, matching_transport)

    async def provider_lookup(agb_code: str) -> str | None:
        return await provider_id_in_capacity(app.state.capacity, agb_code)

    app.state.verifier.provider_lookup = provider_lookup
    # Names this replica in outbox leases, so that replicas never match one referral twice.
    app.state.worker_id = uuid.uuid4().hex
    return app


def configured_vocabulary(path: Path | None) -> Vocabulary:
    """The vocabulary referrals are checked against; a file that cannot be used stops the start."""
    try:
        return load_vocabulary(path)
    except VocabularyError as exc:
        raise ConfigurationError(str(exc)) from exc
