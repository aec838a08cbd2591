"""Who may see a referral: its referrer, the providers it was proposed to, the partners that share the
joint duty for a waiting child, and the coordinators. A refused read answers as a missing referral."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from intake import clients
from intake.access_log.store import ReferralNotVisible
from intake.context import Context, Row
from intake.db import referral_providers
from intake.domain import Status
from intake.referrals.store import load

# Provider roles that share the joint duty to place and so may see and take waiting children.
JOINT_DUTY_ROLES = ("strategic", "tactical")

# Built once: every provider's read of a referral asks it.
_LINKED = (
    sa.select(sa.func.count())
    .select_from(referral_providers)
    .where(
        referral_providers.c.referral_id == sa.bindparam("for_referral"),
        referral_providers.c.provider_id == sa.bindparam("for_provider"),
    )
)


async def provider_shares_joint_duty(ctx: Context, provider_id: str | None) -> bool:
    if provider_id is None:
        return False
    provider = await clients.get_provider(ctx.capacity, provider_id)
    return provider is not None and provider.role in JOINT_DUTY_ROLES


async def _may_see(session: AsyncSession, ctx: Context, principal: Principal, row: Row) -> bool:
    if principal.role in ("coordinator", "service"):
        return True
    if principal.role == "referrer":
        return bool(row["referrer_org"] == principal.org)
    if principal.role == "provider":
        linked = await session.scalar(_LINKED, {"for_referral": row["id"], "for_provider": principal.provider_id})
        if linked:
            return True
        # A waiting child is the joint duty of strategic and tactical partners: they may look.
        return row["status"] == Status.unmatched and await provider_shares_joint_duty(ctx, principal.provider_id)
    return False


async def visible(
    session: AsyncSession, ctx: Context, principal: Principal, referral_id: str, *, lock: bool = False
) -> Row:
    row = await load(session, referral_id, lock=lock)
    if row is None or not await _may_see(session, ctx, principal, row):
        raise ReferralNotVisible(principal, referral_id, row["client_key"] if row is not None else None)
    return row


async def seen(ctx: Context, principal: Principal, referral_id: str) -> Row:
    async with ctx.database.read() as session:
        return await visible(session, ctx, principal, referral_id)
