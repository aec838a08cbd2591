"""`make up` end to end: the runner migrates, serves the three services, seeds demo data, and stops
all of them cleanly on SIGTERM. Runs against real uvicorn processes on free ports."""

from __future__ import annotations

import csv
import io
import signal
import subprocess
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_platform import EARLY_RUNNERS, MAKE_UP_DEMO_DAYS, Started, start_runner, stop_runner

from common.testing import backend, bearer


@pytest.fixture
async def platform(tmp_path: Path) -> AsyncIterator[Started]:
    # Started as the tests were collected (conftest.py) in the PostgreSQL run, here otherwise; a month of
    # history is enough here, the browser tests and `make up` use longer ones.
    started = EARLY_RUNNERS.pop("make_up", None) or await start_runner(tmp_path, demo_days=MAKE_UP_DEMO_DAYS)
    try:
        yield started
    finally:
        await stop_runner(started)


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


# After a minute of running, the welcome is still on the screen: within this many last lines. The minute
# is waited out once, in the PostgreSQL run; the SQLite run looks right after the start.
WELCOME_WITHIN = 20
RUNNING_FOR = 60.0 if backend() == "postgresql" else 0.0


def test_make_up_serves_seeds_and_stops_cleanly(platform: Started) -> None:
    process, urls, log_path = platform.runner.process, platform.runner.urls, platform.runner.log_path
    output = _wait_for(log_path, "Stop with Ctrl-C.", process)
    # A runner started before this test has been running since its welcome was first seen.
    welcomed = platform.welcomed_at or time.monotonic()
    # Said once, with the welcome, not by each of the three services.
    assert output.count("REGIEPUNT_JWT_SECRET is not set") == 1
    assert "Context impl" not in output and "Will assume" not in output
    for url in urls.values():
        assert httpx.get(f"{url}/readyz", timeout=5).status_code == 200
    providers = httpx.get(f"{urls['capacity']}/v1/providers", headers=bearer("coordinator"), timeout=5).json()
    items = providers["items"] if isinstance(providers, dict) else providers
    assert len(items) >= 10
    units = httpx.get(f"{urls['capacity']}/v1/units?limit=200", headers=bearer("coordinator"), timeout=5).json()
    assert "demo data: 25 providers" in output
    # The seeding's progress, in a log file a line per quarter of the history: the month and the referrals.
    assert "demo data: 100% · playing" in output and "referrals so far" in output
    unit_items = units["items"] if isinstance(units, dict) else units
    assert any(unit["in_region"] for unit in unit_items) and any(not unit["in_region"] for unit in unit_items)
    _demo_answers_and_freshness(urls, items)

    # A minute of running: intake polls capacity every 2 seconds and readers read, but reads are no
    # news; the welcome stays within the last lines of the screen.
    time.sleep(max(0.0, RUNNING_FOR - (time.monotonic() - welcomed)))
    lines = log_path.read_text().splitlines()
    last = lines[-WELCOME_WITHIN:]
    assert any("Regiepunt is running" in line for line in last), "\n".join(lines[-60:])
    after = lines[max(i for i, line in enumerate(lines) if "Stop with Ctrl-C." in line) :]
    assert not [line for line in after if "method=GET" in line], "\n".join(after)

    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == 0
    assert "all services stopped" in log_path.read_text()
    for url in urls.values():
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{url}/healthz", timeout=1)


def _csv_rows(url: str) -> list[dict[str, str]]:
    response = httpx.get(url, headers=bearer("coordinator"), timeout=30)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text)))


def _demo_answers_and_freshness(urls: dict[str, str], providers: list[dict[str, Any]]) -> None:
    """The demo set has stale and fresh units, declines with reason codes, one provider outside the
    region's contracts, one-on-one hours above and below the limit, and a demo e-mail subscription."""
    coordinator = bearer("coordinator")
    for stale, expected in (("true", "some units stale"), ("false", "most units fresh")):
        listed = httpx.get(f"{urls['capacity']}/v1/units", params={"availability_stale": stale}, headers=coordinator)
        assert listed.json()["total"] > 0, expected
    assert [p["name"] for p in providers if not p["contracted"]] == ["Fier Expertisecentrum"]
    codes = {row["reason_code"] for row in _csv_rows(f"{urls['intake']}/v1/exports/declines.csv")}
    assert codes and codes <= {"no_free_place", "staffing", "needs_not_met", "child_or_family_wishes"}
    weeks = _csv_rows(f"{urls['intake']}/v1/exports/one-on-one.csv")
    assert {row["above_limit"] for row in weeks} == {"true", "false"}
    duinzicht = next(p["id"] for p in providers if p["name"] == "Jeugdhuis Duinzicht")
    mine = bearer("provider", provider_id=duinzicht)
    subscriptions = httpx.get(f"{urls['intake']}/v1/webhooks", headers=mine, timeout=5).json()["items"]
    assert [(s["email"], s["url"]) for s in subscriptions] == [("planning@aanbieder.example", None)]
