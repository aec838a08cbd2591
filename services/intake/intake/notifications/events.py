"""The events of referrals, units and signals, written where the change happens and in its
transaction (see store.record_event): each names the parties that may hear of it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.clock import as_utc
from intake.context import Row
from intake.db import referrals
from intake.domain import Status
from intake.notifications.rules import EventType
from intake.notifications.store import record_event

# Built once: every answer of matching reads it.
_STATUS = sa.select(referrals.c.status).where(referrals.c.id == sa.bindparam("referral_id"))


def _referral_data(row: Row, provider_id: str | None, unit_id: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {"referral_id": row["id"], "status": row["status"]}
    if row["group_id"]:
        data["group_id"] = row["group_id"]
    if unit_id:
        data["unit_id"] = unit_id
    if provider_id:
        data["provider_id"] = provider_id
    return data


async def referral_event(
    session: AsyncSession,
    event_type: EventType,
    row: Row,
    now: datetime,
    *,
    provider_id: str | None = None,
    unit_id: str | None = None,
    expires_at: datetime | None = None,
    event_key: str | None = None,
) -> bool:
    """An event about one referral, heard by its referrer's organisation, by the provider it concerns
    (if any) and by coordinators."""
    data = _referral_data(row, provider_id, unit_id)
    if expires_at is not None:
        data["expires_at"] = as_utc(expires_at).isoformat()
    return await record_event(
        session,
        event_type,
        data,
        now,
        provider_id=provider_id,
        referrer_org=row["referrer_org"],
        event_key=event_key,
    )


async def on_proposed(session: AsyncSession, row: Row, now: datetime) -> None:
    await referral_event(
        session,
        EventType.referral_proposed,
        row,
        now,
        provider_id=row["proposal_provider_id"],
        unit_id=row["proposal_unit_id"],
        expires_at=row["proposal_expires_at"],
    )


async def on_unmatched(session: AsyncSession, row: Row, now: datetime) -> None:
    await referral_event(session, EventType.referral_unmatched, row, now)


async def on_proposal_expired(session: AsyncSession, before: Row, after: Row, now: datetime) -> None:
    """`before` is the referral while the proposal stood: the provider it was made to hears of it."""
    await referral_event(
        session,
        EventType.referral_proposal_expired,
        after,
        now,
        provider_id=before["proposal_provider_id"],
        unit_id=before["proposal_unit_id"],
        expires_at=before["proposal_expires_at"],
    )


async def on_placed(session: AsyncSession, row: Row, now: datetime) -> None:
    await referral_event(
        session,
        EventType.referral_placed,
        row,
        now,
        provider_id=row["placement_provider_id"],
        unit_id=row["placement_unit_id"],
    )


async def on_withdrawn(session: AsyncSession, before: Row, after: Row, now: datetime) -> None:
    """A provider that was proposed the child hears that the proposal is gone with the referral."""
    await referral_event(
        session,
        EventType.referral_withdrawn,
        after,
        now,
        provider_id=before["proposal_provider_id"],
        unit_id=before["proposal_unit_id"],
    )


async def on_ended(session: AsyncSession, row: Row, now: datetime) -> None:
    await referral_event(
        session,
        EventType.referral_ended,
        row,
        now,
        provider_id=row["placement_provider_id"],
        unit_id=row["placement_unit_id"],
    )


async def on_signal_opened(session: AsyncSession, signal_id: str, signal_type: str, now: datetime) -> None:
    """For coordinators only: a signal is about a child, so no provider or referrer hears of it here."""
    await record_event(session, EventType.signal_opened, {"signal_id": signal_id, "signal_type": signal_type}, now)


async def is_unmatched(session: AsyncSession, referral_id: str) -> bool:
    """Read before matching's answer is written: a child that stays unmatched after another round
    of matching is not announced again."""
    status = await session.scalar(_STATUS, {"referral_id": referral_id})
    return bool(status == Status.unmatched.value)
