"""Each service's and library's layout holds: no module over about 400 lines, no import cycle between its
modules, and every module imports on its own in a fresh interpreter, in any order."""

import ast
import importlib
import random
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGES = ("intake", "capacity", "matching", "common", "contracts")
MAX_LINES = 400


def _modules(package: str) -> dict[str, Path]:
    root = Path(importlib.import_module(package).__file__ or "").resolve().parent
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = path.relative_to(root.parent).with_suffix("").parts
        if parts[1:2] == ("migrations",):
            continue  # scripts that Alembic runs, shipped inside the package, not modules to import
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def _imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The modules of the package that `name` imports, also those only type checkers read: a cycle hidden behind
    TYPE_CHECKING is a cycle of the design all the same."""
    tree = ast.parse(path.read_text())
    wanted: set[str] = set()

    def visit(nodes: list[ast.stmt]) -> None:
        for node in nodes:
            if isinstance(node, ast.Import):
                wanted.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                wanted.add(node.module)
                wanted.update(f"{node.module}.{alias.name}" for alias in node.names)
            elif isinstance(node, ast.If | ast.Try):
                visit(node.body)

    visit(tree.body)
    return {module for module in wanted if module in modules and module != name}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_module_is_over_about_400_lines(package: str) -> None:
    long = {
        name: n for name, path in _modules(package).items() if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycle(package: str) -> None:
    modules = _modules(package)
    graph = {name: _imports(name, path, modules) for name, path in modules.items()}
    done: set[str] = set()

    def walk(name: str, trail: list[str]) -> None:
        if name in trail:
            raise AssertionError("import cycle: " + " -> ".join([*trail[trail.index(name) :], name]))
        if name in done:
            return
        for imported in sorted(graph[name]):
            walk(imported, [*trail, name])
        done.add(name)

    for name in graph:
        walk(name, [])


@pytest.mark.parametrize("package", PACKAGES)
def test_every_module_imports_in_a_fresh_interpreter_in_random_order(package: str) -> None:
    names = sorted(_modules(package))
    random.shuffle(names)
    script = "import importlib, sys\nfor name in sys.argv[1:]:\n    importlib.import_module(name)\n"
    done = subprocess.run([sys.executable, "-c", script, *names], capture_output=True, text=True, check=False)
    assert done.returncode == 0, f"order {names}:\n{done.stderr}"
