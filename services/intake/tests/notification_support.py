"""A webhook receiver and an SMTP server for the notification tests, both real servers on free ports."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import uvicorn
from aiosmtpd.controller import Controller
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Received:
    path: str
    body: bytes
    headers: dict[str, str]


@dataclass
class Receiver:
    """Collects every webhook posted to it; `down()` stops it listening, `up()` starts it again."""

    port: int = field(default_factory=free_port)
    received: list[Received] = field(default_factory=list)
    _server: uvicorn.Server | None = None
    _task: asyncio.Task[None] | None = None

    def url(self, path: str = "/hooks") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    async def _collect(self, request: Request) -> Response:
        self.received.append(Received(request.url.path, await request.body(), dict(request.headers)))
        return Response(status_code=204)

    async def up(self) -> None:
        app = Starlette(routes=[Route("/{path:path}", self._collect, methods=["POST"])])
        # log_config=None: the receiver leaves the logging of the process (and of later tests) as it is.
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_config=None, lifespan="off")
        self._server = uvicorn.Server(config)
        self._task = asyncio.create_task(self._server.serve())
        while not self._server.started:  # noqa: ASYNC110 (uvicorn offers only the flag)
            await asyncio.sleep(0.01)

    async def down(self) -> None:
        if self._server is not None and self._task is not None:
            self._server.should_exit = True
            await self._task
            self._server = self._task = None

    def at(self, path: str) -> list[Received]:
        return [item for item in self.received if item.path == path]


@asynccontextmanager
async def receiver() -> AsyncIterator[Receiver]:
    running = Receiver()
    await running.up()
    try:
        yield running
    finally:
        await running.down()


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), bytes(envelope.original_content or envelope.content)))
        return "250 Message accepted for delivery"


@asynccontextmanager
async def smtp_server() -> AsyncIterator[tuple[str, _Inbox]]:
    """A real SMTP server (aiosmtpd) in its own thread; yields its smtp:// URL and its inbox."""
    inbox = _Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield f"smtp://127.0.0.1:{port}", inbox
    finally:
        controller.stop()
