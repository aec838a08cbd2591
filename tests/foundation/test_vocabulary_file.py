"""A vocabulary file that cannot be used stops every service at start, with one line that says where and
why: `python -m <service> serve` as a real process, exit status 2, nothing served."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

BROKEN = {
    "code_not_a_code": ('[[needs]]\ncode = "Trauma na geweld"\nnl = "Trauma"\nen = "Trauma"\n', "needs[0].code"),
    "code_twice": (
        '[[wishes]]\ncode = "near_school"\nnl = "School"\nen = "School"\n'
        '[[wishes]]\ncode = "near_school"\nnl = "School"\nen = "School"\n',
        "wishes: Value error, the code 'near_school' appears more than once",
    ),
    "label_missing": ('[[risk_flags]]\ncode = "absconding"\nnl = "Weglopen"\n', "risk_flags[0].en: Field required"),
    "label_empty": ('[[risk_flags]]\ncode = "absconding"\nnl = " "\nen = "x"\n', "risk_flags[0].nl"),
    "unknown_section": ('[[colours]]\ncode = "red"\nnl = "rood"\nen = "red"\n', "colours: Extra inputs"),
    "not_toml": ("[[needs]\ncode = ", "not valid TOML"),
}


@pytest.mark.parametrize(
    ("service", "case"),
    [
        ("intake", "code_not_a_code"),
        ("capacity", "code_twice"),
        ("matching", "label_missing"),
        ("intake", "label_empty"),
        ("capacity", "unknown_section"),
        ("matching", "not_toml"),
    ],
)
def test_a_broken_vocabulary_file_stops_the_service_with_one_clear_line(
    tmp_path: Path, service: str, case: str
) -> None:
    content, problem = BROKEN[case]
    path = tmp_path / "vocabulary.toml"
    path.write_text(content, encoding="utf-8")
    done = _serve(service, path, tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith(f"{service}: refusing to start: vocabulary file {path}: ")
    assert problem in lines[0]


def test_a_vocabulary_file_that_is_not_there_stops_the_service(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    done = _serve("intake", missing, tmp_path)
    assert done.returncode == 2
    assert (
        done.stderr.strip()
        == f"intake: refusing to start: vocabulary file {missing}: cannot be read (No such file or directory)"
    )


def _serve(service: str, vocabulary: Path, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "REGIEPUNT_VOCABULARY_FILE": str(vocabulary),
        "REGIEPUNT_DATA_DIR": str(data_dir),
        "REGIEPUNT_RUN_WORKERS": "false",
    }
    return subprocess.run(
        [sys.executable, "-m", service, "serve", "--port", "0"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
