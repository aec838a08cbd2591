"""One pure-ASGI middleware: request id, body size limit, access log and request metrics."""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from common.logging import REQUEST_ID_HEADER, get_logger, request_id_var
from common.metrics import ServiceMetrics

# Methods that change nothing: their successful requests are logged at debug.
READS = frozenset({"GET", "HEAD", "OPTIONS"})
log = get_logger("regiepunt.http")


class _BodyTooLarge(Exception):
    pass


def _problem(status: int, title: str, detail: str) -> bytes:
    return json.dumps({"type": "about:blank", "title": title, "status": status, "detail": detail}).encode()


def _replay(messages: list[Message], receive: Receive) -> Receive:
    """Hands out the messages read already, then whatever comes next (a disconnect)."""
    pending = list(messages)

    async def replayed() -> Message:
        return pending.pop(0) if pending else await receive()

    return replayed


class RequestContextMiddleware:
    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics, max_body_bytes: int) -> None:
        self.app = app
        self.metrics = metrics
        self.max_body_bytes = max_body_bytes

    def _route_template(self, scope: Scope) -> str:
        # The router leaves the route it chose in the scope; only a request it did not route (a 404,
        # a body refused before routing) is matched here against every route.
        route = scope.get("route")
        if route is not None:
            return str(getattr(route, "path", scope["path"]))
        app = scope.get("app")
        router = getattr(app, "router", None)
        for route in getattr(router, "routes", []):
            match, _ = route.matches(scope)
            if match == Match.FULL:
                return str(getattr(route, "path", scope["path"]))
        return "unmatched"

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        incoming = headers.get(REQUEST_ID_HEADER.lower().encode())
        request_id = incoming.decode("latin-1")[:128] if incoming else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status_holder: dict[str, int] = {"status": 500}
        response_started = False

        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_body_bytes:
            await self._reject_too_large(send, request_id)
            status_holder["status"] = 413
            self._finish(scope, status_holder["status"], started, request_id)
            request_id_var.reset(token)
            return

        if declared is None:
            # A body without a Content-Length (chunked) is read here, up to the limit, before the app
            # sees it: refused half-way inside the app's own body parsing, it answered 400.
            buffered = await self._read_body(receive)
            if buffered is None:
                await self._reject_too_large(send, request_id)
                self._finish(scope, 413, started, request_id)
                request_id_var.reset(token)
                return
            receive = _replay(buffered, receive)

        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    raise _BodyTooLarge
            return message

        async def send_with_id(message: Message) -> None:
            nonlocal response_started
            if message["type"] == "http.response.start":
                response_started = True
                status_holder["status"] = message["status"]
                message = dict(message)
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER.lower().encode(), request_id.encode("latin-1")),
                ]
            await send(message)

        try:
            await self.app(scope, limited_receive, send_with_id)
        except _BodyTooLarge:
            if not response_started:
                await self._reject_too_large(send, request_id)
            status_holder["status"] = 413
        finally:
            self._finish(scope, status_holder["status"], started, request_id)
            request_id_var.reset(token)

    async def _read_body(self, receive: Receive) -> list[Message] | None:
        """The request's body messages, or None once they pass the limit."""
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                return messages
            size += len(message.get("body", b""))
            if size > self.max_body_bytes:
                return None
            if not message.get("more_body", False):
                return messages

    async def _reject_too_large(self, send: Send, request_id: str) -> None:
        body = _problem(413, "Payload too large", f"Request bodies are limited to {self.max_body_bytes} bytes.")
        headers: list[Any] = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
            (REQUEST_ID_HEADER.lower().encode(), request_id.encode("latin-1")),
        ]
        await send({"type": "http.response.start", "status": 413, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _finish(self, scope: Scope, status: int, started: float, request_id: str) -> None:
        elapsed = time.perf_counter() - started
        route = self._route_template(scope)
        if route not in ("/metrics", "/healthz", "/readyz"):
            self.metrics.observe(scope["method"], route, status, elapsed)
            # The route, not the path: a path holds whatever a caller typed into it. A read that went
            # well is not news (services poll each other every few seconds): it is logged at debug;
            # changes and failures at info.
            level = logging.DEBUG if scope["method"] in READS and status < 400 else logging.INFO
            log.log(
                level,
                "request",
                method=scope["method"],
                route=route,
                status=status,
                ms=round(elapsed * 1000, 2),
                request_id=request_id,
            )
