"""A service's process as `make up` starts it (deploy/run_local.py): started early, it imports the
service while the runner migrates and plays the demo history, then waits for the runner's word on its
standard input before it reads its settings, opens its database and serves, as `python -m <service>
serve` does. Without the word (the runner stopped first, or failed) it exits.

    python deploy/serve_when_told.py <service> <fd> [serve options, e.g. --port 8002]

It writes one byte to the file descriptor <fd> once it has imported the service, so that the runner
starts the next one only then.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys


def main() -> int:
    name, imported, options = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
    try:
        importlib.import_module(f"{name}.main")
        from common.cli import run_service

        with contextlib.suppress(BrokenPipeError):  # the runner no longer waits: they are needed now
            os.write(imported, b"i")
        os.close(imported)
        word = sys.stdin.readline().strip()
    except KeyboardInterrupt:
        # Ctrl-C reaches the whole process group: the runner stops, and says so.
        return 130
    if word != "serve":
        return 0
    run_service(name, ["serve", *options])
    return 0


if __name__ == "__main__":
    sys.exit(main())
