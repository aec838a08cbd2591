"""The three services as real uvicorn processes with their background workers on: what a referrer sees
when matching is stopped and started again, and how the waiting list moves without anyone pressing a
button when a place comes free."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_platform import free_port

from common.testing import bearer, create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("capacity", "matching", "intake")
COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
REFERRER = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")
# The worker interval the platform runs with (REGIEPUNT_WORKER_INTERVAL_SECONDS) against the 0.2 s
# between two polls of _wait_until: how many polls one worker round takes.
POLLS_PER_WORKER_ROUND = 3
WORKER_ROUNDS_ALLOWED = 8
BSNS = iter(["111222333", "123456782", "100000009", "100000010", "100000022"])


class Platform:
    """Starts, stops and restarts the services; each writes its output to a log file."""

    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def url(self, name: str) -> str:
        return self.env[f"REGIEPUNT_{name.upper()}_URL"]

    def migrate(self) -> None:
        for name in SERVICES:
            subprocess.run([sys.executable, "-m", name, "migrate"], env=self.env, cwd=ROOT, check=True)

    def start(self, name: str) -> None:
        port = httpx.URL(self.url(name)).port
        log = (self.log_dir / f"{name}.log").open("ab")
        self.processes[name] = subprocess.Popen(
            [sys.executable, "-m", name, "serve", "--port", str(port)],
            env=self.env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.processes[name].poll() is not None:
                pytest.fail(f"{name} exited early:\n{(self.log_dir / f'{name}.log').read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url(name)}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        pytest.fail(f"{name} did not become ready")

    def stop(self, name: str) -> None:
        process = self.processes.pop(name)
        process.terminate()
        # uvicorn shuts down gracefully, then re-raises the signal it caught.
        assert process.wait(timeout=30) in (0, -signal.SIGTERM)
        assert "Application shutdown complete" in (self.log_dir / f"{name}.log").read_text()

    def stop_all(self) -> None:
        for name in list(self.processes):
            process = self.processes.pop(name)
            if process.poll() is None:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
async def databases(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[tuple[Path, dict[str, str]]]:
    tmp_path = tmp_path_factory.mktemp("running")
    urls: dict[str, str] = {}
    names = []
    for name in SERVICES:
        url, pg_name = await create_database(name, tmp_path)
        urls[name] = url
        names.append(pg_name)
    yield tmp_path, urls
    for pg_name in names:
        await drop_database(pg_name)


@pytest.fixture(scope="module")
def platform(databases: tuple[Path, dict[str, str]]) -> Iterator[Platform]:
    tmp_path, database_urls = databases
    env = dict(os.environ)
    env.update(
        {
            "REGIEPUNT_DATA_DIR": str(tmp_path / "data"),
            "REGIEPUNT_JWT_SECRET": os.environ.get("REGIEPUNT_JWT_SECRET", ""),
            "REGIEPUNT_LOG_JSON": "true",
            "REGIEPUNT_WORKER_INTERVAL_SECONDS": "0.5",
            **{f"REGIEPUNT_{name.upper()}_URL": f"http://127.0.0.1:{free_port()}" for name in SERVICES},
            **{f"REGIEPUNT_{name.upper()}_DATABASE_URL": url for name, url in database_urls.items()},
        }
    )
    if not env["REGIEPUNT_JWT_SECRET"]:
        env.pop("REGIEPUNT_JWT_SECRET")
    running = Platform(env, tmp_path)
    running.migrate()
    for name in SERVICES:
        running.start(name)
    try:
        yield running
    finally:
        running.stop_all()


def _wait_until(check: Callable[[], Any], what: str, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"{what} did not happen within {timeout} s")


def _unit(platform: Platform, *, capacity: int, municipality: str = "GM0518") -> dict[str, Any]:
    with httpx.Client(base_url=platform.url("capacity"), headers=COORDINATOR, timeout=10) as client:
        agb = f"{int(time.time() * 1000) % 100_000_000:08d}"
        provider = client.post("/v1/providers", json={"name": "De Haagse Linde", "agb_code": agb, "role": "tactical"})
        assert provider.status_code == 201, provider.text
        unit = client.post(
            f"/v1/providers/{provider.json()['id']}/units",
            json={
                "name": "Groep Duin",
                "care_type": "family_home",
                "target_groups": ["lvb"],
                "age_min": 6,
                "age_max": 17,
                "municipality_code": municipality,
                "capacity": capacity,
                "specialisms": ["attachment"],
                "part_time": False,
            },
        )
        assert unit.status_code == 201, unit.text
        body: dict[str, Any] = unit.json()
        return body


def _submit(platform: Platform, **extra: Any) -> dict[str, Any]:
    body = {
        "client": {"bsn": next(BSNS), "birth_date": "2014-03-01", "municipality_code": "GM0518"},
        "care_type": "family_home",
        "target_group": "lvb",
        "needs": ["attachment"],
        "part_time": False,
        "requested_start": "2026-12-01",
        "out_of_region": None,
        "notes": None,
        **extra,
    }
    response = httpx.post(f"{platform.url('intake')}/v1/referrals", json=body, headers=REFERRER, timeout=30)
    assert response.status_code == 201, response.text
    referral: dict[str, Any] = response.json()
    return referral


def _status(platform: Platform, referral_id: str) -> dict[str, Any]:
    response = httpx.get(f"{platform.url('intake')}/v1/referrals/{referral_id}", headers=COORDINATOR, timeout=10)
    assert response.status_code == 200, response.text
    referral: dict[str, Any] = response.json()
    return referral


def test_referral_sent_while_matching_is_stopped_is_kept_and_matched_once_it_is_back(platform: Platform) -> None:
    unit = _unit(platform, capacity=1)
    platform.stop("matching")
    try:
        referral = _submit(platform)
        assert referral["status"] == "pending"
        time.sleep(2)  # several worker rounds while matching is still down: the referral waits, nothing is lost
        assert _status(platform, referral["id"])["status"] == "pending"
    finally:
        platform.start("matching")

    proposed = _wait_until(
        lambda: (r := _status(platform, referral["id"]))["status"] == "proposed" and r, "matching after restart"
    )
    assert proposed["proposal"]["unit_id"] == unit["id"]
    held = httpx.get(f"{platform.url('capacity')}/v1/units/{unit['id']}", headers=COORDINATOR, timeout=10).json()
    assert held["reserved"] == 1
    assert held["available"] == 0


def test_waiting_child_is_proposed_within_seconds_when_a_place_comes_free(platform: Platform) -> None:
    unit = _unit(platform, capacity=0, municipality="GM0637")
    waiting = _submit(platform, client={"bsn": next(BSNS), "birth_date": "2013-01-01", "municipality_code": "GM0637"})
    assert waiting["status"] == "unmatched"

    raised = httpx.put(
        f"{platform.url('capacity')}/v1/units/{unit['id']}/availability",
        json={"capacity": 1, "blocked": 0},
        headers={**COORDINATOR, "If-Match": str(unit["version"])},
        timeout=10,
    )
    assert raised.status_code == 200, raised.text

    polls = 0

    def proposed_yet() -> dict[str, Any] | None:
        nonlocal polls
        polls += 1
        referral = _status(platform, waiting["id"])
        return referral if referral["status"] == "proposed" else None

    proposed = _wait_until(proposed_yet, "re-match from the waiting list")
    assert proposed["proposal"]["unit_id"] == unit["id"]
    # Counted, not timed: intake's worker runs every 0.5 s and this loop polls every 0.2 s, so a few
    # worker rounds are a few dozen polls at most; and the waiting list asked matching once, when the
    # place came free, not on every round.
    assert polls <= WORKER_ROUNDS_ALLOWED * POLLS_PER_WORKER_ROUND
    decisions = httpx.get(
        f"{platform.url('intake')}/v1/referrals/{waiting['id']}/decision", headers=COORDINATOR, timeout=10
    )
    assert decisions.status_code == 200, decisions.text
    assert [d["outcome"] for d in decisions.json()["items"]] == ["proposed", "unmatched"]


def test_services_stop_cleanly_on_sigterm(platform: Platform) -> None:
    for name in ("intake", "matching", "capacity"):
        platform.stop(name)
