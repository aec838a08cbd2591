"""How long the first `make up` takes after installing: migrating, playing the demo history, starting
the three services, up to the welcome.

Runs deploy/run_local.py as `make up` does, on fresh SQLite files in a temporary data directory and on
free ports, stops it once the welcome is on the screen, and prints the seconds to the welcome, the
CPU seconds of all the processes, the seeding's own seconds and the referrals played:

    .venv/bin/python bench/first_start.py                 # the demo's full history
    .venv/bin/python bench/first_start.py --days 120      # a shorter history
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 60.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=None, help="days of history (default: the demo's own, 580)")
    parser.add_argument("--timeout", type=float, default=1800.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="first-start-") as work:
        env = {key: value for key, value in os.environ.items() if not key.startswith("REGIEPUNT_")}
        env.update(
            {
                "REGIEPUNT_DATA_DIR": str(Path(work) / "data"),
                **{
                    f"REGIEPUNT_{name}_URL": f"http://127.0.0.1:{_free_port()}"
                    for name in ("INTAKE", "CAPACITY", "MATCHING")
                },
            }
        )
        if args.days is not None:
            env["REGIEPUNT_DEMO_DAYS"] = str(args.days)
        log_path = Path(work) / "up.log"
        load_before = os.getloadavg()[0]
        started = time.monotonic()
        with log_path.open("w") as log:
            runner = subprocess.Popen(
                [sys.executable, str(ROOT / "deploy" / "run_local.py")], env=env, cwd=ROOT, stdout=log, stderr=log
            )
            welcomed = None
            while time.monotonic() - started < args.timeout and runner.poll() is None:
                if "Stop with Ctrl-C." in log_path.read_text():
                    welcomed = time.monotonic() - started
                    break
                time.sleep(0.2)
            runner.send_signal(signal.SIGTERM)
            runner.wait(timeout=60)
        cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        output = log_path.read_text()
    if welcomed is None:
        print(output[-3000:])
        print("the welcome did not appear")
        return 1
    seeded = re.search(r"(\d+) referrals, .*took (\d+) s", output)
    referrals, seeding = (int(seeded.group(1)), int(seeded.group(2))) if seeded else (0, 0)
    print(
        f"first start: {welcomed:.1f} s to the welcome (target {TARGET_SECONDS:.0f} s); "
        f"{cpu.ru_utime + cpu.ru_stime:.1f} CPU s in all processes; seeding {seeding} s, {referrals} referrals; "
        f"load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
