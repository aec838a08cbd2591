"""A client generated from each published document with openapi-python-client works against the real
service: the generator reads the document without a warning, and the generated client parses a real
422 into its Problem model, naming the bad field, instead of crashing on it."""

from __future__ import annotations

import datetime
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from common.testing import token

BIN = Path(sys.executable).parent


def _generate(spec: dict[str, Any], package: str, tmp_path: Path) -> Any:
    spec_path = tmp_path / f"{package}.json"
    spec_path.write_text(json.dumps(spec))
    # The generator formats its output with ruff, which it looks for on PATH.
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    command = [BIN / "openapi-python-client", "generate", "--path", spec_path, "--output-path", tmp_path / package]
    result = subprocess.run(
        [*command, "--meta", "none"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Warning" not in result.stdout + result.stderr, result.stdout + result.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        return importlib.import_module(package)
    finally:
        sys.path.remove(str(tmp_path))


def _client(package: Any, app: FastAPI, role: str) -> Any:
    """The generated client, sending over the app's ASGI transport (it calls the service in-process)."""
    # A service's token is intake's, the service that reads decisions.
    bearer_token = token(role, sub="service:intake" if role == "service" else None)
    http = httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://service",
        headers={"Authorization": f"Bearer {bearer_token}"},
    )
    return package.AuthenticatedClient(base_url="http://service", token=bearer_token).set_async_httpx_client(http)


@pytest.mark.parametrize("service", ["capacity", "intake", "matching"])
async def test_generated_client_parses_a_real_422(
    service: str,
    tmp_path: Path,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    intake_app: FastAPI,
    intake: httpx.AsyncClient,
) -> None:
    app = {"capacity": capacity_app, "matching": matching_app, "intake": intake_app}[service]
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://service") as plain:
        spec = (await plain.get("/openapi.json")).json()
    package = _generate(spec, f"regiepunt_{service}_client_{tmp_path.name.replace('-', '_')}", tmp_path)
    problem_type = importlib.import_module(f"{package.__name__}.models.problem").Problem

    if service == "intake":
        get_kpis = importlib.import_module(f"{package.__name__}.api.indicators.get_kpis")
        response = await get_kpis.asyncio_detailed(
            client=_client(package, app, "coordinator"), to=datetime.date(9999, 12, 31)
        )
        field = "to"
    elif service == "capacity":
        create_provider = importlib.import_module(f"{package.__name__}.api.providers.create_provider")
        body_type = importlib.import_module(f"{package.__name__}.models.provider_create").ProviderCreate
        role = importlib.import_module(f"{package.__name__}.models.provider_create_role").ProviderCreateRole
        body = body_type(name="Jeugdzorg Test", agb_code="1234", role=role.STRATEGIC)
        response = await create_provider.asyncio_detailed(client=_client(package, app, "coordinator"), body=body)
        field = "agb_code"
    else:
        list_decisions = importlib.import_module(f"{package.__name__}.api.decisions.list_decisions")
        response = await list_decisions.asyncio_detailed(client=_client(package, app, "service"), referral_id="")
        field = "referral_id"

    assert response.status_code == 422
    problem = response.parsed
    assert isinstance(problem, problem_type)
    assert problem.status == 422
    assert [error.field for error in problem.errors] == [field]
