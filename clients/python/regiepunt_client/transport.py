"""What every call to the point needs and the generated code cannot give: a fresh token, an
Idempotency-Key on every submission, and patience with a point that answers 503.

`PointTransport` is an httpx transport, so it serves the hand-written `Regiepunt` client and the
generated functions alike (both send through the same `httpx.Client`)."""

from __future__ import annotations

import base64
import email.utils
import json
import threading
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Protocol

import httpx

# Submissions that the point deduplicates by Idempotency-Key: sent twice (a retry after a lost
# answer), they create one referral.
SUBMISSION_PATHS = ("/v1/referrals", "/v1/referral-groups")
# A token that expires within this many seconds is refreshed before it is sent.
REFRESH_MARGIN_SECONDS = 30.0


class TokenSource(Protocol):
    """Gives the bearer token to send; `refresh=True` asks for a new one (after a 401)."""

    def token(self, *, refresh: bool = False) -> str: ...


def _expires_at(token: str) -> float | None:
    """The `exp` of a JWT, read without checking the signature (the point checks it)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        return float(claims["exp"])
    except (IndexError, ValueError, KeyError, TypeError):
        return None


class StaticToken:
    """One token, as given (REGIEPUNT_TOKEN); it cannot be refreshed."""

    def __init__(self, token: str) -> None:
        self._token = token

    def token(self, *, refresh: bool = False) -> str:
        return self._token


class RefreshingToken:
    """A token from a function (a secrets store, an identity provider, ...), fetched again when it
    is about to expire or when the point refused it."""

    def __init__(self, fetch: Callable[[], str], *, clock: Callable[[], float] = time.time) -> None:
        self._fetch = fetch
        self._clock = clock
        self._token: str | None = None
        self._lock = threading.Lock()

    def token(self, *, refresh: bool = False) -> str:
        with self._lock:
            expires = _expires_at(self._token) if self._token else None
            stale = expires is not None and expires - self._clock() < REFRESH_MARGIN_SECONDS
            if self._token is None or refresh or stale:
                self._token = self._fetch()
            return self._token


class ClientCredentials(RefreshingToken):
    """A system's token from the region's identity provider (OpenID Connect client credentials)."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        scope: str | None = None,
        audience: str | None = None,
        timeout: float = 10.0,
    ) -> None:
        def fetch() -> str:
            form = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
            if scope:
                form["scope"] = scope
            if audience:
                form["audience"] = audience
            response = httpx.post(token_url, data=form, timeout=timeout)
            response.raise_for_status()
            return str(response.json()["access_token"])

        super().__init__(fetch)


def retry_after_seconds(response: httpx.Response, *, now: Callable[[], datetime] | None = None) -> float | None:
    """Retry-After as seconds: a number of seconds or an HTTP date (RFC 9110); None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    current = now() if now else datetime.now(UTC)
    return max(0.0, (when - current).total_seconds())


class PointTransport(httpx.BaseTransport):
    """Sends each request with the token, adds an Idempotency-Key to submissions that have none (kept
    across retries, so a retried submission creates one referral), refreshes the token once after a
    401, and sends again after a 503 or a refused connection, waiting as Retry-After says."""

    def __init__(
        self,
        tokens: TokenSource,
        *,
        retries: int = 4,
        max_wait: float = 30.0,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        inner: httpx.BaseTransport | None = None,
    ) -> None:
        self.tokens = tokens
        self.retries = retries
        self.max_wait = max_wait
        self.backoff = backoff
        self._sleep = sleep
        self._inner = inner or httpx.HTTPTransport()

    def _is_submission(self, request: httpx.Request) -> bool:
        return request.method == "POST" and request.url.path.rstrip("/").endswith(SUBMISSION_PATHS)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if self._is_submission(request) and "Idempotency-Key" not in request.headers:
            request.headers["Idempotency-Key"] = str(uuid.uuid4())
        request.read()  # the body is sent again on a retry
        refresh = refreshed = False
        attempt = 0
        while True:
            request.headers["Authorization"] = f"Bearer {self.tokens.token(refresh=refresh)}"
            refresh = False
            try:
                response = self._inner.handle_request(request)
            except httpx.ConnectError:
                if attempt >= self.retries:
                    raise
                self._sleep(min(self.max_wait, self.backoff * 2**attempt))
                attempt += 1
                continue
            if response.status_code == 401 and not refreshed and not isinstance(self.tokens, StaticToken):
                # Expired or revoked since it was fetched: one new token, one more try.
                response.close()
                refresh = refreshed = True
                continue
            if response.status_code == 503 and attempt < self.retries:
                wait = retry_after_seconds(response)
                wait = self.backoff * 2**attempt if wait is None else wait
                if wait <= self.max_wait:
                    response.read()
                    response.close()
                    self._sleep(wait)
                    attempt += 1
                    continue
            return response

    def close(self) -> None:
        self._inner.close()
