"""`make up` end to end: the runner migrates, serves the three services, seeds demo data, and stops
all of them cleanly on SIGTERM. Runs against real uvicorn processes on free ports."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from common.testing import bearer, create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[tuple[subprocess.Popen[str], dict[str, str], Path]]:
    ports = {name: _free_port() for name in ("intake", "capacity", "matching")}
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = dict(os.environ)
    env.update(
        {
            "REGIEPUNT_DATA_DIR": str(tmp_path / "data"),
            "REGIEPUNT_DEMO": "1",
            # A month of history is enough here; the browser test and `make up` use longer ones.
            "REGIEPUNT_DEMO_DAYS": "30",
            **{f"REGIEPUNT_{name.upper()}_URL": url for name, url in urls.items()},
        }
    )
    env.pop("REGIEPUNT_JWT_SECRET", None)
    databases = []
    for name in urls:
        url, pg_name = await create_database(name, tmp_path)
        databases.append(pg_name)
        env[f"REGIEPUNT_{name.upper()}_DATABASE_URL"] = url
    log_path = tmp_path / "up.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [sys.executable, str(ROOT / "deploy" / "run_local.py")],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            yield process, urls, log_path
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
    for pg_name in databases:
        await drop_database(pg_name)


def _wait_for(log_path: Path, text: str, process: subprocess.Popen[str], timeout: float = 300.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log_path.read_text()
        if text in content:
            return content
        if process.poll() is not None:
            pytest.fail(f"the runner exited early ({process.returncode}):\n{content[-3000:]}")
        time.sleep(0.3)
    pytest.fail(f"{text!r} did not appear within {timeout} s:\n{log_path.read_text()[-3000:]}")


def test_make_up_serves_seeds_and_stops_cleanly(
    platform: tuple[subprocess.Popen[str], dict[str, str], Path],
) -> None:
    process, urls, log_path = platform
    output = _wait_for(log_path, "Regiepunt is running", process)
    assert "REGIEPUNT_JWT_SECRET is not set" in output
    for url in urls.values():
        assert httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    providers = httpx.get(f"{urls['capacity']}/v1/providers", headers=bearer("coordinator"), timeout=5).json()
    items = providers["items"] if isinstance(providers, dict) else providers
    assert len(items) >= 10
    units = httpx.get(f"{urls['capacity']}/v1/units?limit=200", headers=bearer("coordinator"), timeout=5).json()
    assert "demo data: 25 providers" in output
    unit_items = units["items"] if isinstance(units, dict) else units
    assert any(unit["in_region"] for unit in unit_items) and any(not unit["in_region"] for unit in unit_items)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert "all services stopped" in log_path.read_text()
    for url in urls.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/healthz", timeout=1)
