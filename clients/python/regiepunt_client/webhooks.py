"""Checking the point's webhooks (Standard Webhooks): the signature over `id.timestamp.body` with the
subscription's `whsec_` secret, and the timestamp within a tolerance against replays."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

TOLERANCE_SECONDS = 300


class BadWebhook(Exception):
    """The message is not the point's: a wrong or missing signature, or too old or new a timestamp."""


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix("whsec_"))


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value the point sends for this message (`v1,<base64>`)."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(secret: str, headers: Mapping[str, str], body: bytes, *, now: float | None = None) -> dict[str, Any]:
    """The event `{type, timestamp, data}` of a delivery whose signature and timestamp hold; else BadWebhook."""
    lowered = {key.lower(): value for key, value in headers.items()}
    message_id = lowered.get("webhook-id")
    timestamp = lowered.get("webhook-timestamp")
    signatures = lowered.get("webhook-signature")
    if not (message_id and timestamp and signatures and timestamp.isdigit()):
        raise BadWebhook("webhook-id, webhook-timestamp and webhook-signature are required")
    current = time.time() if now is None else now
    if abs(current - int(timestamp)) > TOLERANCE_SECONDS:
        raise BadWebhook("the timestamp is outside the tolerance")
    expected = sign(secret, message_id, int(timestamp), body)
    # The header may carry several space-separated signatures (while a secret is being rotated).
    if not any(hmac.compare_digest(expected, given) for given in signatures.split()):
        raise BadWebhook("no signature matches")
    event: dict[str, Any] = json.loads(body)
    return event
