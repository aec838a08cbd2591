"""`make up`: migrate the three services, seed the demo set when empty, serve them on :8001-:8003
(or where REGIEPUNT_INTAKE_URL, _CAPACITY_URL and _MATCHING_URL say).

Runs in the foreground; SIGINT or SIGTERM stops all three services cleanly. The services' output
passes through the runner, which prints its welcome (the URLs and a token) once their start-up has
quietened, so that it is the last thing on the screen until something changes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from demo_seed import HISTORY_DAYS, seed_demo  # noqa: E402

from common.settings import DEVELOPMENT_JWT_SECRET, CommonSettings  # noqa: E402
from common.tokens import development_token  # noqa: E402

SERVICES = (("capacity", 8002), ("matching", 8003), ("intake", 8001))
# The welcome waits until the services have written nothing for this long (at most QUIET_LIMIT).
QUIET_SECONDS = 2.0
QUIET_LIMIT = 30.0


class Output:
    """The services' output, passed through line by line; remembers when the last line came."""

    def __init__(self) -> None:
        self.last_line_at = time.monotonic()
        self._lock = threading.Lock()

    def follow(self, stream: IO[bytes]) -> None:
        threading.Thread(target=self._copy, args=(stream,), daemon=True).start()

    def _copy(self, stream: IO[bytes]) -> None:
        for line in iter(stream.readline, b""):
            with self._lock:
                sys.stdout.buffer.write(line)
                sys.stdout.flush()
                self.last_line_at = time.monotonic()

    def print(self, text: str) -> None:
        with self._lock:
            print(text, flush=True)

    def wait_until_quiet(self, quiet: float = QUIET_SECONDS, limit: float = QUIET_LIMIT) -> None:
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline and time.monotonic() - self.last_line_at < quiet:
            time.sleep(0.1)


def _port_of(url: str, default: int) -> int:
    return httpx.URL(url).port or default


def main() -> int:
    settings = CommonSettings()
    # One data directory for the runner's own seeding and for the services it starts.
    data_dir = settings.data_dir if Path(settings.data_dir).is_absolute() else ROOT / settings.data_dir
    os.environ["REGIEPUNT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("REGIEPUNT_LOG_JSON", "false")
    # Without a secret each service would warn about the development secret; the runner says it
    # once, with its welcome, and hands the services that secret explicitly.
    development_secret = not settings.production and not settings.jwt_secret
    env = dict(os.environ)
    if development_secret:
        env["REGIEPUNT_JWT_SECRET"] = DEVELOPMENT_JWT_SECRET
    python = sys.executable
    urls = {"intake": settings.intake_url, "capacity": settings.capacity_url, "matching": settings.matching_url}

    # Each service migrates its own database: the three at once, on as many cores as there are.
    print(f"migrating {', '.join(name for name, _port in SERVICES)} …", flush=True)
    migrations = [
        (name, subprocess.Popen([python, "-m", name, "migrate"], env=env, cwd=ROOT)) for name, _port in SERVICES
    ]
    failed = [name for name, migration in migrations if migration.wait() != 0]
    if failed:
        print(f"migrating {', '.join(failed)} failed", file=sys.stderr, flush=True)
        return 1

    if os.environ.get("REGIEPUNT_DEMO", "1") != "0":
        # The history is made in-process on a clock walked forward, before anything is served.
        seed_demo(settings.effective_jwt_secret, days=int(os.environ.get("REGIEPUNT_DEMO_DAYS", HISTORY_DAYS)))

    children: list[subprocess.Popen[bytes]] = []
    stopping = False

    def stop(signum: int, _frame: object) -> None:
        nonlocal stopping
        if stopping:
            return
        stopping = True
        print(f"\nstopping ({signal.Signals(signum).name}) …", flush=True)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)

    output = Output()
    for name, port in SERVICES:
        child = subprocess.Popen(
            [python, "-m", name, "serve", "--port", str(_port_of(urls[name], port))],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        assert child.stdout is not None
        output.follow(child.stdout)
        children.append(child)

    try:
        for name, _port in SERVICES:
            _wait_ready(name, urls[name], children)
        # The workers' first rounds and the first requests write a few lines; then it is quiet.
        output.wait_until_quiet()
        if not stopping:
            output.print(_welcome(urls, settings.effective_jwt_secret, development_secret=development_secret))
    except Exception as exc:
        print(f"start-up failed: {exc}", file=sys.stderr, flush=True)
        stop(signal.SIGTERM, None)

    exit_code = 0
    while children:
        for child in list(children):
            code = child.poll()
            if code is None:
                continue
            children.remove(child)
            if not stopping:
                print(f"a service stopped unexpectedly (exit {code}); stopping the others", flush=True)
                exit_code = code or 1
                stop(signal.SIGTERM, None)
        time.sleep(0.2)
    print("all services stopped", flush=True)
    return exit_code


def _wait_ready(name: str, url: str, children: list[subprocess.Popen[bytes]], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise RuntimeError(f"a service exited while waiting for {name}")
        try:
            if httpx.get(f"{url}/readyz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{name} at {url} did not become ready within {timeout:.0f} s")


def _welcome(urls: dict[str, str], secret: str, *, development_secret: bool) -> str:
    """What the runner says once the services are up: where they are, and a token to try them with
    (the same as `make token` mints)."""
    coordinator = development_token(secret, "coordinator")
    warning = (
        "\nREGIEPUNT_JWT_SECRET is not set: using the public development secret. Anyone can mint tokens for "
        "this instance. Never run it like this with real data.\n"
        if development_secret
        else ""
    )
    return (
        f"{warning}"
        "\nRegiepunt is running:\n"
        f"  intake    {urls['intake']}   (dashboard: {urls['intake']}/dashboard, sign in at {urls['intake']}/login)\n"
        f"  capacity  {urls['capacity']}\n"
        f"  matching  {urls['matching']}\n"
        "\nA development coordinator token (12 h; `make token` mints another):\n"
        f"  {coordinator}\n"
        f"\nTry: curl -H 'Authorization: Bearer <token>' {urls['capacity']}/v1/units\n"
        "Stop with Ctrl-C.\n"
    )


if __name__ == "__main__":
    sys.exit(main())
