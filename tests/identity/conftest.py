"""The three apps configured with a running identity provider, over real HTTP (httpx against the ASGI
apps, wired to each other as in the root conftest); the provider is a real process (tests/oidc_provider)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI
from identity_support import identity_settings

from common.migrations import upgrade_to_head_async
from common.testing import clear_tables, create_database, drop_database
from tests.oidc_provider.harness import IdentityProvider


@dataclass
class IdentityPlatform:
    provider: IdentityProvider
    apps: dict[str, FastAPI]
    database_urls: dict[str, str]
    tmp_dir: Path
    clients: dict[str, httpx.AsyncClient] = field(default_factory=dict)

    def client(self, service: str) -> httpx.AsyncClient:
        return self.clients[service]

    async def clear(self) -> None:
        from capacity.db import metadata as capacity_tables
        from intake.db import metadata as intake_tables
        from matching.db import metadata as matching_tables

        for service, metadata in (
            ("capacity", capacity_tables),
            ("matching", matching_tables),
            ("intake", intake_tables),
        ):
            await clear_tables(self.apps[service].state.database.engine, metadata)


def build_app(service: str, provider: IdentityProvider, database_url: str, tmp_dir: Path, **overrides: Any) -> Any:
    """One service's app for the provider, with `overrides` on its settings; matching's and intake's
    calls go to the apps in `overrides["transports"]`."""
    transports: dict[str, httpx.AsyncBaseTransport] = overrides.pop("transports", {})
    values = {
        **identity_settings(provider, service),
        f"{service}_database_url": database_url,
        "data_dir": tmp_dir,
        "run_workers": False,
        **overrides,
    }
    if service == "capacity":
        from capacity.main import create_app as create_capacity
        from capacity.settings import CapacitySettings

        return create_capacity(CapacitySettings(**values))
    if service == "matching":
        from matching.main import create_app as create_matching
        from matching.settings import MatchingSettings

        return create_matching(MatchingSettings(**values), capacity_transport=transports.get("capacity"))
    from intake.main import create_app as create_intake
    from intake.settings import IntakeSettings

    return create_intake(
        IntakeSettings(**values),
        capacity_transport=transports.get("capacity"),
        matching_transport=transports.get("matching"),
    )


@asynccontextmanager
async def identity_platform(
    provider: IdentityProvider, tmp_dir: Path, **overrides: Any
) -> AsyncIterator[IdentityPlatform]:
    """Fresh databases for the three services and their apps, configured for `provider`."""
    from capacity.main import MIGRATIONS_DIR as CAPACITY_MIGRATIONS
    from intake.main import MIGRATIONS_DIR as INTAKE_MIGRATIONS
    from matching.main import MIGRATIONS_DIR as MATCHING_MIGRATIONS

    migrations = {"capacity": CAPACITY_MIGRATIONS, "matching": MATCHING_MIGRATIONS, "intake": INTAKE_MIGRATIONS}
    urls: dict[str, str] = {}
    pg_names: list[str | None] = []
    for service, directory in migrations.items():
        url, pg_name = await create_database(service, tmp_dir)
        pg_names.append(pg_name)
        await upgrade_to_head_async(directory, url)
        urls[service] = url
    apps: dict[str, FastAPI] = {}
    apps["capacity"] = build_app("capacity", provider, urls["capacity"], tmp_dir, **overrides)
    to_capacity = httpx.ASGITransport(app=apps["capacity"])
    apps["matching"] = build_app(
        "matching", provider, urls["matching"], tmp_dir, transports={"capacity": to_capacity}, **overrides
    )
    apps["intake"] = build_app(
        "intake",
        provider,
        urls["intake"],
        tmp_dir,
        transports={"capacity": to_capacity, "matching": httpx.ASGITransport(app=apps["matching"])},
        **overrides,
    )
    platform = IdentityPlatform(provider, apps, urls, tmp_dir)
    for service, app in apps.items():
        platform.clients[service] = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url=f"http://{service}", timeout=30
        )
    try:
        yield platform
    finally:
        for service, app in apps.items():
            await platform.clients[service].aclose()
            await close_app(app)
        for pg_name in pg_names:
            await drop_database(pg_name)


async def close_app(app: FastAPI) -> None:
    """What the lifespan closes at shutdown: the ASGI test transport never runs it."""
    for name in ("capacity", "matching"):
        client = getattr(app.state, name, None)
        if client is not None:
            await client.aclose()
    await app.state.verifier.aclose()
    await app.state.service_tokens.aclose()
    await app.state.database.dispose()
