"""A real OpenID Connect provider for the tests: npm's `oidc-provider` run by Node as a process.

It knows the point's three services (client credentials), the pages' sign-in client (code flow with
PKCE), clients whose tokens carry a person's claims, and accounts for its development login page
(any password). Every access token is a JWT for the audience `regiepunt`. A restart on the same port
is a key rotation: the provider makes a new signing key each time it starts.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import signal
import socket
import subprocess
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

SERVER_DIR = Path(__file__).resolve().parent / "server"
AUDIENCE = "regiepunt"
# A resource indicator must be an absolute URI; the audience it stands for is `regiepunt`.
RESOURCE = "urn:regiepunt"

SERVICE_CLIENTS: dict[str, tuple[str, str]] = {
    name: (f"regiepunt-{name}", f"regiepunt-{name}-secret") for name in ("intake", "matching", "capacity")
}
BROWSER_CLIENT = ("regiepunt-web", "regiepunt-web-secret")
# Clients whose client-credentials tokens carry a person's claims, for tests of API tokens.
PERSON_CLIENTS: dict[str, dict[str, Any]] = {
    "test-coordinator": {"role": "coordinator", "org": "regio-haaglanden"},
    "test-referrer": {"role": "referrer", "org": "wijkteam-delft", "referrer_type": "local_team"},
    "test-provider": {"role": "provider", "org": "prov-org", "provider_id": "12345678"},
    "test-auditor": {"role": "auditor", "org": "regio-haaglanden"},
    # Shaped like Microsoft Entra ID: app roles in a list, one of them ours.
    "test-entra": {"roles": ["Regiepunt.Reader", "coordinator"], "org": "regio-haaglanden"},
}
ACCOUNTS: dict[str, dict[str, Any]] = {
    "coordinator": {
        "name": "Coordinator Test",
        "claims": {"role": "coordinator", "org": "regio-haaglanden"},
    },
    "referrer": {
        "name": "Verwijzer Test",
        "claims": {"role": "referrer", "org": "wijkteam-delft", "referrer_type": "local_team"},
    },
    "provider": {
        "name": "Aanbieder Test",
        "claims": {"role": "provider", "org": "prov-org", "provider_id": "12345678"},
    },
    "auditor": {"name": "Auditor Test", "claims": {"role": "auditor", "org": "regio-haaglanden"}},
}


def person_client_secret(client_id: str) -> str:
    return f"{client_id}-secret"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_installed() -> None:
    """`npm ci` once, when the provider's packages are not there (a fresh checkout)."""
    if (SERVER_DIR / "node_modules" / "oidc-provider").is_dir():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("The tests' identity provider needs Node.js and npm.")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=SERVER_DIR, check=True, capture_output=True)


class IdentityProvider:
    """One running provider process; `rotate_keys` restarts it on the same port with a new key."""

    SERVICE_CLIENTS = SERVICE_CLIENTS
    BROWSER_CLIENT = BROWSER_CLIENT
    PERSON_CLIENTS = PERSON_CLIENTS
    ACCOUNTS = ACCOUNTS

    def __init__(self, config: dict[str, Any], workdir: Path) -> None:
        self.config = config
        self.port: int = config["port"]
        self.issuer: str = config["issuer"]
        self.audience = AUDIENCE
        self._workdir = workdir
        self._process: subprocess.Popen[bytes] | None = None
        self.log_path = workdir / "identity-provider.log"

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    async def start(self) -> None:
        self._spawn()
        await self._wait_ready()

    def _spawn(self) -> None:
        config_path = self._workdir / "config.json"
        config_path.write_text(json.dumps(self.config))
        node = shutil.which("node")
        if node is None:
            raise RuntimeError("The tests' identity provider needs Node.js.")
        log = self.log_path.open("ab")
        self._process = subprocess.Popen(
            [node, str(SERVER_DIR / "server.mjs"), str(config_path)],
            cwd=SERVER_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "NODE_ENV": "development"},
            start_new_session=True,
        )
        log.close()

    async def _wait_ready(self, seconds: float = 20.0) -> None:
        deadline = asyncio.get_running_loop().time() + seconds
        async with httpx.AsyncClient(timeout=1.0) as client:
            while True:
                assert self._process is not None
                if self._process.poll() is not None:
                    raise RuntimeError(f"The identity provider stopped: {self.log_path.read_text()[-2000:]}")
                with suppress(httpx.TransportError):
                    if (await client.get(self.discovery_url)).status_code == 200:
                        return
                if asyncio.get_running_loop().time() > deadline:
                    raise RuntimeError(f"The identity provider did not start: {self.log_path.read_text()[-2000:]}")
                await asyncio.sleep(0.1)

    def stop(self) -> None:
        if self._process is None or self._process.poll() is not None:
            return
        with suppress(ProcessLookupError):
            os.killpg(self._process.pid, signal.SIGTERM)
        try:
            self._process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    async def rotate_keys(self) -> None:
        """A new signing key (a new kid); the old one is no longer published."""
        before = await self.kids()
        self.stop()
        await self.start()
        assert not set(before) & set(await self.kids())

    async def kids(self) -> list[str]:
        return list((await self.stats())["kids"])

    async def jwks_requests(self) -> int:
        """How often the key set was fetched since the provider started."""
        return int((await self.stats())["jwks_requests"])

    async def stats(self) -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=5.0) as client:
            answer = await client.get(f"{self.issuer}/_test/stats")
            answer.raise_for_status()
            return dict(answer.json())

    def client_credentials_token(self, client_id: str, scope: str | None = None) -> str:
        """A real access token (JWT) for one of the configured clients."""
        secret = self._secret_of(client_id)
        data = {"grant_type": "client_credentials", "resource": RESOURCE}
        if scope:
            data["scope"] = scope
        answer = httpx.post(f"{self.issuer}/token", data=data, auth=(client_id, secret), timeout=10.0)
        answer.raise_for_status()
        return str(answer.json()["access_token"])

    async def token(self, client_id: str, scope: str | None = None) -> str:
        return await asyncio.to_thread(self.client_credentials_token, client_id, scope)

    def _secret_of(self, client_id: str) -> str:
        for client in self.config["clients"]:
            if client["client_id"] == client_id:
                return str(client["client_secret"])
        raise KeyError(client_id)


def provider_config(
    *,
    port: int,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str],
    algorithm: str,
    account_claims: dict[str, dict[str, Any]] | None,
    access_token_seconds: int,
) -> dict[str, Any]:
    accounts = {login: {**account, "claims": dict(account["claims"])} for login, account in ACCOUNTS.items()}
    for login, claims in (account_claims or {}).items():
        accounts.setdefault(login, {"name": login, "claims": {}})["claims"].update(claims)
    clients: list[dict[str, Any]] = [
        {"client_id": client_id, "client_secret": secret, "grant_types": ["client_credentials"]}
        for client_id, secret in SERVICE_CLIENTS.values()
    ]
    clients += [
        {
            "client_id": client_id,
            "client_secret": person_client_secret(client_id),
            "grant_types": ["client_credentials"],
            "claims": claims,
        }
        for client_id, claims in PERSON_CLIENTS.items()
    ]
    clients.append(
        {
            "client_id": BROWSER_CLIENT[0],
            "client_secret": BROWSER_CLIENT[1],
            "grant_types": ["authorization_code", "refresh_token"],
            "redirect_uris": redirect_uris,
            "post_logout_redirect_uris": post_logout_redirect_uris,
        }
    )
    return {
        "port": port,
        "issuer": f"http://127.0.0.1:{port}",
        "audience": AUDIENCE,
        "resource": RESOURCE,
        "algorithm": algorithm,
        "clients": clients,
        "accounts": accounts,
        "access_token_seconds": access_token_seconds,
    }


@asynccontextmanager
async def start_identity_provider(
    *,
    redirect_uris: list[str] | None = None,
    post_logout_redirect_uris: list[str] | None = None,
    port: int | None = None,
    algorithm: str = "RS256",
    account_claims: dict[str, dict[str, Any]] | None = None,
    access_token_seconds: int = 3600,
) -> AsyncIterator[IdentityProvider]:
    """A running provider; stopped at the end. `algorithm` is RS256 or ES256."""
    if algorithm not in ("RS256", "ES256"):
        raise ValueError(f"algorithm must be RS256 or ES256, not {algorithm}")
    await asyncio.to_thread(ensure_installed)
    config = provider_config(
        port=port or _free_port(),
        redirect_uris=redirect_uris or [],
        post_logout_redirect_uris=post_logout_redirect_uris or [],
        algorithm=algorithm,
        account_claims=account_claims,
        access_token_seconds=access_token_seconds,
    )
    with tempfile.TemporaryDirectory(prefix="identity-provider-") as workdir:
        provider = IdentityProvider(config, Path(workdir))
        await provider.start()
        try:
            yield provider
        finally:
            provider.stop()
