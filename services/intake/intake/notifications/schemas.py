"""Request and response shapes of the webhook routes (docs/api.md)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from contracts.lists import ListEnvelope
from intake.notifications.rules import EventType


class WebhookIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000)
    email: str | None = Field(default=None, max_length=320, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    events: list[EventType] = Field(min_length=1, max_length=len(EventType))


class WebhookOut(BaseModel):
    id: str
    url: str | None
    email: str | None
    events: list[EventType]
    created_at: datetime


class WebhookCreated(WebhookOut):
    # The signing key, shown once: a receiver verifies each message with it (Standard Webhooks).
    secret: str


class WebhookPage(ListEnvelope):
    items: list[WebhookOut]


class DeliveryAttemptOut(BaseModel):
    message_id: str
    event_type: EventType
    attempt: int
    status_code: int | None
    error: str | None
    attempted_at: datetime
    next_attempt_at: datetime | None


class DeliveryAttemptPage(ListEnvelope):
    items: list[DeliveryAttemptOut]
