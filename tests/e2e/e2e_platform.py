"""What the end-to-end tests share: free ports, `make up`'s runner started on them with fresh databases
(SQLite files or PostgreSQL databases, as the test run asks) and its output in a log file, and the
browser the browser tests drive."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

from common.testing import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "capacity", "matching")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# The last line of the runner's welcome.
WELCOME_END = "Stop with Ctrl-C."


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def service_urls() -> dict[str, str]:
    return {name: f"http://127.0.0.1:{free_port()}" for name in SERVICES}


@dataclass
class Runner:
    process: subprocess.Popen[str]
    urls: dict[str, str]
    log_path: Path


@dataclass
class Started:
    """A runner and the PostgreSQL databases made for it (none on SQLite)."""

    runner: Runner
    databases: list[str | None]
    log: IO[str]
    # When the runner's welcome was first seen in its output (watch_welcome), on the monotonic clock.
    welcomed_at: float | None = None

    def watch_welcome(self) -> None:
        """Note, from a thread of its own, when the welcome appears: a test that takes the runner over
        later knows how long the platform has been running since."""

        def watch() -> None:
            while self.runner.process.poll() is None:
                if WELCOME_END in self.runner.log_path.read_text(errors="replace"):
                    self.welcomed_at = time.monotonic()
                    return
                time.sleep(0.5)

        threading.Thread(target=watch, daemon=True).start()


# `make up`'s own test plays a month of history; the browser tests use longer ones.
MAKE_UP_DEMO_DAYS = "30"
# Runners started before their test (tests/e2e/conftest.py), by name; the test that takes one over
# removes it from here.
EARLY_RUNNERS: dict[str, Started] = {}


async def start_runner(
    tmp_path: Path, *, demo_days: str, urls: dict[str, str] | None = None, settings: dict[str, str] | None = None
) -> Started:
    """Start deploy/run_local.py with a demo history of `demo_days` (and any further REGIEPUNT_* settings)
    on `urls` (free ports by default), on fresh databases; stop it with `stop_runner`."""
    urls = urls or service_urls()
    env = dict(os.environ)
    env.update(
        {
            "REGIEPUNT_DATA_DIR": str(tmp_path / "data"),
            "REGIEPUNT_DEMO": "1",
            "REGIEPUNT_DEMO_DAYS": demo_days,
            **{f"REGIEPUNT_{name.upper()}_URL": url for name, url in urls.items()},
            **(settings or {}),
        }
    )
    env.pop("REGIEPUNT_JWT_SECRET", None)
    databases: list[str | None] = []
    for name in urls:
        url, pg_name = await create_database(name, tmp_path)
        databases.append(pg_name)
        env[f"REGIEPUNT_{name.upper()}_DATABASE_URL"] = url
    log_path = tmp_path / "up.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "run_local.py")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    return Started(Runner(process=process, urls=urls, log_path=log_path), databases, log)


async def stop_runner(started: Started) -> None:
    """SIGTERM (then kill) the runner if it still runs, and drop its databases."""
    process = started.runner.process
    try:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        started.log.close()
    finally:
        for pg_name in started.databases:
            await drop_database(pg_name)


@asynccontextmanager
async def make_up(
    tmp_path: Path, *, demo_days: str, urls: dict[str, str] | None = None, settings: dict[str, str] | None = None
) -> AsyncIterator[Runner]:
    """`make up`'s runner for the length of the block (start_runner, stop_runner)."""
    started = await start_runner(tmp_path, demo_days=demo_days, urls=urls, settings=settings)
    try:
        yield started.runner
    finally:
        await stop_runner(started)


def need_browser() -> None:
    """Skips (fails under CI) when Chromium or Playwright is missing."""
    missing = []
    if not Path(CHROMIUM).exists():
        missing.append(f"{CHROMIUM} (Debian package chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright Python package")
    if missing:
        reason = "the browser test needs " + " and ".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def wait_for_start(log_path: Path, process: subprocess.Popen[str], timeout: float = 900.0) -> str:
    """The runner's output once it says the platform is running."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log_path.read_text()
        if "Regiepunt is running" in content and "Stop with Ctrl-C" in content:
            return content
        if process.poll() is not None:
            pytest.fail(f"the runner exited early ({process.returncode}):\n{content[-3000:]}")
        time.sleep(0.5)
    pytest.fail(f"the platform did not start within {timeout:.0f} s:\n{log_path.read_text()[-3000:]}")
