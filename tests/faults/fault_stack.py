"""The three services as real processes on PostgreSQL, each in its own process group so that a test can
kill (SIGKILL), freeze (SIGSTOP) and thaw (SIGCONT) it, and restart it on the same port and database."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from common.testing import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
# Started in this order: intake's workers and matching call capacity, intake calls matching.
SERVICES = ("capacity", "matching", "intake")
READY_SECONDS = 60.0

# The background work has to turn over within the seconds a test waits, not the minutes it takes in
# production: intake's outbox and workers, their retry pause and lease, capacity's sweeps, and the
# timeout of one call between services (so that a frozen capacity is noticed in seconds).
FAST_SETTINGS = {
    "REGIEPUNT_WORKER_INTERVAL_SECONDS": "0.5",
    "REGIEPUNT_OUTBOX_RETRY_SECONDS": "1",
    "REGIEPUNT_OUTBOX_LEASE_SECONDS": "5",
    "REGIEPUNT_SWEEP_INTERVAL_SECONDS": "1",
    "REGIEPUNT_HTTP_TIMEOUT_SECONDS": "2",
    "REGIEPUNT_LOG_JSON": "false",
}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def asyncpg_dsn(sqlalchemy_url: str) -> str:
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)


class Stack:
    """One running platform: the services' URLs, their databases, and their processes."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.urls = {name: f"http://127.0.0.1:{free_port()}" for name in SERVICES}
        self.database_urls: dict[str, str] = {}
        self._pg_names: list[str] = []
        self.processes: dict[str, subprocess.Popen[bytes]] = {}
        self.env: dict[str, str] = {}
        self.restarts: dict[str, int] = dict.fromkeys(SERVICES, 0)

    def dsn(self, name: str) -> str:
        return asyncpg_dsn(self.database_urls[name])

    def log_path(self, name: str) -> Path:
        return self.log_dir / f"{name}.log"

    async def create(self) -> None:
        env = dict(os.environ)
        # Unset, so that the services use the development secret that common.testing mints with.
        env.pop("REGIEPUNT_JWT_SECRET", None)
        env.update(FAST_SETTINGS)
        env["REGIEPUNT_DATA_DIR"] = str(self.log_dir)
        env.update({f"REGIEPUNT_{name.upper()}_URL": url for name, url in self.urls.items()})
        for name in SERVICES:
            url, pg_name = await create_database(name, self.log_dir)
            assert pg_name is not None, "the fault suite runs on PostgreSQL only"
            self._pg_names.append(pg_name)
            self.database_urls[name] = url
            env[f"REGIEPUNT_{name.upper()}_DATABASE_URL"] = url
        self.env = env
        for name in SERVICES:
            await asyncio.to_thread(
                subprocess.run,
                [sys.executable, "-m", name, "migrate"],
                env=env,
                cwd=ROOT,
                check=True,
                stdout=subprocess.DEVNULL,
            )

    async def start(self, name: str) -> None:
        """Start one service in its own process group and wait until it answers /readyz."""
        port = str(httpx.URL(self.urls[name]).port)
        with self.log_path(name).open("ab") as log:
            log.write(f"\n===== start {name} at {time.strftime('%H:%M:%S')} =====\n".encode())
            log.flush()
            self.processes[name] = subprocess.Popen(  # noqa: ASYNC220 - started, not waited for
                [sys.executable, "-m", name, "serve", "--host", "127.0.0.1", "--port", port],
                env=self.env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        await self.wait_ready(name)

    async def wait_ready(self, name: str) -> None:
        process = self.processes[name]
        deadline = time.monotonic() + READY_SECONDS
        async with httpx.AsyncClient(timeout=1.0) as client:
            while time.monotonic() < deadline:
                if process.poll() is not None:
                    raise RuntimeError(f"{name} exited with {process.returncode}:\n{self.tail(name)}")
                try:
                    if (await client.get(f"{self.urls[name]}/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.2)
        raise RuntimeError(f"{name} did not become ready within {READY_SECONDS:.0f} s:\n{self.tail(name)}")

    def signal(self, name: str, signum: signal.Signals) -> None:
        """Send a signal to the service's whole process group."""
        process = self.processes[name]
        with self.log_path(name).open("ab") as log:
            log.write(f"\n===== {signum.name} to {name} at {time.strftime('%H:%M:%S')} =====\n".encode())
        os.killpg(process.pid, signum)

    async def kill(self, name: str) -> None:
        self.signal(name, signal.SIGKILL)
        await asyncio.to_thread(self.processes[name].wait, 30)

    async def restart(self, name: str) -> None:
        self.restarts[name] += 1
        await self.start(name)

    def freeze(self, name: str) -> None:
        self.signal(name, signal.SIGSTOP)

    def thaw(self, name: str) -> None:
        self.signal(name, signal.SIGCONT)

    def tail(self, name: str, chars: int = 4000) -> str:
        path = self.log_path(name)
        if not path.exists():
            return "(no output)"
        return path.read_bytes()[-chars:].decode(errors="replace")

    def tails(self) -> str:
        return "\n".join(f"----- {name} (last lines) -----\n{self.tail(name)}" for name in SERVICES)

    async def close(self) -> None:
        for name, process in list(self.processes.items()):
            if process.poll() is None:
                # A frozen process ignores SIGTERM until it is thawed; SIGKILL ends it either way.
                try:
                    os.killpg(process.pid, signal.SIGCONT)
                    os.killpg(process.pid, signal.SIGTERM)
                except ProcessLookupError:
                    continue
                try:
                    await asyncio.to_thread(process.wait, 15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    await asyncio.to_thread(process.wait, 15)
            del self.processes[name]
        for pg_name in self._pg_names:
            await drop_database(pg_name)
        self._pg_names.clear()
