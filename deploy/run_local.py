"""`make up`: migrate the three services, seed the demo set when empty, serve them on :8001-:8003.

Runs in the foreground; SIGINT or SIGTERM stops all three services cleanly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from demo_seed import HISTORY_DAYS, seed_demo  # noqa: E402

from common.auth import mint_token  # noqa: E402
from common.settings import CommonSettings  # noqa: E402

SERVICES = (("capacity", 8002), ("matching", 8003), ("intake", 8001))


def _port_of(url: str, default: int) -> int:
    return httpx.URL(url).port or default


def main() -> int:
    settings = CommonSettings()
    # One data directory for the runner's own seeding and for the services it starts.
    data_dir = settings.data_dir if Path(settings.data_dir).is_absolute() else ROOT / settings.data_dir
    os.environ["REGIEPUNT_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("REGIEPUNT_LOG_JSON", "false")
    env = dict(os.environ)
    python = sys.executable
    urls = {"intake": settings.intake_url, "capacity": settings.capacity_url, "matching": settings.matching_url}

    for name, _port in SERVICES:
        print(f"migrating {name} …", flush=True)
        subprocess.run([python, "-m", name, "migrate"], check=True, env=env, cwd=ROOT)

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

    for name, port in SERVICES:
        children.append(
            subprocess.Popen(
                [python, "-m", name, "serve", "--port", str(_port_of(urls[name], port))], env=env, cwd=ROOT
            )
        )

    try:
        for name, _port in SERVICES:
            _wait_ready(name, urls[name], children)
        if not stopping:
            _print_welcome(urls, settings.effective_jwt_secret)
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


def _print_welcome(urls: dict[str, str], secret: str) -> None:
    coordinator = mint_token(secret, sub="dev-coordinator", role="coordinator", org="Regiepunt Haaglanden")
    print(
        "\nRegiepunt is running:\n"
        f"  intake    {urls['intake']}   (dashboard: {urls['intake']}/dashboard, sign in at {urls['intake']}/login)\n"
        f"  capacity  {urls['capacity']}\n"
        f"  matching  {urls['matching']}\n"
        "\nA development coordinator token (12 h):\n"
        f"  {coordinator}\n"
        f"\nTry: curl -H 'Authorization: Bearer <token>' {urls['capacity']}/v1/units\n"
        "Stop with Ctrl-C.\n",
        flush=True,
    )


if __name__ == "__main__":
    sys.exit(main())
