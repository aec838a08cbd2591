"""Writes the OpenAPI schema of each served version of the given CustomResourceDefinitions as JSON,
without descriptions, for tests/deploy to validate the custom resources of the manifests offline.

    python deploy/k8s/crd-schemas/vendor.py path/to/postgresql.cnpg.io_clusters.yaml ...

The files come from the operators' releases (README.md beside this script says which).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent


def _without_descriptions(node: Any) -> Any:
    if isinstance(node, dict):
        return {
            key: _without_descriptions(value)
            for key, value in node.items()
            if not (key == "description" and isinstance(value, str))
        }
    if isinstance(node, list):
        return [_without_descriptions(item) for item in node]
    return node


def vendor(crd_path: Path) -> list[Path]:
    written = []
    crd = yaml.safe_load(crd_path.read_text(encoding="utf-8"))
    group, kind = crd["spec"]["group"], crd["spec"]["names"]["kind"]
    for version in crd["spec"]["versions"]:
        if not version.get("served", True):
            continue
        schema = _without_descriptions(version["schema"]["openAPIV3Schema"])
        target = HERE / f"{group}_{version['name']}_{kind}.json"
        target.write_text(json.dumps(schema, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for argument in sys.argv[1:]:
        for path in vendor(Path(argument)):
            print(path.name)
