"""The matching app: create_app(settings) -> FastAPI."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI

from common.app import create_service_app
from common.clock import Clock
from common.db import Database
from common.errors import ConfigurationError
from common.http import ServiceClient, provider_id_in_capacity
from common.logging import get_logger
from contracts.vocabulary import Vocabulary, VocabularyError, load_vocabulary
from matching.api import client_keys, decisions, group_decisions
from matching.replica import Replica
from matching.rules_config import load_placement_rules
from matching.settings import MatchingSettings

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
log = get_logger("regiepunt.matching")


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    # The read model is built once the service runs rather than by its first decision; should capacity
    # not answer yet, the first decision builds it.
    warming = asyncio.create_task(warm_up(app)) if app.state.replica is not None else None
    try:
        yield
    finally:
        if warming is not None:
            warming.cancel()
        await app.state.capacity.aclose()


async def warm_up(app: FastAPI) -> None:
    try:
        await app.state.replica.catch_up(app.state.capacity)
    except Exception as exc:
        # Whatever it was, the first decision catches up itself, and answers why it cannot.
        log.warning("read_model_not_built_at_start", error=type(exc).__name__)


def create_app(
    settings: MatchingSettings | None = None,
    *,
    clock: Clock | None = None,
    capacity_transport: httpx.AsyncBaseTransport | None = None,
) -> FastAPI:
    settings = settings or MatchingSettings()
    vocabulary = configured_vocabulary(settings.vocabulary_file)
    app = create_service_app(
        name="matching",
        settings=settings,
        database=Database(settings.database_url),
        migrations_dir=MIGRATIONS_DIR,
        routers=[decisions.router, client_keys.router, group_decisions.router],
        clock=clock,
        lifespan=lifespan,
    )
    # Read and checked at start: a rules file that is not valid keeps the service from starting.
    app.state.placement_rules = load_placement_rules(
        settings.group_rules_file,
        vocabulary=vocabulary,
        cap_mode=settings.production_cap_mode,
        cap_penalty=settings.production_cap_penalty,
    )
    app.state.capacity = ServiceClient(
        settings.capacity_url,
        service_name="matching",
        tokens=app.state.service_tokens,
        timeout=settings.http_timeout_seconds,
        retries=settings.http_retries,
        transport=capacity_transport,
    )
    app.state.vocabulary = vocabulary
    # Built from capacity's change feed once the service runs (by the first decision if capacity did not
    # answer then), then followed before each decision.
    app.state.replica = Replica() if settings.matching_read_model else None

    async def provider_lookup(agb_code: str) -> str | None:
        return await provider_id_in_capacity(app.state.capacity, agb_code)

    app.state.verifier.provider_lookup = provider_lookup
    return app


def configured_vocabulary(path: Path | None) -> Vocabulary:
    """The vocabulary whose labels explain a decision. Matching does not check the codes it is sent
    against it (docs/internal-api.md says why), but a file that cannot be used stops it as it stops
    intake and capacity, so that no service runs on a vocabulary the others refuse."""
    try:
        return load_vocabulary(path)
    except VocabularyError as exc:
        raise ConfigurationError(str(exc)) from exc
