"""Production mode as an operator meets it: `python -m <service> serve` without the settings it needs
exits non-zero with one line naming every missing thing; with them, secrets given as files the way
Kubernetes mounts them, it starts, serves /healthz and takes the identity provider's tokens."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from identity_support import (
    ROOT,
    SERVICES,
    ServiceProcesses,
    bare_environment,
    bearer_of,
    decision_request,
    free_port,
    identity_environment,
    referral_body,
    unit_body,
)

from common.testing import bearer, create_database, drop_database
from tests.oidc_provider.harness import IdentityProvider, start_identity_provider

# What each service names when it is started in production with nothing set.
EVERY_SERVICE = ("REGIEPUNT_OIDC_ISSUER", "REGIEPUNT_SERVICE_CLIENT_ID", "REGIEPUNT_SERVICE_CLIENT_SECRET")
MISSING = {
    "capacity": (*EVERY_SERVICE, "REGIEPUNT_INTAKE_CLIENT_ID", "REGIEPUNT_MATCHING_CLIENT_ID"),
    "matching": (*EVERY_SERVICE, "REGIEPUNT_INTAKE_CLIENT_ID"),
    "intake": (
        *EVERY_SERVICE,
        "REGIEPUNT_CLIENT_KEY_SECRET",
        "REGIEPUNT_SESSION_SECRET",
        "REGIEPUNT_OIDC_CLIENT_ID",
        "REGIEPUNT_OIDC_CLIENT_SECRET",
    ),
}
EXIT_REFUSED = 2


def run(service: str, command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", service, command]
    if command == "serve":
        argv += ["--port", str(free_port())]
    return subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("service", SERVICES)
def test_production_without_its_settings_refuses_to_start_with_one_line(service: str, tmp_path: Path) -> None:
    env = bare_environment(REGIEPUNT_ENV="production", REGIEPUNT_DATA_DIR=str(tmp_path))
    started = run(service, "serve", env)
    assert started.returncode == EXIT_REFUSED, started.stderr
    lines = started.stderr.strip().splitlines()
    assert len(lines) == 1, started.stderr
    assert lines[0].startswith(f"{service}: refusing to start in production: ")
    for missing in MISSING[service]:
        assert missing in lines[0]
    assert not (tmp_path / f"{service}.db").exists()  # nothing was opened, nothing created
    migrated = run(service, "migrate", env)
    assert migrated.returncode == EXIT_REFUSED
    assert migrated.stderr == started.stderr


def test_production_refuses_the_shared_hs256_secret_and_development_secrets(tmp_path: Path) -> None:
    env = bare_environment(
        REGIEPUNT_ENV="production",
        REGIEPUNT_DATA_DIR=str(tmp_path),
        REGIEPUNT_OIDC_ISSUER="https://login.example/realms/haaglanden",
        REGIEPUNT_SERVICE_CLIENT_ID="regiepunt-intake",
        REGIEPUNT_SERVICE_CLIENT_SECRET="s3cret",
        REGIEPUNT_JWT_SECRET="a-long-shared-secret",
        REGIEPUNT_CLIENT_KEY_SECRET="regiepunt-development-client-key-secret",
        REGIEPUNT_SESSION_SECRET="a-real-session-secret",
        REGIEPUNT_OIDC_CLIENT_ID="regiepunt-web",
        REGIEPUNT_OIDC_CLIENT_SECRET="web-s3cret",
    )
    started = run("intake", "serve", env)
    assert started.returncode == EXIT_REFUSED
    line = started.stderr.strip()
    assert "production does not accept the shared HS256 secret" in line
    assert "REGIEPUNT_CLIENT_KEY_SECRET is unset or a development value" in line
    assert "REGIEPUNT_OIDC_ISSUER" not in line and "SESSION_SECRET" not in line and "OIDC_CLIENT" not in line


def test_a_secret_file_that_cannot_be_read_or_doubles_a_setting_stops_the_start(tmp_path: Path) -> None:
    env = bare_environment(REGIEPUNT_DATA_DIR=str(tmp_path), REGIEPUNT_JWT_SECRET_FILE=str(tmp_path / "missing"))
    unreadable = run("capacity", "serve", env)
    assert unreadable.returncode == EXIT_REFUSED
    assert "REGIEPUNT_JWT_SECRET_FILE names" in unreadable.stderr and "cannot be read" in unreadable.stderr
    (tmp_path / "jwt").write_text("from-a-file\n")
    doubled = run(
        "capacity", "serve", {**env, "REGIEPUNT_JWT_SECRET_FILE": str(tmp_path / "jwt"), "REGIEPUNT_JWT_SECRET": "x"}
    )
    assert doubled.returncode == EXIT_REFUSED
    assert "REGIEPUNT_JWT_SECRET and REGIEPUNT_JWT_SECRET_FILE are both set" in doubled.stderr


@pytest.fixture(scope="module")
async def provider() -> AsyncIterator[IdentityProvider]:
    async with start_identity_provider() as running:
        yield running


@pytest.fixture(scope="module")
async def production(
    provider: IdentityProvider, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[dict[str, str]]:
    """The three services in production mode as processes, migrated and serving; their URLs."""
    tmp_path = tmp_path_factory.mktemp("production")
    databases, names = {}, []
    for service in SERVICES:
        databases[service], pg_name = await create_database(service, tmp_path)
        names.append(pg_name)
    processes = ServiceProcesses(tmp_path)
    urls = {service: f"http://127.0.0.1:{free_port()}" for service in SERVICES}
    try:
        environments = {
            service: production_environment(provider, service, tmp_path, databases[service], urls)
            for service in SERVICES
        }
        await asyncio.gather(*(asyncio.to_thread(processes.migrate, s, env) for s, env in environments.items()))
        for service, env in environments.items():
            processes.start(service, int(httpx.URL(urls[service]).port or 0), env)
        for service in SERVICES:
            processes.wait_healthy(service, urls[service])
        yield urls
    finally:
        processes.stop_all()
        for service in SERVICES:
            assert "REGIEPUNT_JWT_SECRET is not set" not in processes.log(service)  # no development warning
        for pg_name in names:
            await drop_database(pg_name)


def production_environment(
    provider: IdentityProvider, service: str, secrets_dir: Path, database_url: str, urls: dict[str, str]
) -> dict[str, str]:
    """Everything production needs, the secrets as files (REGIEPUNT_*_SECRET_FILE)."""
    settings = identity_environment(provider, service)
    files = {"SERVICE_CLIENT_SECRET": settings.pop("REGIEPUNT_SERVICE_CLIENT_SECRET")}
    if service == "intake":
        files |= {
            "CLIENT_KEY_SECRET": "client-key-of-the-test",
            "SESSION_SECRET": "session-key-of-the-test",
            "OIDC_CLIENT_SECRET": provider.BROWSER_CLIENT[1],
        }
        settings["REGIEPUNT_OIDC_CLIENT_ID"] = provider.BROWSER_CLIENT[0]
    env = bare_environment(
        REGIEPUNT_ENV="production",
        REGIEPUNT_DATA_DIR=str(secrets_dir),
        REGIEPUNT_RUN_WORKERS="true",
        REGIEPUNT_WORKER_INTERVAL_SECONDS="0.5",
        **settings,
        **{f"REGIEPUNT_{name.upper()}_URL": url for name, url in urls.items()},
        **{f"REGIEPUNT_{service.upper()}_DATABASE_URL": database_url},
    )
    for name, value in files.items():
        path = secrets_dir / f"{service}-{name.lower()}"
        path.write_text(value + "\n")  # as `kubectl create secret` and editors leave it: a trailing newline
        env[f"REGIEPUNT_{name}_FILE"] = str(path)
    return env


async def test_production_with_everything_set_starts_and_takes_the_providers_tokens_only(
    provider: IdentityProvider, production: dict[str, str]
) -> None:
    urls = production
    coordinator = bearer_of(await provider.token("test-coordinator"))
    async with httpx.AsyncClient(timeout=10) as client:
        for service, path in {"capacity": "/v1/providers", "intake": "/v1/referrals"}.items():
            assert (await client.get(f"{urls[service]}/healthz")).json()["status"] == "ok"
            assert (await client.get(f"{urls[service]}{path}", headers=coordinator)).status_code == 200
            refused = await client.get(f"{urls[service]}{path}", headers=bearer("coordinator"))
            assert refused.status_code == 401, refused.text
        assert (await client.get(f"{urls['matching']}/readyz")).status_code == 200


async def test_three_services_in_production_match_a_referral_with_client_credentials_tokens(
    provider: IdentityProvider, production: dict[str, str]
) -> None:
    urls = production
    coordinator = bearer_of(await provider.token("test-coordinator"))
    referrer = bearer_of(await provider.token("test-referrer"))
    async with httpx.AsyncClient(timeout=30) as client:
        created = await client.post(
            f"{urls['capacity']}/v1/providers",
            json={"name": "Horizon", "agb_code": "20000009", "role": "tactical"},
            headers=coordinator,
        )
        assert created.status_code == 201, created.text
        unit = await client.post(
            f"{urls['capacity']}/v1/providers/{created.json()['id']}/units", json=unit_body(), headers=coordinator
        )
        assert unit.status_code == 201, unit.text
        submitted = await client.post(f"{urls['intake']}/v1/referrals", json=referral_body(), headers=referrer)
        assert submitted.status_code == 201, submitted.text
        referral = submitted.json()
        for _ in range(100):  # matched at once, or by the workers' next round
            if referral["status"] != "pending":
                break
            await asyncio.sleep(0.2)
            read = await client.get(f"{urls['intake']}/v1/referrals/{referral['id']}", headers=coordinator)
            referral = read.json()
        assert referral["status"] == "proposed", referral
        assert referral["proposal"]["unit_id"] == unit.json()["id"]

        # Matching takes decisions from intake's identity only.
        from_capacity = bearer_of(await provider.token("regiepunt-capacity"))
        from_intake = bearer_of(await provider.token("regiepunt-intake"))
        refused = await client.post(f"{urls['matching']}/v1/decisions", json=decision_request(), headers=from_capacity)
        assert refused.status_code == 403, refused.text
        assert "capacity" in refused.json()["detail"]
        taken = await client.post(f"{urls['matching']}/v1/decisions", json=decision_request(), headers=from_intake)
        assert taken.status_code == 200, taken.text
