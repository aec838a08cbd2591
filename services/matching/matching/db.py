"""Tables of the matching service: every decision, with every unit weighed for it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import JSON, String, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from common.db import new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class DecisionRow(Base):
    __tablename__ = "decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Unique, so that two identical requests racing each other cannot both store (and both reserve).
    request_id: Mapped[str] = mapped_column(String(200), unique=True)
    referral_id: Mapped[str] = mapped_column(String(36), index=True)
    # Indexed for re-keying after intake rotated the client key (matching.api.client_keys, migration 0005).
    client_key: Mapped[str] = mapped_column(String(200), index=True)
    care_type: Mapped[str] = mapped_column(String(32))
    target_group: Mapped[str] = mapped_column(String(16))
    age: Mapped[int]
    municipality_code: Mapped[str] = mapped_column(String(16))
    needs: Mapped[list[str]] = mapped_column(JSON)
    part_time: Mapped[bool]
    out_of_region: Mapped[str | None] = mapped_column(String(16))
    known_provider_ids: Mapped[list[str]] = mapped_column(JSON)
    excluded_unit_ids: Mapped[list[str]] = mapped_column(JSON)
    offered_unit_id: Mapped[str | None] = mapped_column(String(36))
    hold_until: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    proposed_unit_id: Mapped[str | None] = mapped_column(String(36))
    proposed_provider_id: Mapped[str | None] = mapped_column(String(36))
    proposed_in_region: Mapped[bool | None]
    reservation_id: Mapped[str | None] = mapped_column(String(36))
    expires_at: Mapped[datetime | None] = mapped_column(sa.DateTime(timezone=True))
    proposal_reasons: Mapped[list[str] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)
    # Every unit weighed, as one JSON array in rank order (ranked first, then the excluded ones):
    # stored and read back as it is, so a decision over thousands of units is one row, not thousands.
    weighed: Mapped[str] = mapped_column(sa.Text)
    # Units outside the region counted per reason instead of listed (see domain.Ranking).
    outside_counted: Mapped[dict[str, int]] = mapped_column(JSON)
    # Units whose own ages or target groups do not admit the child, counted per reason (see domain.Ranking).
    unfit_counted: Mapped[dict[str, int]] = mapped_column(JSON)
    # The group and production rules that applied to a unit of the decision, by id, with the reason
    # each gives and its words in Dutch and English as they were configured then (migration 0008).
    rules: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)
    # School, distance and wishes (migration 0007): what was asked, how far the proposed unit lies
    # from home and school, and the Dutch and English words of the codes the decision could use.
    school_municipality_code: Mapped[str | None] = mapped_column(String(16))
    max_travel_km: Mapped[float | None] = mapped_column(sa.Float)
    wishes: Mapped[list[str]] = mapped_column(JSON)
    proposed_distance_home_km: Mapped[float | None] = mapped_column(sa.Float)
    proposed_distance_school_km: Mapped[float | None] = mapped_column(sa.Float)
    labels: Mapped[dict[str, dict[str, str]]] = mapped_column(JSON)


decisions = cast(sa.Table, DecisionRow.__table__)
# A stored decision as read: a mapped DecisionRow or a plain row of the decisions table.
StoredDecision = DecisionRow | sa.Row[Any]


# Asked before every decision, and nearly always answered "none": a plain Core query, built once.
_BY_REQUEST_ID = select(decisions).where(decisions.c.request_id == sa.bindparam("request_id"))


async def decision_by_request_id(session: AsyncSession, request_id: str) -> StoredDecision | None:
    return (await session.execute(_BY_REQUEST_ID, {"request_id": request_id})).first()


async def decision_by_id(session: AsyncSession, decision_id: str) -> DecisionRow | None:
    return await session.get(DecisionRow, decision_id)


async def decisions_for_referral(session: AsyncSession, referral_id: str) -> list[DecisionRow]:
    result = await session.execute(
        select(DecisionRow)
        .where(DecisionRow.referral_id == referral_id)
        .order_by(DecisionRow.created_at.desc(), DecisionRow.id.desc())
    )
    return list(result.scalars())


# Every decision is stored with it: built once.
_INSERT = sa.insert(decisions)


async def insert_decision(session: AsyncSession, decision: dict[str, Any]) -> None:
    await session.execute(_INSERT, [decision])


class GroupDecisionRow(Base):
    """A decision for siblings kept together: every child with the units weighed for it, and the joint
    options weighed for the group (see joint.py)."""

    __tablename__ = "group_decisions"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # Unique, as for a decision: two identical requests racing cannot both store (and both hold).
    request_id: Mapped[str] = mapped_column(String(200), unique=True)
    group_id: Mapped[str] = mapped_column(String(36), index=True)
    hold_until: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True))
    outcome: Mapped[str] = mapped_column(String(16))
    reasons: Mapped[list[str]] = mapped_column(JSON)
    # Per child: what was asked, its proposal or reasons, and its units weighed (as a decision keeps them).
    children: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # The joint options, in rank order, each with the unit of every child and its score.
    options: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(sa.DateTime(timezone=True), index=True)


group_decisions = cast(sa.Table, GroupDecisionRow.__table__)

_GROUP_BY_REQUEST_ID = select(group_decisions).where(group_decisions.c.request_id == sa.bindparam("request_id"))


async def group_decision_by_request_id(session: AsyncSession, request_id: str) -> sa.Row[Any] | None:
    return (await session.execute(_GROUP_BY_REQUEST_ID, {"request_id": request_id})).first()


async def group_decision_by_id(session: AsyncSession, decision_id: str) -> sa.Row[Any] | None:
    return (await session.execute(select(group_decisions).where(group_decisions.c.id == decision_id))).first()


async def group_decisions_for(session: AsyncSession, group_id: str) -> list[sa.Row[Any]]:
    result = await session.execute(
        select(group_decisions)
        .where(group_decisions.c.group_id == group_id)
        .order_by(group_decisions.c.created_at.desc(), group_decisions.c.id.desc())
    )
    return list(result.all())


_INSERT_GROUP = sa.insert(group_decisions)


async def insert_group_decision(session: AsyncSession, decision: dict[str, Any]) -> None:
    await session.execute(_INSERT_GROUP, [decision])
