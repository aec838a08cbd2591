"""The services under test: fresh PostgreSQL databases, migrated and served by uvicorn as in production."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import asyncpg
import httpx

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_DSN = os.environ.get("REGIEPUNT_BENCH_PG_DSN", "postgresql://postgres@127.0.0.1:5432/postgres")
BENCH_SECRET = "regiepunt-bench-secret-not-for-production"  # noqa: S105
SERVICES = ("capacity", "matching", "intake")
# The services whose background steps (outbox, waiting list, expiry sweep, notifications) run in a
# process of their own, as in production (deploy/k8s: `<service>-workers`, REGIEPUNT_RUN_WORKERS=true):
# the processes that answer requests run none, so the steps neither steal their event loop nor queue
# requests behind them.
WORKER_SERVICES = ("capacity", "intake")


def workers_of(service: str) -> str:
    return f"{service}-workers"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _server_part(dsn: str) -> str:
    return dsn.split("://", 1)[1].rsplit("/", 1)[0]


def database_dsn(name: str) -> str:
    """A plain libpq DSN for asyncpg (seeding, checks)."""
    return f"postgresql://{_server_part(PG_ADMIN_DSN)}/{name}"


def sqlalchemy_url(name: str) -> str:
    return f"postgresql+asyncpg://{_server_part(PG_ADMIN_DSN)}/{name}"


async def recreate_databases(names: list[str]) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


async def drop_databases(names: list[str]) -> None:
    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        for name in names:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


@dataclass
class Stack:
    """The three services (and the baseline app) as child processes, with their logs in `log_dir`."""

    log_dir: Path
    databases: dict[str, str] = field(default_factory=dict)
    ports: dict[str, int] = field(default_factory=dict)
    children: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)
    logs: list[IO[bytes]] = field(default_factory=list)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.ports[name]}"

    def environment(self) -> dict[str, str]:
        env = dict(os.environ)
        env.update(
            {
                "REGIEPUNT_JWT_SECRET": BENCH_SECRET,
                "REGIEPUNT_RUN_WORKERS": "false",
                "REGIEPUNT_LOG_JSON": "true",
                "REGIEPUNT_LOG_LEVEL": "INFO",
                "REGIEPUNT_DATA_DIR": str(self.log_dir),
            }
        )
        for service in SERVICES:
            env[f"REGIEPUNT_{service.upper()}_DATABASE_URL"] = sqlalchemy_url(self.databases[service])
            env[f"REGIEPUNT_{service.upper()}_URL"] = self.url(service)
        return env

    def migrate(self) -> None:
        env = self.environment()
        for service in SERVICES:
            done = subprocess.run(
                [sys.executable, "-m", service, "migrate"], env=env, cwd=ROOT, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise RuntimeError(f"{service} migrate failed:\n{done.stdout}\n{done.stderr}")

    def start_services(self) -> None:
        env = self.environment()
        for service in SERVICES:
            self._spawn(service, [sys.executable, "-m", service, "serve", "--port", str(self.ports[service])], env)
        workers_env = dict(env, REGIEPUNT_RUN_WORKERS="true")
        for service in WORKER_SERVICES:
            name = workers_of(service)
            self.ports.setdefault(name, free_port())
            self._spawn(name, [sys.executable, "-m", service, "serve", "--port", str(self.ports[name])], workers_env)
        for name in (*SERVICES, *map(workers_of, WORKER_SERVICES)):
            self._wait_ready(name, f"{self.url(name)}/readyz")

    def start_baseline(self, database: str) -> None:
        env = dict(os.environ)
        env["BENCH_BASELINE_DATABASE_URL"] = sqlalchemy_url(database)
        command = [sys.executable, "-m", "bench.national.baseline", "--port", str(self.ports["baseline"])]
        self._spawn("baseline", command, env)
        self._wait_ready("baseline", f"{self.url('baseline')}/readyz")

    def _spawn(self, name: str, command: list[str], env: dict[str, str]) -> None:
        log = (self.log_dir / f"{name}.log").open("ab")
        self.logs.append(log)
        self.children[name] = subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)

    def _wait_ready(self, name: str, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            child = self.children[name]
            if child.poll() is not None:
                raise RuntimeError(f"{name} exited with {child.returncode}; see {self.log_dir / (name + '.log')}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(url, timeout=1.0).status_code == 200:
                    return
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not become ready within {timeout:.0f} s")

    def pid(self, name: str) -> int:
        return self.children[name].pid

    def stop(self) -> None:
        for child in self.children.values():
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for child in self.children.values():
            try:
                child.wait(timeout=15)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        self.children.clear()
        for log in self.logs:
            log.close()
        self.logs.clear()
