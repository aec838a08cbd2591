"""The one client for service-to-service calls: service token, request id, timeouts, bounded retries."""

from __future__ import annotations

from typing import Any

import httpx
from tenacity import (
    AsyncRetrying,
    retry_if_exception,
    stop_after_attempt,
    wait_exponential,
)

from common.errors import DependencyUnavailable
from common.in_process import InProcessTransport
from common.logging import REQUEST_ID_HEADER, get_logger, request_id_var
from common.service_tokens import ServiceTokens, ServiceTokenUnavailable
from common.tracing import configured_tracer_provider, trace_client

log = get_logger("regiepunt.client")

RETRYABLE_STATUS = {502, 503, 504}


class ServiceUnavailableError(Exception):
    """The other service could not be reached or kept failing; the caller decides what that means."""


class _RetryableStatus(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"{response.status_code} from {response.request.url}")
        self.response = response


class ServiceClient:
    def __init__(
        self,
        base_url: str,
        *,
        service_name: str,
        tokens: ServiceTokens,
        timeout: float = 5.0,
        retries: int = 3,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.service_name = service_name
        self._tokens = tokens
        self.retries = max(1, retries)
        self._client = httpx.AsyncClient(
            base_url=self.base_url,
            timeout=httpx.Timeout(timeout, connect=min(timeout, 2.0)),
            transport=transport,
        )
        # An app in this process (the demo history's wiring) is called directly, not through httpx's
        # client; a traced client goes through httpx, whose instrumentation makes the spans.
        self._in_process = transport.client_for(self.base_url) if isinstance(transport, InProcessTransport) else None
        self._traced = False
        provider = configured_tracer_provider(service_name)
        if provider is not None:
            self.trace(provider)

    def trace(self, provider: Any) -> None:
        """Send this client's calls as spans of the caller's trace (common.tracing)."""
        if not self._traced:
            trace_client(self._client, provider)
            self._traced = True

    async def _service_token(self) -> str:
        try:
            return await self._tokens.token()
        except ServiceTokenUnavailable as exc:
            # Without a token nothing can be sent: to the caller that is the other service out of reach.
            log.warning("service_token_unavailable", target=self.base_url, error=str(exc))
            raise ServiceUnavailableError(f"{self.base_url}: no service token: {exc}") from exc

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
        idempotent: bool | None = None,
    ) -> httpx.Response:
        """Send one call. Connection failures are retried always (nothing reached the other side);
        timeouts and 502/503/504 only for idempotent calls. Raises ServiceUnavailableError when
        the other service stays out of reach."""
        if idempotent is None:
            idempotent = method.upper() in ("GET", "HEAD", "PUT", "DELETE")
        sent_headers = {"Authorization": f"Bearer {await self._service_token()}"}
        request_id = request_id_var.get()
        if request_id:
            sent_headers[REQUEST_ID_HEADER] = request_id
        sent_headers.update(headers or {})

        def retryable(exc: BaseException) -> bool:
            if isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout):
                return True
            return idempotent and isinstance(exc, httpx.TransportError | _RetryableStatus)

        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self.retries),
                wait=wait_exponential(multiplier=0.05, max=1.0),
                retry=retry_if_exception(retryable),
                reraise=True,
            ):
                with attempt:
                    response = await self._send(method, path, json=json, params=params, headers=sent_headers)
                    if response.status_code in RETRYABLE_STATUS:
                        raise _RetryableStatus(response)
                    return response
        except _RetryableStatus as exc:
            raise ServiceUnavailableError(str(exc)) from exc
        except httpx.TransportError as exc:
            log.warning("service_unreachable", target=self.base_url, path=path, error=repr(exc))
            raise ServiceUnavailableError(f"{self.base_url}{path}: {exc!r}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def _send(
        self, method: str, path: str, *, json: Any, params: dict[str, Any] | None, headers: dict[str, str]
    ) -> httpx.Response:
        if self._in_process is not None and not self._traced:
            return await self._in_process.request(method, path, json=json, params=params, headers=headers)
        return await self._client.request(method, path, json=json, params=params, headers=headers)

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", path, **kwargs)

    async def post(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", path, **kwargs)

    async def aclose(self) -> None:
        await self._client.aclose()


def raise_for_unexpected(response: httpx.Response, *expected: int) -> None:
    """A status the caller did not plan for is the other service's fault: answer 503 upstream."""
    if response.status_code not in expected:
        raise DependencyUnavailable(
            f"{response.request.method} {response.request.url.path} answered {response.status_code}: "
            f"{response.text[:300]}"
        )


async def provider_id_in_capacity(capacity: ServiceClient, agb_code: str) -> str | None:
    """Capacity's id of the provider with an AGB code (`GET /v1/providers?agb_code=`), for a provider's
    token that names its provider by that code; None when no provider has it."""
    try:
        response = await capacity.get("/v1/providers", params={"agb_code": agb_code, "limit": 1})
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable("Capacity cannot be reached to find the token's provider; try again.") from exc
    raise_for_unexpected(response, 200)
    items = response.json().get("items") or []
    return str(items[0]["id"]) if items else None
