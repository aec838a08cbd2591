"""The workers' steps of the notifications: send the deliveries whose turn has come (at least once,
one webhook-id over every attempt), announce proposals about to lapse, and units turned stale."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa

from common.clock import as_utc
from common.logging import get_logger
from contracts.capacity import StaleUnits
from intake import clients
from intake.context import Context, Row
from intake.db import referrals
from intake.domain import Status
from intake.notifications import events
from intake.notifications.delivery import Outcome, send_email, send_webhook
from intake.notifications.rules import EventType, Scope, mail_about, next_attempt_at
from intake.notifications.store import (
    WEBHOOK,
    claim_delivery,
    delivery_with_event,
    due_deliveries,
    record_event,
)
from intake.notifications.tables import notification_attempts, notification_deliveries, notification_events

log = get_logger("regiepunt.intake.notifications")


async def deliver_notifications(ctx: Context, *, batch: int = 50) -> int:
    """Send the due deliveries; returns how many arrived."""
    now = ctx.now()
    async with ctx.database.read() as session:
        due = await due_deliveries(session, now, batch)
    delivered = 0
    for delivery_id in due:
        async with ctx.database.transaction() as session:
            lease = now + timedelta(seconds=ctx.settings.outbox_lease_seconds)
            if not await claim_delivery(session, delivery_id, now, lease):
                continue
            row = await delivery_with_event(session, delivery_id)
        if row is None:
            continue
        outcome = await _send(ctx, row)
        await _record_attempt(ctx, row, outcome)
        delivered += outcome.delivered
    return delivered


async def _send(ctx: Context, row: Row) -> Outcome:
    if row["deleted_at"] is not None:
        return Outcome(False, error="subscription deleted")
    timeout = ctx.settings.webhook_timeout_seconds
    if row["channel"] == WEBHOOK:
        return await send_webhook(
            row["url"],
            row["secret"],
            row["message_id"],
            row["body"],
            production=ctx.settings.production,
            wait_seconds=timeout,
        )
    base_url = ctx.settings.pages_base_url or ctx.settings.intake_url
    mail = mail_about(row["body"], Scope(row["scope"]), base_url)
    return await send_email(
        ctx.settings.smtp_url, ctx.settings.smtp_from, row["email"], mail, row["message_id"], wait_seconds=timeout
    )


async def _record_attempt(ctx: Context, row: Row, outcome: Outcome) -> None:
    now = ctx.now()
    attempt = int(row["attempts"]) + 1
    retry_at: datetime | None = None
    if not outcome.delivered and row["deleted_at"] is None:
        total = timedelta(hours=ctx.settings.webhook_retry_total_hours)
        retry_at = next_attempt_at(
            ctx.settings.webhook_retry_pauses, attempt, as_utc(row["event_created_at"]), now, total
        )
    given_up = not outcome.delivered and retry_at is None
    async with ctx.database.transaction() as session:
        await session.execute(
            sa.insert(notification_attempts).values(
                id=str(uuid.uuid4()),
                delivery_id=row["id"],
                subscription_id=row["subscription_id"],
                message_id=row["message_id"],
                event_type=row["event_type"],
                attempt=attempt,
                status_code=outcome.status_code,
                error=outcome.error,
                attempted_at=now,
                next_attempt_at=retry_at,
            )
        )
        await session.execute(
            sa.update(notification_deliveries)
            .where(notification_deliveries.c.id == row["id"])
            .values(
                attempts=attempt,
                next_attempt_at=retry_at,
                claimed_until=None,
                delivered_at=now if outcome.delivered else None,
                given_up_at=now if given_up else None,
            )
        )
    if given_up:
        log.warning(
            "notification_given_up", message_id=row["message_id"], event_type=row["event_type"], attempts=attempt
        )


def _expiring_proposals() -> sa.Select[Any]:
    """The proposals lapsing after `now` and by `notice` not yet announced, `batch` at most."""
    r = referrals.c
    key = sa.literal(f"{EventType.referral_proposal_expiring.value}:") + r.proposal_reservation_id
    not_announced = ~sa.exists().where(notification_events.c.event_key == key)
    return (
        sa.select(referrals)
        .where(
            r.status == Status.proposed.value,
            r.proposal_expires_at > sa.bindparam("now", type_=r.proposal_expires_at.type),
            r.proposal_expires_at <= sa.bindparam("notice", type_=r.proposal_expires_at.type),
            not_announced,
        )
        .order_by(r.proposal_expires_at)
        .limit(sa.bindparam("batch", type_=sa.Integer))
    )


# Built once: every round of the workers runs it.
_EXPIRING = _expiring_proposals()


async def announce_expiring_proposals(ctx: Context, *, batch: int = 100) -> int:
    """referral.proposal_expiring, once per proposal, REGIEPUNT_PROPOSAL_EXPIRING_NOTICE_MINUTES
    before an unanswered hold lapses."""
    now = ctx.now()
    notice = now + timedelta(minutes=ctx.settings.proposal_expiring_notice_minutes)
    announced = 0
    async with ctx.database.transaction() as session:
        expiring = await session.execute(_EXPIRING, {"now": now, "notice": notice, "batch": batch})
        for row in expiring.mappings().all():
            announced += await events.referral_event(
                session,
                EventType.referral_proposal_expiring,
                row,
                now,
                provider_id=row["proposal_provider_id"],
                unit_id=row["proposal_unit_id"],
                expires_at=row["proposal_expires_at"],
                event_key=f"{EventType.referral_proposal_expiring.value}:{row['proposal_reservation_id']}",
            )
    return announced


_ANNOUNCED = sa.select(notification_events.c.event_key).where(
    notification_events.c.event_key.in_(sa.bindparam("keys", expanding=True))
)


def _stale_key(unit_id: str, confirmed_at: datetime | None) -> str:
    stamp = as_utc(confirmed_at).isoformat() if confirmed_at is not None else "never"
    return f"{EventType.unit_availability_stale.value}:{unit_id}:{stamp}"


async def announce_availability_stale(
    ctx: Context, unit_id: str, provider_id: str, confirmed_at: datetime | None
) -> bool:
    """unit.availability_stale for the unit's provider and coordinators, once per confirmation: the
    step that finds stale units (capacity's availability_stale) calls this for each unit turned stale."""
    async with ctx.database.transaction() as session:
        return await record_event(
            session,
            EventType.unit_availability_stale,
            {"unit_id": unit_id, "provider_id": provider_id, "status": "stale"},
            ctx.now(),
            provider_id=provider_id,
            event_key=_stale_key(unit_id, confirmed_at),
        )


async def announce_stale_units(ctx: Context, since: StaleUnits | None = None) -> tuple[int, StaleUnits]:
    """Ask capacity which open units turned stale and announce each once per confirmation (a unit
    confirmed again and turned stale again is announced again); how many were announced now, and
    capacity's answer, to ask `since` next time (only the units that can have turned stale after it)."""
    answer = await clients.stale_units(ctx.capacity, since)
    stale = {_stale_key(unit.id, unit.availability_confirmed_at): unit for unit in answer.units}
    # Most stale units were announced in an earlier round: one read finds them, instead of a write each.
    done: set[str] = set()
    if stale:
        async with ctx.database.read() as session:
            done = set((await session.scalars(_ANNOUNCED, {"keys": list(stale)})).all())
    announced = 0
    for key, unit in stale.items():
        if key not in done and await announce_availability_stale(
            ctx, unit.id, unit.provider_id, unit.availability_confirmed_at
        ):
            announced += 1
    if announced:
        log.info("stale_units_announced", count=announced)
    return announced, answer
