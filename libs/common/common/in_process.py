"""A service's app called in this process, without a socket: how the demo history wires the three
services to each other and plays them (deploy/demo_seed.py).

httpx's ASGI transport does this too, but behind httpx's client, which parses and joins the URL,
builds a request object, merges headers, cookies and parameters, and hands the body over in chunks:
for a call that runs a route in a few hundred microseconds it cost about as much again. Here the
ASGI scope is made directly from the method, the path and the headers, with the same headers httpx
would send, and the answer comes back as the httpx.Response its callers read (status, headers, body,
json; the request it answered is made only when asked for, in error messages). The app gets the
request as a server hands it over, so its middleware, routes, dependencies and auth run as served.

Unlike httpx's client, nothing here keeps cookies: none of the API routes sets one.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import re
import time
from collections.abc import Callable, MutableMapping
from datetime import timedelta
from typing import Any

import httpx
from starlette.types import ASGIApp

# A path that reads the same encoded and decoded, without a query: the scope's path and raw_path
# are then the path itself. Anything else is parsed by httpx, as its client would.
_PLAIN_PATH = re.compile(r"/[A-Za-z0-9._~/-]*")
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


class InProcessTransport(httpx.ASGITransport):
    """httpx's ASGI transport, for any httpx client, with a direct way in for InProcessClient;
    common.http.ServiceClient takes that way when it is handed this transport."""

    def client_for(self, base_url: str) -> InProcessClient:
        return InProcessClient(self, base_url)


class InProcessResponse(httpx.Response):
    """An httpx.Response whose request is made on first use: parsing its URL cost more than reading
    the answer, and callers read it only to say what failed."""

    def __init__(
        self,
        status_code: int,
        *,
        headers: list[tuple[bytes, bytes]],
        content: bytes,
        make_request: Callable[[], httpx.Request],
    ) -> None:
        super().__init__(status_code, headers=headers, stream=httpx.ByteStream(content))
        self._make_request = make_request
        if "content-encoding" not in self.headers:
            # Read already, as httpx's client leaves an answer it has read: the body as it came.
            self._content = content
            self.is_stream_consumed = True
            self.is_closed = True

    @property
    def request(self) -> httpx.Request:
        if self._request is None:
            self._request = self._make_request()
        return self._request

    @request.setter
    def request(self, value: httpx.Request) -> None:
        self._request = value

    def raise_for_status(self) -> httpx.Response:
        self.request  # noqa: B018  # made now: httpx's check reads it without the property
        return super().raise_for_status()


class InProcessClient:
    """Sends requests to one app in this process as httpx.AsyncClient(base_url=…) would over the
    network; `request` takes the arguments of httpx's that its callers use."""

    def __init__(self, transport: InProcessTransport, base_url: str) -> None:
        self.transport = transport
        self.base_url = httpx.URL(base_url)
        self._origin = str(self.base_url.copy_with(raw_path=b"/")).rstrip("/")
        self._prefix = self.base_url.path.rstrip("/")
        self._host = (b"host", self.base_url.netloc)
        # Never sent through: its default headers (accept, encodings, user agent) go with every
        # request, and it joins a path that is not plain to the base URL as it would.
        self._httpx = httpx.AsyncClient(base_url=base_url, transport=transport)
        self._defaults = [(key.lower(), value) for key, value in self._httpx.headers.raw]
        self._server = (self.base_url.host, self.base_url.port)

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> httpx.Response:
        started = time.perf_counter()
        method = method.upper()
        target_path, raw_path, query = self._target(path, params)
        body = b""
        if json is not None:
            # As httpx encodes a json= body, byte for byte.
            body = jsonlib.dumps(json, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        sent = self._headers(method, headers, json is not None, body)
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "headers": sent,
            "scheme": self.base_url.scheme,
            "path": target_path,
            "raw_path": raw_path,
            "query_string": query,
            "server": self._server,
            "client": self.transport.client,
            "root_path": self.transport.root_path,
        }

        def make_request() -> httpx.Request:
            url = self._origin + raw_path.decode("ascii") + (f"?{query.decode('ascii')}" if query else "")
            return httpx.Request(method, url, headers=sent, content=body)

        status, response_headers, content = await self._call(scope, body)
        response = InProcessResponse(
            status,
            headers=response_headers,
            content=b"" if method == "HEAD" else content,
            make_request=make_request,
        )
        if not response.is_stream_consumed:
            # An encoded body (no API route sends one) is decoded as httpx's client decodes it.
            await response.aread()
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        return response

    def _headers(
        self, method: str, headers: MutableMapping[str, str] | None, has_json: bool, body: bytes
    ) -> list[tuple[bytes, bytes]]:
        """The request's headers in the order httpx's client puts them: host (and an empty body's
        length), its defaults with the caller's headers merged in by name, then the body's."""
        sent = list(self._defaults)
        if headers:
            own = [(key.lower().encode("ascii"), value.encode("ascii")) for key, value in headers.items()]
            replaced = {name for name, _ in own}
            sent = [(name, value) for name, value in sent if name not in replaced] + own
        names = {name for name, _ in sent}
        if has_json:
            if b"content-length" not in names:
                sent.append((b"content-length", str(len(body)).encode("ascii")))
            if b"content-type" not in names:
                sent.append((b"content-type", b"application/json"))
            names.add(b"content-length")
        first = [] if b"host" in names else [self._host]
        if method in _BODY_METHODS and b"content-length" not in names and b"transfer-encoding" not in names:
            first.append((b"content-length", b"0"))
        return first + sent

    def _target(self, path: str, params: Any) -> tuple[str, bytes, bytes]:
        """The scope's path, raw_path and query_string for a path under the base URL."""
        if _PLAIN_PATH.fullmatch(path):
            full = self._prefix + path
            query = str(httpx.QueryParams(params)).encode("ascii") if params else b""
            return full, full.encode("ascii"), query
        url = self._httpx.build_request("GET", path, params=params).url
        return url.path, url.raw_path.split(b"?")[0], url.query

    async def _call(self, scope: dict[str, Any], body: bytes) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        app: ASGIApp = self.transport.app
        status: int | None = None
        response_headers: list[tuple[bytes, bytes]] = []
        parts: list[bytes] = []
        request_read = False
        complete = False
        completed: asyncio.Event | None = None

        async def receive() -> dict[str, Any]:
            # The whole body at once, as a server hands over a small one; after it, a disconnect once
            # the answer has been sent.
            nonlocal request_read, completed
            if not request_read:
                request_read = True
                return {"type": "http.request", "body": body, "more_body": False}
            if not complete:
                completed = completed or asyncio.Event()
                await completed.wait()
            return {"type": "http.disconnect"}

        async def send(message: MutableMapping[str, Any]) -> None:
            nonlocal status, response_headers, complete
            if message["type"] == "http.response.start":
                assert status is None, "the answer was started twice"
                status = message["status"]
                response_headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                assert not complete, "the answer went on after it was complete"
                if message.get("body"):
                    parts.append(message["body"])
                if not message.get("more_body", False):
                    complete = True
                    if completed is not None:
                        completed.set()

        try:
            await app(scope, receive, send)
        except Exception:
            if self.transport.raise_app_exceptions:
                raise
            complete = True
            status = 500 if status is None else status
        finally:
            if completed is not None:
                completed.set()
        assert complete and status is not None, "the app returned without answering"
        return status, response_headers, b"".join(parts)
