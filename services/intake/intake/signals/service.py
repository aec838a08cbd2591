"""The coordinator's work on the signals: the list, always up to date with the crisis cap, and the
acknowledgement with an analysis."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from common.auth import Principal
from common.errors import Conflict, Forbidden, NotFound
from intake import domain
from intake.access_log.store import record, record_referrals
from intake.context import Context, Row
from intake.db import signals
from intake.domain import Status
from intake.referrals.visibility import visible
from intake.schemas import SignalOut, SignalPage
from intake.signals.authorisations import evaluate_authorisations
from intake.signals.rules import SignalStatus, SignalType, condition_key
from intake.signals.store import evaluate_crisis_caps, open_signal, render


class SignalAlreadyAcknowledged(Conflict):
    """An acknowledged signal keeps its first analysis."""


def _about(found: Iterable[Row]) -> list[tuple[str | None, str | None]]:
    """The access log's subject of each signal: its referral and child."""
    return [(row["referral_id"], row["client_key"]) for row in found]


def _require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator works the signals.")


async def list_signals(
    ctx: Context,
    principal: Principal,
    *,
    type: SignalType | str | None = None,
    status: SignalStatus | str | None = None,
    limit: int = 50,
    offset: int = 0,
    caps_evaluated: bool = False,
) -> SignalPage:
    """The signals, newest first, up to date at this moment: due crisis-cap signals open first
    (`caps_evaluated` when the caller has just done that, as the indicators do)."""
    _require_coordinator(principal)
    if not caps_evaluated:
        await evaluate_crisis_caps(ctx)
        await evaluate_authorisations(ctx)
    conditions = []
    if type is not None:
        conditions.append(signals.c.type == SignalType(type).value)
    if status is not None:
        conditions.append(signals.c.status == SignalStatus(status).value)
    async with ctx.database.transaction() as session:
        total = await session.scalar(sa.select(sa.func.count()).select_from(signals).where(*conditions))
        found = list(
            (
                await session.execute(
                    sa.select(signals)
                    .where(*conditions)
                    .order_by(signals.c.created_at.desc(), signals.c.id.desc())
                    .limit(limit)
                    .offset(offset)
                )
            )
            .mappings()
            .all()
        )
        await record(session, principal, "read_signals", ctx.now(), _about(found))
    return SignalPage(items=[render(row) for row in found], total=int(total or 0), limit=limit, offset=offset)


async def acknowledge(ctx: Context, principal: Principal, signal_id: str, analysis: str) -> SignalOut:
    """Close a signal with the coordinator's explanatory analysis, keeping who and when."""
    _require_coordinator(principal)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        closed = await session.execute(
            sa.update(signals)
            .where(signals.c.id == signal_id, signals.c.status == SignalStatus.open.value)
            .values(
                status=SignalStatus.acknowledged.value,
                open_key=None,
                analysis=analysis,
                acknowledged_by=principal.sub,
                acknowledged_at=now,
            )
        )
        row = (await session.execute(sa.select(signals).where(signals.c.id == signal_id))).mappings().first()
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
