"""Sending one delivery: a signed webhook (Standard Webhooks) or an e-mail by SMTP. Each answers with
the outcome of the attempt; nothing here touches the database."""

from __future__ import annotations

import asyncio
import json
import smtplib
import socket
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any
from urllib.parse import unquote, urlsplit

import httpx
from standardwebhooks.webhooks import Webhook

from intake.notifications.rules import Mail, address_problem, url_problem


@dataclass(frozen=True)
class Outcome:
    delivered: bool
    status_code: int | None = None
    error: str | None = None


class TargetRefused(Exception):
    """A webhook URL that may not be called (the field it came in, and why)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def resolved_addresses(host: str) -> list[str]:
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    return sorted({str(info[4][0]) for info in found})


async def check_target(url: str, *, production: bool) -> None:
    """The URL rules, at subscription and again before every delivery: a host that resolved to a public
    address when subscribing may point inside the network later."""
    problem = url_problem(url, production=production)
    if problem is None:
        host = urlsplit(url).hostname or ""
        problem = address_problem(await resolved_addresses(host), production=production)
    if problem is not None:
        raise TargetRefused(problem)


async def send_webhook(
    url: str, secret: str, message_id: str, body: dict[str, Any], *, production: bool, wait_seconds: float
) -> Outcome:
    try:
        await check_target(url, production=production)
    except TargetRefused as refused:
        return Outcome(False, error=f"target refused: {refused.reason}")
    payload = json.dumps(body, separators=(",", ":"))
    # The signature's time is the wall clock's: the receiver checks it against its own clock to refuse
    # replays, whatever time the point runs on.
    signed_at = datetime.now(UTC)
    headers = {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(signed_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, signed_at, payload),
    }
    try:
        async with httpx.AsyncClient(timeout=wait_seconds, follow_redirects=False) as client:
            response = await client.post(url, content=payload, headers=headers)
    except httpx.HTTPError as exc:
        return Outcome(False, error=type(exc).__name__)
    if 200 <= response.status_code < 300:
        return Outcome(True, status_code=response.status_code)
    return Outcome(False, status_code=response.status_code, error=f"answered {response.status_code}")


@dataclass(frozen=True)
class SmtpServer:
    host: str
    port: int
    tls: bool
    user: str | None
    password: str | None

    @classmethod
    def parse(cls, url: str) -> SmtpServer:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("REGIEPUNT_SMTP_URL must be smtp://host:port or smtps://host:port")
        tls = parts.scheme == "smtps"
        return cls(
            host=parts.hostname,
            port=parts.port or (465 if tls else 25),
            tls=tls,
            user=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


def _send_mail_blocking(server: SmtpServer, sender: str, to: str, mail: Mail, message_id: str, timeout: float) -> None:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = mail.subject
    message["X-Regiepunt-Message-Id"] = message_id
    message.set_content(mail.text)
    smtp_class = smtplib.SMTP_SSL if server.tls else smtplib.SMTP
    with smtp_class(server.host, server.port, timeout=timeout) as smtp:
        if not server.tls and server.user and smtp.has_extn("starttls"):
            smtp.starttls()
        if server.user:
            smtp.login(server.user, server.password or "")
        smtp.send_message(message)


async def send_email(
    smtp_url: str | None, sender: str, to: str, mail: Mail, message_id: str, *, wait_seconds: float
) -> Outcome:
    """smtplib in a worker thread: a mail is sent by the workers only, never while a request waits."""
    if not smtp_url:
        return Outcome(False, error="no SMTP server configured (REGIEPUNT_SMTP_URL)")
    try:
        server = SmtpServer.parse(smtp_url)
        await asyncio.to_thread(_send_mail_blocking, server, sender, to, mail, message_id, wait_seconds)
    except (OSError, smtplib.SMTPException, ValueError) as exc:
        return Outcome(False, error=type(exc).__name__)
    return Outcome(True)
