"""A test that returns early on one database counts as passed without checking anything. Tests of what
only PostgreSQL has carry the `postgresql_only` marker instead, which leaves them out of the SQLite
run (see the root conftest.py)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BACKEND_WORDS = ("dialect", "backend(", "sqlite", "postgresql", "REGIEPUNT_TEST_DATABASE")


def _test_files() -> list[Path]:
    return sorted(
        path
        for folder in (ROOT / "tests", *(ROOT / "services").glob("*/tests"))
        for path in folder.rglob("test_*.py")
        if ".venv" not in path.parts
    )


def _early_returns(path: Path) -> list[str]:
    source = path.read_text()
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not node.name.startswith("test_"):
            continue
        for branch in ast.walk(node):
            if not isinstance(branch, ast.If):
                continue
            condition = ast.get_source_segment(source, branch.test) or ""
            leaves = any(isinstance(statement, ast.Return) for statement in branch.body)
            if leaves and any(word in condition for word in BACKEND_WORDS):
                found.append(f"{path.relative_to(ROOT)}:{branch.lineno} {node.name}")
    return found


def test_no_test_returns_early_on_one_database() -> None:
    files = _test_files()
    assert len(files) > 20  # the search found the suite
    assert [hit for path in files for hit in _early_returns(path)] == []
