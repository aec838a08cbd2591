"""The child's voice as an indicator: the share of referrals received in a period in which the child was
heard (docs/domain.md, Indicators)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from intake.db import referrals
from intake.indicators.schemas import Indicator


async def child_heard(session: AsyncSession, start: datetime, end: datetime) -> Indicator:
    """Referrals received in [start, end) that record the child as heard, against all received then: a
    referral that records no voice at all counts as one in which the child was not heard."""
    r = referrals.c
    received, heard = (
        await session.execute(
            sa.select(sa.func.count(), sa.func.sum(sa.case((r.child_heard.is_(True), 1), else_=0))).where(
                r.created_at >= start, r.created_at < end
            )
        )
    ).one()
    received, heard = int(received or 0), int(heard or 0)
    return Indicator(
        name="child_heard",
        label="Referrals received in the period in which the child was heard",
        value=round(100 * heard / received, 1) if received else None,
        numerator=float(heard),
        denominator=float(received),
        unit="percent",
    )
