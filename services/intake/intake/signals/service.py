"""The coordinator's work on the signals: the list, always up to date with the crisis cap, and the
acknowledgement with an analysis."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.sql.selectable import NamedFromClause

from common.auth import Principal
from common.errors import Conflict, Forbidden, NotFound
from contracts import lists
from intake import domain
from intake.access_log.store import record, record_referrals
from intake.context import Context, Row
from intake.db import referrals, signals
from intake.domain import Status
from intake.referrals.visibility import visible
from intake.schemas import SignalOut, SignalPage
from intake.signals.resolution import bring_up_to_date
from intake.signals.rules import CRISIS_CAP_TYPES, SignalStatus, SignalType, condition_key
from intake.signals.store import SignalCounts, open_signal, render, signal_counts

# Built once, with the values bound at execution (the columns to set named by the parameters).
_ACKNOWLEDGE = sa.update(signals).where(
    signals.c.id == sa.bindparam("signal_id"), signals.c.status == SignalStatus.open.value
)
_SIGNAL = sa.select(signals).where(signals.c.id == sa.bindparam("signal_id"))


class SignalAlreadyAcknowledged(Conflict):
    """An acknowledged signal keeps its first analysis."""


def _about(found: Iterable[Row]) -> list[tuple[str | None, str | None]]:
    """The access log's subject of each signal: its referral and child."""
    return [(row["referral_id"], row["client_key"]) for row in found]


def _require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator works the signals.")


# The stay a signal is about: its live crisis figures.
_STAY = referrals.alias("stay")


def urgency_order(today: date, stay: NamedFromClause = _STAY) -> tuple[sa.ColumnElement[Any], ...]:
    """The order of the signal list, most urgent first: open before acknowledged; live (unresolved)
    before resolved; among the live ones, past the crisis cap first (most days past first), then the
    crisis-cap warnings by days left, then every other signal newest first. The crisis days are those
    of the stay now, read from the stay (`stay`, the signal's referral joined), not those stored when
    the signal was raised."""
    live = signals.c.resolved_at.is_(None)
    running_crisis = sa.and_(stay.c.status == Status.placed.value, stay.c.crisis_end_date.is_not(None))
    tier = sa.case(
        (sa.and_(live, signals.c.type == SignalType.crisis_cap_exceeded.value), 0),
        (sa.and_(live, signals.c.type == SignalType.crisis_cap_approaching.value), 1),
        else_=2,
    )
    cap = sa.case((sa.and_(tier < 2, running_crisis), stay.c.crisis_end_date), else_=None)
    return (
        sa.case((signals.c.status == SignalStatus.open.value, 0), else_=1),
        sa.case((live, 0), else_=1),
        tier,
        cap.asc().nulls_last(),
        signals.c.created_at.desc(),
        signals.c.id.desc(),
    )


def urgency_parts() -> tuple[tuple[sa.ColumnElement[bool], bool], ...]:
    """The signal list in three parts that follow each other in urgency_order, each with whether its
    own order is the whole urgency order (True) or only newest first (False). First the signals whose
    place depends on more than their age: the open ones and the live crisis-cap ones, few (the
    coordinators' work at hand and the running crisis stays). Then the other acknowledged ones, newest
    first: the live ones (among them every event-only signal, live for ever), then the resolved ones.
    Each part is read up to the end of the page asked for, so that a page does not sort the history."""
    live = signals.c.resolved_at.is_(None)
    acknowledged = signals.c.status == SignalStatus.acknowledged.value
    crisis = signals.c.type.in_([kind.value for kind in CRISIS_CAP_TYPES])
    return (
        (sa.or_(signals.c.status == SignalStatus.open.value, sa.and_(live, crisis)), True),
        (sa.and_(acknowledged, live, sa.not_(crisis)), False),
        (sa.and_(acknowledged, signals.c.resolved_at.is_not(None)), False),
    )


def live_crisis_days(row: Row, today: date) -> int | None:
    """Days left before the cap of the stay of a row of the list, now; None unless a running crisis stay."""
    end = row["stay_crisis_end_date"]
    if end is None or row["stay_status"] != Status.placed.value:
        return None
    return domain.crisis_days_left(end, today)


async def list_signals(
    ctx: Context,
    principal: Principal,
    *,
    type: SignalType | str | None = None,
    status: SignalStatus | str | None = None,
    resolved: bool | None = None,
    limit: int = 50,
    offset: int = 0,
    caps_evaluated: bool = False,
) -> SignalPage:
    """The signals up to date at this moment, most urgent first (urgency_order): due time-driven
    signals opened and gone conditions resolved first (`caps_evaluated` when the caller has just done
    that, as the indicators do)."""
    _require_coordinator(principal)
    if not caps_evaluated:
        await bring_up_to_date(ctx)
    today = ctx.today()
    conditions = []
    if type is not None:
        conditions.append(signals.c.type == SignalType(type).value)
    if status is not None:
        conditions.append(signals.c.status == SignalStatus(status).value)
    if resolved is not None:
        conditions.append(signals.c.resolved_at.is_not(None) if resolved else signals.c.resolved_at.is_(None))
    joined = signals.outerjoin(_STAY, _STAY.c.id == signals.c.referral_id)
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(sa.select(sa.func.count()).select_from(signals).where(*conditions)) or 0)
        listed: list[Row] = []
        for part, whole_order in urgency_parts():
            order = urgency_order(today) if whole_order else (signals.c.created_at.desc(), signals.c.id.desc())
            listed += (
                (
                    await session.execute(
                        sa.select(
                            signals,
                            _STAY.c.status.label("stay_status"),
                            _STAY.c.crisis_end_date.label("stay_crisis_end_date"),
                        )
                        .select_from(joined)
                        .where(part, *conditions)
                        .order_by(*order)
                        .limit(offset + limit - len(listed))
                    )
                )
                .mappings()
                .all()
            )
            if len(listed) >= offset + limit:
                break
        found = listed[offset : offset + limit]
        await record(session, principal, "read_signals", ctx.now(), _about(found))
    return SignalPage(
        items=[render(row, crisis_days_left=live_crisis_days(row, today)) for row in found],
        **lists.page(total, limit, offset, len(found)),
    )


async def acknowledge(ctx: Context, principal: Principal, signal_id: str, analysis: str) -> SignalOut:
    """Close a signal with the coordinator's explanatory analysis, keeping who and when."""
    _require_coordinator(principal)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        closed = await session.execute(
            _ACKNOWLEDGE,
            {
                "signal_id": signal_id,
                "status": SignalStatus.acknowledged.value,
                "open_key": None,
                "analysis": analysis,
                "acknowledged_by": principal.sub,
                "acknowledged_at": now,
            },
        )
        row = (await session.execute(_SIGNAL, {"signal_id": signal_id})).mappings().first()
        if row is None:
            raise NotFound(f"No signal {signal_id}.")
        if closed.rowcount != 1:  # type: ignore[attr-defined]
            raise SignalAlreadyAcknowledged(f"Signal {signal_id} was already acknowledged by {row['acknowledged_by']}.")
        await record(session, principal, "acknowledge_signal", now, _about([row]))
        return render(row)


async def raise_placement_at_risk(
    ctx: Context, principal: Principal, referral_id: str, note: str
) -> tuple[bool, SignalOut]:
    """The provider of a placement reports that the stay is at risk. A second report while the first
    is open adds its note to that signal. Returns (opened, the signal)."""
    now = ctx.now()
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id, lock=True)
        if not principal.acts_for_provider(row["placement_provider_id"]):
            raise Forbidden("Only the provider of the placement may report that it is at risk.")
        domain.require_status(row["status"], (Status.placed,), "report a risk to the stay of")
        report = {"note": note, "by": principal.sub, "at": now.isoformat()}
        opened = await open_signal(
            session,
            SignalType.placement_at_risk,
            referral_id=referral_id,
            client_key=row["client_key"],
            scope=referral_id,
            detail={"provider_id": row["placement_provider_id"], "note": note, "notes": [report]},
            now=now,
        )
        key = condition_key(SignalType.placement_at_risk, row["client_key"], referral_id)
        signal = (
            (await session.execute(sa.select(signals).where(signals.c.open_key == key).with_for_update()))
            .mappings()
            .one()
        )
        if not opened:
            detail = dict(signal["detail"] or {})
            detail["notes"] = [*detail.get("notes", []), report]
            await session.execute(sa.update(signals).where(signals.c.id == signal["id"]).values(detail=detail))
            signal = (await session.execute(sa.select(signals).where(signals.c.id == signal["id"]))).mappings().one()
        await record_referrals(session, principal, "raise_signal", [row], now)
        return opened, render(signal, show_client_key=False)


@dataclass(frozen=True)
class CrisisStayNow:
    """A running crisis stay and where it stands against its cap today."""

    referral_id: str
    client_key: str
    provider_id: str | None
    start_date: date
    crisis_end_date: date
    days_left: int
    # The live crisis-cap signal of the stay (signals.store.SignalCounts.crisis), None without one.
    signal: str | None


@dataclass(frozen=True)
class SignalsNow:
    counts: SignalCounts
    crisis_stays: list[CrisisStayNow]


async def signals_now(ctx: Context, principal: Principal, *, brought_up_to_date: bool = False) -> SignalsNow:
    """The counts of the signals and the running crisis stays, read in one transaction so that the
    crisis stays past their cap are exactly the stays counted under crisis_cap_exceeded."""
    _require_coordinator(principal)
    if not brought_up_to_date:
        await bring_up_to_date(ctx)
    today = ctx.today()
    r = referrals.c
    async with ctx.database.transaction() as session:
        counts = await signal_counts(session)
        rows = (
            (
                await session.execute(
                    sa.select(r.id, r.client_key, r.placement_provider_id, r.start_date, r.crisis_end_date)
                    .where(r.status == Status.placed.value, r.crisis_end_date.is_not(None))
                    .order_by(r.crisis_end_date, r.id)
                )
            )
            .mappings()
            .all()
        )
        await record(session, principal, "list", ctx.now(), [(row["id"], row["client_key"]) for row in rows])
    stays = [
        CrisisStayNow(
            referral_id=row["id"],
            client_key=row["client_key"],
            provider_id=row["placement_provider_id"],
            start_date=row["start_date"],
            crisis_end_date=row["crisis_end_date"],
            days_left=(row["crisis_end_date"] - today).days,
            signal=counts.crisis.get(row["id"]),
        )
        for row in rows
    ]
    return SignalsNow(counts=counts, crisis_stays=stays)
