"""Notifications in the database: an event written in the transaction of the change that caused it,
fanned out there to one delivery per subscribed channel, and the deliveries the workers send."""

from __future__ import annotations

import functools
import uuid
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import insert_or_skip
from intake.context import Row
from intake.notifications.rules import EventType, Scope, event_body
from intake.notifications.tables import notification_deliveries, notification_events, webhook_subscriptions

WEBHOOK = "webhook"
EMAIL = "email"


# Built once, with their values bound at execution: every change of a referral writes an event.
_INSERT_EVENT = sa.insert(notification_events)
_INSERT_DELIVERIES = sa.insert(notification_deliveries)


@functools.cache
def _audience(for_provider: bool, for_organisation: bool) -> sa.Select[Any]:
    """The subscriptions that may hear an event: coordinators' always, a provider's of its own
    provider's events (`provider_id` bound), a referrer's of its own organisation's (`referrer_org`)."""
    s = webhook_subscriptions.c
    who = [s.scope == Scope.all.value]
    if for_provider:
        who.append(sa.and_(s.scope == Scope.provider.value, s.provider_id == sa.bindparam("provider_id")))
    if for_organisation:
        who.append(sa.and_(s.scope == Scope.organisation.value, s.referrer_org == sa.bindparam("referrer_org")))
    return sa.select(s.id, s.url, s.email, s.events).where(s.deleted_at.is_(None), sa.or_(*who))


async def record_event(
    session: AsyncSession,
    event_type: EventType,
    data: dict[str, Any],
    now: datetime,
    *,
    provider_id: str | None = None,
    referrer_org: str | None = None,
    event_key: str | None = None,
) -> bool:
    """Write an event and its deliveries with the change that caused it; nothing is sent here, so the
    change never waits for a receiver. With an `event_key`, an event raised before is not raised again.
    True when the event was written."""
    event_id = str(uuid.uuid4())
    values = {
        "id": event_id,
        "event_type": event_type.value,
        "event_key": event_key,
        "provider_id": provider_id,
        "referrer_org": referrer_org,
        "body": event_body(event_type, now, data),
        "created_at": now,
    }
    if event_key is None:
        await session.execute(_INSERT_EVENT, values)
    else:
        written = await session.execute(insert_or_skip(session, notification_events, "event_key"), values)
        if written.rowcount != 1:  # type: ignore[attr-defined]
            return False
    audience = {
        name: value
        for name, value in (("provider_id", provider_id), ("referrer_org", referrer_org))
        if value is not None
    }
    subscribed = (await session.execute(_audience(provider_id is not None, referrer_org is not None), audience)).all()
    deliveries = [
        {
            "id": str(uuid.uuid4()),
            "message_id": f"msg_{uuid.uuid4().hex}",
            "subscription_id": subscription_id,
            "event_id": event_id,
            "event_type": event_type.value,
            "channel": channel,
            "attempts": 0,
            "next_attempt_at": now,
            "created_at": now,
        }
        for subscription_id, url, email, events in subscribed
        if event_type.value in events
        for channel, address in ((WEBHOOK, url), (EMAIL, email))
        if address
    ]
    if deliveries:
        await session.execute(_INSERT_DELIVERIES, deliveries)
    return True


def owned_by(scope: Scope, owner: str | None) -> sa.ColumnElement[bool]:
    """The subscriptions a caller sees: its provider's, its organisation's, or (coordinators) all."""
    s = webhook_subscriptions.c
    live = s.deleted_at.is_(None)
    if scope == Scope.provider:
        return sa.and_(live, s.scope == scope.value, s.provider_id == owner)
    if scope == Scope.organisation:
        return sa.and_(live, s.scope == scope.value, s.referrer_org == owner)
    return live


async def load_subscription(session: AsyncSession, subscription_id: str, visible: sa.ColumnElement[bool]) -> Row | None:
    query = sa.select(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id, visible)
    return (await session.execute(query)).mappings().first()


def _due_deliveries() -> sa.Select[Any]:
    d, now = notification_deliveries.c, sa.bindparam("now", type_=notification_deliveries.c.next_attempt_at.type)
    return (
        sa.select(d.id)
        .where(d.next_attempt_at <= now, sa.or_(d.claimed_until.is_(None), d.claimed_until < now))
        .order_by(d.next_attempt_at)
        .limit(sa.bindparam("batch", type_=sa.Integer))
    )


# Built once: every round of the workers runs it.
_DUE_DELIVERIES = _due_deliveries()


async def due_deliveries(session: AsyncSession, now: datetime, batch: int) -> list[str]:
    due = await session.execute(_DUE_DELIVERIES, {"now": now, "batch": batch})
    return [str(row_id) for row_id in due.scalars()]


async def claim_delivery(session: AsyncSession, delivery_id: str, now: datetime, until: datetime) -> bool:
    """Conditional, so that of two replicas only one sends a delivery at a time."""
    d = notification_deliveries.c
    claimed = await session.execute(
        sa.update(notification_deliveries)
        .where(
            d.id == delivery_id,
            d.next_attempt_at <= now,
            sa.or_(d.claimed_until.is_(None), d.claimed_until < now),
        )
        .values(claimed_until=until)
    )
    return bool(claimed.rowcount == 1)  # type: ignore[attr-defined]


async def delivery_with_event(session: AsyncSession, delivery_id: str) -> Row | None:
    d, e, s = notification_deliveries, notification_events, webhook_subscriptions
    query = (
        sa.select(
            d,
            e.c.body,
            e.c.created_at.label("event_created_at"),
            s.c.url,
            s.c.email,
            s.c.secret,
            s.c.scope,
            s.c.deleted_at,
        )
        .join(e, e.c.id == d.c.event_id)
        .join(s, s.c.id == d.c.subscription_id)
        .where(d.c.id == delivery_id)
    )
    return (await session.execute(query)).mappings().first()
