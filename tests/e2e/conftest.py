"""`make up`'s test looks at the platform after a minute of running. In the PostgreSQL run, where it
waits that minute out, its runner is started as soon as the session's tests are collected, so that the
minute passes while the other tests run; the test takes it over (test_make_up.py)."""

from __future__ import annotations

import asyncio
import shutil
import tempfile
from pathlib import Path

import pytest
from e2e_platform import EARLY_RUNNERS, MAKE_UP_DEMO_DAYS, start_runner, stop_runner

from common.testing import backend

MAKE_UP_TEST = "test_make_up.py::test_make_up_serves_seeds_and_stops_cleanly"


def pytest_collection_finish(session: pytest.Session) -> None:
    if backend() != "postgresql" or not any(item.nodeid.endswith(MAKE_UP_TEST) for item in session.items):
        return
    folder = Path(tempfile.mkdtemp(prefix="regiepunt-make-up-"))
    started = asyncio.run(start_runner(folder, demo_days=MAKE_UP_DEMO_DAYS))
    started.watch_welcome()
    EARLY_RUNNERS["make_up"] = started


def pytest_sessionfinish(session: pytest.Session) -> None:
    started = EARLY_RUNNERS.pop("make_up", None)
    if started is not None:
        asyncio.run(stop_runner(started))
        shutil.rmtree(started.runner.log_path.parent, ignore_errors=True)
