"""`python -m intake rekey-client-keys` as the operator runs it after a rotation: a process of its own
with the new secret, against capacity and matching served by uvicorn. Run while capacity is down, it
re-keys what it can reach, says what waits and exits non-zero; run again, it completes; run once more,
it changes nothing."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
from client_key_support import (
    ROTATED_SECRET,
    assert_only_current_keys,
    children_with_history,
    snapshot,
    stored_client_keys,
)
from fastapi import FastAPI

from intake import domain

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _environment(**values: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGIEPUNT_")}
    env.update({"REGIEPUNT_LOG_JSON": "false", "REGIEPUNT_RUN_WORKERS": "false", **values})
    return env


@contextmanager
def _served(service: str, database_url: str, log_dir: Path) -> Iterator[str]:
    """The service as a uvicorn process on a free port, on the database the test's apps use."""
    url = f"http://127.0.0.1:{_free_port()}"
    env = _environment(**{f"REGIEPUNT_{service.upper()}_DATABASE_URL": database_url})
    log_path = log_dir / f"{service}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", service, "serve", "--port", str(httpx.URL(url).port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not _ready(url):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{service} did not start:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


async def _rekey_command(intake_database_url: str, capacity_url: str, matching_url: str) -> tuple[int, str]:
    env = _environment(
        REGIEPUNT_INTAKE_DATABASE_URL=intake_database_url,
        REGIEPUNT_CLIENT_KEY_SECRET=ROTATED_SECRET,
        REGIEPUNT_CAPACITY_URL=capacity_url,
        REGIEPUNT_MATCHING_URL=matching_url,
        REGIEPUNT_HTTP_RETRIES="1",
    )

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "intake", "rekey-client-keys"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )

    done = await asyncio.to_thread(run)
    return done.returncode, done.stdout + done.stderr


async def test_rekey_command_resumes_after_capacity_was_down_and_is_harmless_run_again(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    tmp_path: Path,
) -> None:
    apps = {"intake": intake_app, "capacity": capacity_app, "matching": matching_app}
    history = await children_with_history(intake, capacity, apps, intake_app.state.settings.client_key_secret)
    intake_url = intake_app.state.database.url
    rotated = domain.client_key_id(ROTATED_SECRET)
    with (
        _served("capacity", capacity_app.state.database.url, tmp_path) as capacity_url,
        _served("matching", matching_app.state.database.url, tmp_path) as matching_url,
    ):
        capacity_down = f"http://127.0.0.1:{_free_port()}"
        status, output = await _rekey_command(intake_url, capacity_down, matching_url)
        assert status == 1, output
        # Four referrals of three children; one old pseudonym each, so three pairs for each service.
        assert f"intake: key {rotated}: 4 referrals of 3 children re-keyed" in output, output
        assert "matching: 3 pairs sent, 4 rows re-keyed" in output, output
        assert "capacity: 0 pairs sent, 0 rows re-keyed; 3 pairs wait until capacity can be reached" in output, output
        keys = await stored_client_keys(apps)
        assert all(domain.made_with(key, rotated) for key in keys["intake"] | keys["matching"]), keys
        assert not any(domain.made_with(key, rotated) for key in keys["capacity"]), keys

        status, output = await _rekey_command(intake_url, capacity_url, matching_url)
        assert status == 0, output
        assert f"intake: key {rotated}: 0 referrals of 0 children re-keyed" in output, output
        assert "capacity: 3 pairs sent, 7 rows re-keyed" in output, output
        assert "matching: 0 pairs sent, 0 rows re-keyed" in output, output
        await assert_only_current_keys(apps, ROTATED_SECRET, history.old_keys)

        before = await snapshot(apps)
        status, output = await _rekey_command(intake_url, capacity_url, matching_url)
        assert status == 0, output
        assert "capacity: 0 pairs sent, 0 rows re-keyed" in output, output
        assert await snapshot(apps) == before
