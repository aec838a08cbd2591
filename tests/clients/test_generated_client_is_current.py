"""The committed client is what intake's and capacity's documents generate today: regenerated into a
scratch folder with the same command as `make client`, every file of the generated part and of the
documents is the same, and there is no file more or less."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CLIENT = ROOT / "clients" / "python"
GENERATED = ("openapi", "regiepunt_client/generated")


def _files(base: Path) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for part in GENERATED:
        for path in sorted((base / part).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                found[str(path.relative_to(base))] = path.read_bytes()
    return found


def test_committed_client_equals_the_regenerated_one(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(CLIENT / "generate.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    committed, regenerated = _files(CLIENT), _files(tmp_path)
    assert regenerated, "the generator wrote nothing"
    missing = sorted(set(regenerated) - set(committed))
    extra = sorted(set(committed) - set(regenerated))
    changed = sorted(name for name in set(committed) & set(regenerated) if committed[name] != regenerated[name])
    assert not (missing or extra or changed), (
        "the committed client differs from what the services' documents generate; run `make client` and commit:\n"
        f"missing {missing}\nno longer generated {extra}\nchanged {changed}"
    )
