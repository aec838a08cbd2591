"""Use cases of the webhook subscriptions: subscribe, list, delete, and the attempts of one."""

from __future__ import annotations

import base64
import secrets
import uuid
from typing import Any

import sqlalchemy as sa

from common.auth import Principal
from common.clock import as_utc
from common.errors import InvalidInput, NotFound
from intake.context import Context, Row
from intake.notifications.delivery import TargetRefused, check_target
from intake.notifications.rules import Scope, refused_events, scope_of
from intake.notifications.schemas import (
    DeliveryAttemptOut,
    DeliveryAttemptPage,
    WebhookCreated,
    WebhookIn,
    WebhookOut,
    WebhookPage,
)
from intake.notifications.store import load_subscription, owned_by
from intake.notifications.tables import notification_attempts, notification_deliveries, webhook_subscriptions


def _owner(principal: Principal) -> tuple[Scope, str | None]:
    scope = scope_of(principal.role)
    if scope == Scope.provider:
        return scope, principal.provider_id
    if scope == Scope.organisation:
        return scope, principal.org
    return scope, None


def _next_offset(offset: int, limit: int, total: int) -> int | None:
    return offset + limit if offset + limit < total else None


def _render(row: Row | dict[str, Any]) -> dict[str, Any]:
    shown = {key: row[key] for key in ("id", "url", "email", "events")}
    return {**shown, "created_at": as_utc(row["created_at"])}


async def subscribe(ctx: Context, principal: Principal, body: WebhookIn) -> WebhookCreated:
    if body.url is None and body.email is None:
        raise InvalidInput("url", "give a url, an email address, or both")
    refused = refused_events(principal.role, body.events)
    if refused:
        # 422, not 403: the caller may subscribe, only not to these events (docs/api.md).
        raise InvalidInput("events", f"not for your role: {', '.join(sorted(refused))}")
    if body.url is not None:
        try:
            await check_target(body.url, production=ctx.settings.production)
        except TargetRefused as refused_target:
            raise InvalidInput("url", refused_target.reason) from None
    scope, owner = _owner(principal)
    values = {
        "id": str(uuid.uuid4()),
        "scope": scope.value,
        "provider_id": owner if scope == Scope.provider else None,
        "referrer_org": owner if scope == Scope.organisation else None,
        "created_by": principal.sub,
        "url": body.url,
        "email": body.email,
        "events": sorted({event.value for event in body.events}),
        "secret": "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "created_at": ctx.now(),
    }
    async with ctx.database.transaction() as session:
        await session.execute(sa.insert(webhook_subscriptions), values)
    return WebhookCreated(**_render(values), secret=values["secret"])


async def list_subscriptions(ctx: Context, principal: Principal, *, limit: int, offset: int) -> WebhookPage:
    visible = owned_by(*_owner(principal))
    s = webhook_subscriptions
    async with ctx.database.read() as session:
        total = int((await session.execute(sa.select(sa.func.count()).select_from(s).where(visible))).scalar_one())
        rows = (
            (
                await session.execute(
                    sa.select(s).where(visible).order_by(s.c.created_at, s.c.id).limit(limit).offset(offset)
                )
            )
            .mappings()
            .all()
        )
    return WebhookPage(
        items=[WebhookOut(**_render(row)) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=_next_offset(offset, limit, total),
    )


async def delete_subscription(ctx: Context, principal: Principal, subscription_id: str) -> None:
    """No event reaches it any more; deliveries not yet made are dropped, the attempts made are kept."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        if await load_subscription(session, subscription_id, owned_by(*_owner(principal))) is None:
            raise NotFound("No such webhook subscription.")
        await session.execute(
            sa.update(webhook_subscriptions).where(webhook_subscriptions.c.id == subscription_id).values(deleted_at=now)
        )
        d = notification_deliveries.c
        await session.execute(
            sa.update(notification_deliveries)
            .where(d.subscription_id == subscription_id, d.next_attempt_at.is_not(None))
            .values(next_attempt_at=None)
        )


async def list_attempts(
    ctx: Context, principal: Principal, subscription_id: str, *, limit: int, offset: int
) -> DeliveryAttemptPage:
    a = notification_attempts
    mine = a.c.subscription_id == subscription_id
    async with ctx.database.read() as session:
        if await load_subscription(session, subscription_id, owned_by(*_owner(principal))) is None:
            raise NotFound("No such webhook subscription.")
        total = int((await session.execute(sa.select(sa.func.count()).select_from(a).where(mine))).scalar_one())
        query = sa.select(a).where(mine).order_by(a.c.attempted_at, a.c.attempt, a.c.id).limit(limit).offset(offset)
        rows = (await session.execute(query)).mappings().all()
    return DeliveryAttemptPage(
        items=[
            DeliveryAttemptOut(
                **{key: row[key] for key in ("message_id", "event_type", "attempt", "status_code", "error")},
                attempted_at=as_utc(row["attempted_at"]),
                next_attempt_at=as_utc(row["next_attempt_at"]) if row["next_attempt_at"] is not None else None,
            )
            for row in rows
        ],
        total=total,
        limit=limit,
        offset=offset,
        next_offset=_next_offset(offset, limit, total),
    )
