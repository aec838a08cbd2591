"""What the end-to-end tests share: free ports, and `make up`'s runner started on them with fresh
databases (SQLite files or PostgreSQL databases, as the test run asks) and its output in a log file."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from common.testing import create_database, drop_database

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("intake", "capacity", "matching")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Runner:
    process: subprocess.Popen[str]
    urls: dict[str, str]
    log_path: Path


@asynccontextmanager
async def make_up(tmp_path: Path, *, demo_days: str) -> AsyncIterator[Runner]:
    """Run deploy/run_local.py with a demo history of `demo_days`; SIGTERM (then kill) at the end."""
    urls = {name: f"http://127.0.0.1:{free_port()}" for name in SERVICES}
    env = dict(os.environ)
    env.update(
        {
            "REGIEPUNT_DATA_DIR": str(tmp_path / "data"),
            "REGIEPUNT_DEMO": "1",
            "REGIEPUNT_DEMO_DAYS": demo_days,
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
    try:
        with log_path.open("w") as log:
            process = subprocess.Popen(
                [sys.executable, str(ROOT / "deploy" / "run_local.py")],
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
            )
            try:
                yield Runner(process=process, urls=urls, log_path=log_path)
            finally:
                if process.poll() is None:
                    process.send_signal(signal.SIGTERM)
                    try:
                        process.wait(timeout=30)
                    except subprocess.TimeoutExpired:
                        process.kill()
                        process.wait()
    finally:
        for pg_name in databases:
            await drop_database(pg_name)
