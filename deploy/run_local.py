"""`make up`: migrate the three services, seed the demo set when empty, serve them on :8001-:8003
(or where REGIEPUNT_INTAKE_URL, _CAPACITY_URL and _MATCHING_URL say).

Runs in the foreground; SIGINT or SIGTERM stops all three services cleanly. The services' output
passes through the runner, which prints its welcome (the URLs and a token) once the three answer
ready and their start-up has quietened, so that it is the last thing on the screen until something
changes.

Most of the first start is the demo history, played in this process on one core. Around it: the
migrations run in this process too, which imports the three services to play the history anyway,
and the services' processes start first, one after the other, to import their code on the other core
meanwhile; each waits for the runner's word (deploy/serve_when_told.py) before it reads its settings
or opens its database.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import IO

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))

from common.settings import DEVELOPMENT_JWT_SECRET, CommonSettings  # noqa: E402
from common.tokens import development_token  # noqa: E402

# In the order they are served: capacity first, which the other two call as they start.
SERVICES = (("capacity", 8002), ("matching", 8003), ("intake", 8001))
# Once the three answer ready, the welcome waits until they have written nothing for this long (at
# most QUIET_LIMIT): the last lines of their start come right after their first answers.
QUIET_SECONDS = 0.5
QUIET_LIMIT = 30.0
# How often a service that is starting is asked whether it is ready.
READY_POLL_SECONDS = 0.1


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

    output = Output()
    services = Waiting(python, env, urls, output)
    told = False
    try:
        print(f"migrating {', '.join(name for name, _port in SERVICES)} …", flush=True)
        failed = _migrate([name for name, _port in SERVICES])
        if failed:
            print(f"migrating {', '.join(failed)} failed", file=sys.stderr, flush=True)
            return 1
        if os.environ.get("REGIEPUNT_DEMO", "1") != "0":
            from demo_seed import HISTORY_DAYS, seed_demo

            # The history is made in-process on a clock walked forward, before anything is served.
            seed_demo(settings.effective_jwt_secret, days=int(os.environ.get("REGIEPUNT_DEMO_DAYS", HISTORY_DAYS)))
        told = True
    finally:
        if not told:
            services.dismiss()

    waiting = services.started()
    children = list(waiting.values())
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

    try:
        with httpx.Client(timeout=1.0) as probe:
            # Capacity first: matching builds its read model from capacity as it starts, and intake's
            # workers ask capacity at once; started together, both said capacity was out of reach.
            first, *others = (name for name, _port in SERVICES)
            _tell_to_serve(waiting[first])
            _wait_ready(probe, first, urls[first], children)
            for name in others:
                _tell_to_serve(waiting[name])
            for name in others:
                _wait_ready(probe, name, urls[name], children)
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


class Waiting:
    """The three services' processes, started one after the other in the background so that each
    imports its code on a core of its own while this process migrates and plays the history (three
    at once on two cores slowed the runner down as much as they saved); each then waits to be told
    to serve."""

    def __init__(self, python: str, env: dict[str, str], urls: dict[str, str], output: Output) -> None:
        self.children: dict[str, subprocess.Popen[bytes]] = {}
        self._python, self._env, self._urls, self._output = python, env, urls, output
        self._dismissed = False
        self._hurry = False
        self._starting = threading.Thread(target=self._start, daemon=True)
        self._starting.start()

    def _start(self) -> None:
        for name, port in SERVICES:
            if self._dismissed:
                return
            imported, imported_writer = os.pipe()
            command = [self._python, str(ROOT / "deploy" / "serve_when_told.py"), name, str(imported_writer)]
            child = subprocess.Popen(
                [*command, "--port", str(_port_of(self._urls[name], port))],
                env=self._env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                pass_fds=(imported_writer,),
            )
            os.close(imported_writer)
            assert child.stdout is not None
            self._output.follow(child.stdout)
            self.children[name] = child
            # One byte once it has imported its code, the end of the file if it exited first; once
            # they are needed, the rest start at once.
            while not self._hurry and not select.select([imported], [], [], 0.05)[0]:
                pass
            os.close(imported)

    def started(self) -> dict[str, subprocess.Popen[bytes]]:
        """All three, once started (a short history, or none, may end before they are)."""
        self._hurry = True
        self._starting.join()
        return self.children

    def dismiss(self) -> None:
        """Not needed after all: without the word (their input closed) they exit."""
        self._dismissed = self._hurry = True
        self._starting.join()
        for child in self.children.values():
            assert child.stdin is not None
            child.stdin.close()
        for child in self.children.values():
            try:
                child.wait(timeout=10)
            except subprocess.TimeoutExpired:
                child.kill()


def _tell_to_serve(child: subprocess.Popen[bytes]) -> None:
    assert child.stdin is not None
    try:
        child.stdin.write(b"serve\n")
        child.stdin.close()
    except BrokenPipeError:
        pass  # it stopped already: the wait for it to answer ready says so


def _migrate(names: list[str]) -> list[str]:
    """Each service's migrations up to head, run in this process exactly as `python -m <service>
    migrate` runs them (its settings, the refusal of unsafe production settings, its logging): three
    processes that each imported their service cost more than the migrations themselves. Answers the
    names that failed."""
    from common.cli import run_service

    failed = []
    for name in names:
        try:
            run_service(name, ["migrate"])
        except SystemExit:  # its settings were refused, in the line it printed
            failed.append(name)
        except Exception:
            traceback.print_exc()
            failed.append(name)
    return failed


def _wait_ready(
    probe: httpx.Client, name: str, url: str, children: list[subprocess.Popen[bytes]], timeout: float = 60.0
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for child in children):
            raise RuntimeError(f"a service exited while waiting for {name}")
        try:
            if probe.get(f"{url}/readyz").status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(READY_POLL_SECONDS)
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
