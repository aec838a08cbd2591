"""What the tests of sign-in with the identity provider share: the settings that point the services at
a running provider (tests/oidc_provider), tokens signed with keys the provider never published, and
the request bodies they send."""

from __future__ import annotations

import functools
import os
import socket
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import jwt
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.oidc_provider.harness import IdentityProvider

SERVICES = ("capacity", "matching", "intake")
# The providers' AGB code that the harness puts in the `test-provider` client's provider_id claim.
TEST_PROVIDER_AGB = "12345678"


def identity_settings(provider: IdentityProvider, service: str) -> dict[str, Any]:
    """Settings (field names) that make `service` check the provider's tokens, know the other two
    services by their client ids, and call them with its own client-credentials tokens."""
    client_id, secret = provider.SERVICE_CLIENTS[service]
    return {
        "oidc_issuer": provider.issuer,
        "service_client_id": client_id,
        "service_client_secret": secret,
        **{f"{name}_client_id": provider.SERVICE_CLIENTS[name][0] for name in SERVICES},
    }


def identity_environment(provider: IdentityProvider, service: str) -> dict[str, str]:
    return {f"REGIEPUNT_{name.upper()}": value for name, value in identity_settings(provider, service).items()}


def bearer_of(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def forged_token(*, issuer: str, kid: str | None = None, audience: str = "regiepunt", **claims: Any) -> str:
    """An RS256 token in the shape of the provider's, signed with a key made here that no provider
    publishes: what an attacker or another issuer's token looks like to the point."""
    key = _forging_key()
    now = int(time.time())
    body = {"iss": issuer, "aud": audience, "sub": "mallory", "iat": now, "exp": now + 600, **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": kid or f"forged-{uuid.uuid4().hex[:8]}"})


@functools.cache
def _forging_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def referral_body(bsn: str = "111222333") -> dict[str, Any]:
    start = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
    return {
        "client": {"bsn": bsn, "birth_date": "2012-05-01", "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "part_time": False,
        "requested_start": start,
        "out_of_region": None,
        "notes": None,
    }


def unit_body() -> dict[str, Any]:
    return {
        "name": "Groep De Linde",
        "care_type": "residential",
        "target_groups": ["jo"],
        "age_min": 12,
        "age_max": 17,
        "municipality_code": "GM0518",
        "capacity": 2,
        "specialisms": ["trauma"],
        "part_time": False,
    }


def decision_request(referral_id: str | None = None) -> dict[str, Any]:
    """A request for a decision, as intake sends it (contracts.matching.DecisionRequest)."""
    return {
        "request_id": f"req-{uuid.uuid4().hex[:12]}",
        "referral_id": referral_id or str(uuid.uuid4()),
        "client_key": "ck-identity-test",
        "care_type": "residential",
        "target_group": "jo",
        "age": 14,
        "municipality_code": "GM0518",
        "needs": ["trauma"],
        "part_time": False,
        "out_of_region": None,
        "hold_until": (datetime.now(UTC) + timedelta(hours=72)).isoformat(),
        "unit_id": None,
    }


ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bare_environment(**variables: str) -> dict[str, str]:
    """The test's environment without any REGIEPUNT_* setting of its own, plus `variables`."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("REGIEPUNT_")}
    return {**env, **variables}


class ServiceProcesses:
    """Services run as `python -m <service> serve` processes, each writing to a log file."""

    def __init__(self, log_dir: Path) -> None:
        self.log_dir = log_dir
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def migrate(self, service: str, env: dict[str, str]) -> None:
        done = subprocess.run([sys.executable, "-m", service, "migrate"], env=env, cwd=ROOT, capture_output=True)
        assert done.returncode == 0, done.stderr.decode()[-3000:]

    def start(self, service: str, port: int, env: dict[str, str]) -> None:
        log = (self.log_dir / f"{service}.log").open("ab")
        self.processes[service] = subprocess.Popen(
            [sys.executable, "-m", service, "serve", "--port", str(port)],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def wait_healthy(self, service: str, url: str, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.processes[service].poll() is not None:
                raise AssertionError(f"{service} exited early:\n{self.log(service)[-3000:]}")
            try:
                if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.1)
        raise AssertionError(f"{service} did not answer /healthz:\n{self.log(service)[-3000:]}")

    def log(self, service: str) -> str:
        return (self.log_dir / f"{service}.log").read_text(errors="replace")

    def stop_all(self) -> None:
        for service in list(self.processes):
            process = self.processes.pop(service)
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
