"""The image, the compose file and the lock files, checked offline."""

from __future__ import annotations

import json
import os
import re
import subprocess

from manifests import ROOT, compose_binary, tool

DOCKERFILE = ROOT / "deploy" / "Dockerfile"
COMPOSE_ENVIRONMENT = {
    "REGIEPUNT_JWT_SECRET": "jwt",
    "REGIEPUNT_CLIENT_KEY_SECRET": "client-key",
    "REGIEPUNT_POSTGRES_PASSWORD": "postgres",
    "REGIEPUNT_INTAKE_DB_PASSWORD": "intake-password",
    "REGIEPUNT_CAPACITY_DB_PASSWORD": "capacity-password",
    "REGIEPUNT_MATCHING_DB_PASSWORD": "matching-password",
}


def test_hadolint_finds_nothing_in_the_dockerfile() -> None:
    result = subprocess.run([tool("hadolint"), str(DOCKERFILE)], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "", result.stdout + result.stderr


def test_hadolint_would_report_a_named_user() -> None:
    """The check can fail: hadolint reads the same file with the faults the image once had."""
    faulty = DOCKERFILE.read_text(encoding="utf-8").replace("USER 10001:10001", "USER regiepunt")
    result = subprocess.run([tool("hadolint"), "-"], input=faulty, capture_output=True, text=True, check=False)
    assert result.returncode != 0 and "DL3066" in result.stdout, result.stdout


def test_the_image_is_built_in_stages_from_the_lock_file_as_a_numeric_user_without_tests() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    bases = re.findall(r"^FROM (\S+)", text, re.MULTILINE)
    assert len(bases) == 2
    for base in bases:
        assert re.fullmatch(r"python:\d+\.\d+\.\d+-slim-\w+", base), base  # an exact version, never :latest
    assert "--require-hashes" in text and "requirements.lock" in text
    assert re.search(r"^USER \d+:\d+$", text, re.MULTILINE)
    assert "-e " not in text  # installed, not linked: the migrations travel inside the packages
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "**/tests" in ignored and "*" in ignored


def _compose_config(environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("REGIEPUNT_")}
    return subprocess.run(
        [compose_binary(), "-f", str(ROOT / "docker-compose.yml"), "config", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        env={**clean, **environment},
        cwd=ROOT,
    )


def test_compose_runs_each_service_as_pid_1_with_its_own_role_and_publishes_only_intake_and_capacity() -> None:
    result = _compose_config(COMPOSE_ENVIRONMENT)
    assert result.returncode == 0, result.stderr
    services = json.loads(result.stdout)["services"]

    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"intake", "capacity"}
    for name in ("intake", "capacity", "matching"):
        for role in (name, f"{name}-migrate"):
            command = services[role]["command"]
            assert isinstance(command, list) and command[:3] == ["python", "-m", name], role
            urls = {k: v for k, v in services[role]["environment"].items() if k.endswith("_DATABASE_URL")}
            assert list(urls) == [f"REGIEPUNT_{name.upper()}_DATABASE_URL"], role
            assert f"//{name}:{name}-password@postgres:5432/{name}" in urls[f"REGIEPUNT_{name.upper()}_DATABASE_URL"]
        assert services[name]["depends_on"][f"{name}-migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["read_only"] is True and services[name]["cap_drop"] == ["ALL"]


def test_compose_refuses_to_start_without_the_secrets() -> None:
    result = _compose_config({})
    assert result.returncode != 0
    assert "REGIEPUNT_" in result.stderr


def _pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    requirements = re.findall(r"^([A-Za-z0-9_.\-\[\]]+)==(\S+)", text, re.MULTILINE)
    blocks = re.split(r"\n(?=[A-Za-z0-9])", text)
    for block in blocks:
        if "==" in block.split("\n", 1)[0]:
            assert "--hash=sha256:" in block, block.split("\n", 1)[0]
    return {name.lower(): version for name, version in requirements}


def test_the_lock_files_pin_every_dependency_with_hashes_and_agree() -> None:
    development, image = _pins("requirements-dev.lock"), _pins("requirements.lock")
    assert {"fastapi", "sqlalchemy", "asyncpg", "opentelemetry-sdk"} <= set(image)
    assert "pytest" not in image and "pytest" in development
    for name, version in image.items():
        assert development.get(name) == version, name
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "--require-hashes -r requirements-dev.lock" in makefile
    assert re.search(r"^lock:", makefile, re.MULTILINE)
