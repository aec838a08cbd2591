"""The demo history (deploy/demo_seed.py) is deterministic: two first starts on the same day store the same
referrals, signals, stays and decisions, ids and times included. Played as `make up` plays it: the three
services migrated, the history made in a process of its own on SQLite files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAYS = 30
# What a history leaves behind, per service: its own rows, in a fixed order.
STORED = {
    "intake": ("referrals", "signals", "notification_events"),
    "capacity": ("units", "reservations", "occupancies"),
    "matching": ("decisions",),
}
# The history is always played on SQLite files (deploy/run_local.py): once, in the SQLite run.
pytestmark = pytest.mark.sqlite_files

PLAY = (
    "import sys; sys.path.insert(0, 'deploy');"
    "from datetime import UTC, datetime; from demo_seed import seed_demo;"
    "from common.settings import CommonSettings;"
    "now = datetime(2026, 12, 1, 18, 30, tzinfo=UTC);"
    f"assert seed_demo(CommonSettings().effective_jwt_secret, now=now, days={DAYS})"
)


def _played(folder: Path) -> dict[str, list[tuple[object, ...]]]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REGIEPUNT_")}
    env["REGIEPUNT_DATA_DIR"] = str(folder)
    migrations = [
        subprocess.Popen([sys.executable, "-m", name, "migrate"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        for name in STORED
    ]
    assert [migration.wait() for migration in migrations] == [0, 0, 0]
    played = subprocess.run([sys.executable, "-c", PLAY], env=env, cwd=ROOT, capture_output=True, text=True)
    assert played.returncode == 0, played.stdout[-2000:] + played.stderr[-2000:]
    assert f"seeding the Haaglanden demo set with {DAYS} days of history" in played.stdout
    rows: dict[str, list[tuple[object, ...]]] = {}
    for service, tables in STORED.items():
        with sqlite3.connect(folder / f"{service}.db") as connection:
            for table in tables:
                rows[table] = connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    return rows


def test_two_plays_of_the_demo_history_store_the_same_rows(tmp_path: Path) -> None:
    first = _played(tmp_path / "first")
    second = _played(tmp_path / "second")
    assert len(first["referrals"]) > 20 and first["signals"] and first["occupancies"] and first["decisions"]
    for table, rows in first.items():
        assert second[table] == rows, table


def test_the_demo_history_has_sibling_groups_schools_flags_voices_and_court_authorisations(tmp_path: Path) -> None:
    """What placement practice weighs is in the demo set from its first month: siblings referred together,
    the children's schools, the group's flags and vulnerabilities, the child's voice, closed youth care
    with the court's authorisation, and units with a point of their own."""
    _played(tmp_path)
    with sqlite3.connect(tmp_path / "intake.db") as intake:
        count = {
            what: intake.execute(f"SELECT count(*) FROM referrals WHERE {condition}").fetchone()[0]
            for what, condition in {
                "in a sibling group": "group_id IS NOT NULL",
                "with a school": "school_municipality_code IS NOT NULL",
                "with risk flags": "risk_flags IS NOT NULL AND risk_flags != '[]'",
                "with vulnerabilities": "vulnerabilities IS NOT NULL AND vulnerabilities != '[]'",
                "heard": "child_heard",
                "with wishes": "child_wishes IS NOT NULL AND child_wishes != '[]'",
                "with a court's authorisation": "court_authorisation_kind IS NOT NULL",
            }.items()
        }
        groups = intake.execute("SELECT count(*) FROM referral_groups").fetchone()[0]
    with sqlite3.connect(tmp_path / "capacity.db") as capacity:
        with_point = capacity.execute("SELECT count(*) FROM units WHERE latitude IS NOT NULL").fetchone()[0]
    assert groups >= 1 and count["in a sibling group"] >= 2, (groups, count)
    assert all(number > 0 for number in count.values()), count
    assert with_point > 0
