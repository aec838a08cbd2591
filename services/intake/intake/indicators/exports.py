"""CSV exports for analysis outside the point: stays and signals by the pseudonymous client key, never
the BSN and no free text. Rows are streamed from the database, not gathered in memory."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator, Callable, Sequence
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa

from common.auth import Principal
from common.clock import as_utc
from common.errors import Forbidden
from intake.access_log.store import record_selected
from intake.context import Context
from intake.db import one_on_one_hours, proposal_declines, referrals, signals
from intake.domain import age_on
from intake.indicators.schemas import KpiReport
from intake.signals.rules import export_detail

BATCH = 500

PLACEMENT_COLUMNS = (
    "referral_id",
    "client_key",
    "status",
    "care_type",
    "target_group",
    "part_time",
    "municipality_code",
    "age_at_start",
    "referral_date",
    "provider_id",
    "unit_id",
    "in_region",
    "out_of_region_criterion",
    "start_date",
    "end_date",
    "end_reason",
    "crisis_end_date",
    "child_heard",
    "contracted",
)

# A decline's code, never its free text.
DECLINE_COLUMNS = ("decline_id", "referral_id", "client_key", "provider_id", "unit_id", "reason_code", "declined_at")

ONE_ON_ONE_COLUMNS = ("referral_id", "client_key", "provider_id", "week", "week_start", "hours", "above_limit")

INDICATOR_COLUMNS = ("period_from", "period_to", "name", "label", "value", "numerator", "denominator", "unit")

SIGNAL_COLUMNS = (
    "signal_id",
    "type",
    "status",
    "referral_id",
    "client_key",
    "created_at",
    "acknowledged_by",
    "acknowledged_at",
    "detail",
)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _lines(rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([[_text(v) for v in row] for row in rows])
    return buffer.getvalue()


def _placement_row(row: sa.RowMapping) -> list[Any]:
    return [
        row["id"],
        row["client_key"],
        row["status"],
        row["care_type"],
        row["target_group"],
        row["part_time"],
        row["municipality_code"],
        age_on(row["birth_date"], row["start_date"]),
        as_utc(row["created_at"]).date(),
        row["placement_provider_id"],
        row["placement_unit_id"],
        row["placement_in_region"],
        row["out_of_region_criterion"],
        row["start_date"],
        row["end_date"],
        row["end_reason"],
        row["crisis_end_date"],
        row["child_heard"],
        row["placement_contracted"],
    ]


def _signal_row(row: sa.RowMapping) -> list[Any]:
    return [
        row["id"],
        row["type"],
        row["status"],
        row["referral_id"],
        row["client_key"],
        row["created_at"],
        row["acknowledged_by"],
        row["acknowledged_at"],
        json.dumps(export_detail(row["detail"]), sort_keys=True, separators=(",", ":")),
    ]


async def _log_export(ctx: Context, principal: Principal, action: str, source: sa.Select[Any]) -> None:
    """One access-log row per exported child record."""
    async with ctx.database.transaction() as session:
        await record_selected(session, principal, action, ctx.now(), source)


async def _stream(
    ctx: Context, header: Sequence[str], query: sa.Select[Any], render: Callable[[sa.RowMapping], list[Any]]
) -> AsyncIterator[str]:
    yield _lines([header])
    async with ctx.database.read() as session:
        result = await session.stream(query.execution_options(yield_per=BATCH))
        async for batch in result.mappings().partitions(BATCH):
            yield _lines([render(row) for row in batch])


def _require_coordinator(principal: Principal) -> None:
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator exports.")


async def placements_csv(ctx: Context, principal: Principal) -> AsyncIterator[str]:
    """Every stay (placed or ended), oldest start first."""
    _require_coordinator(principal)
    stays = referrals.c.start_date.is_not(None)
    await _log_export(
        ctx, principal, "export_placements", sa.select(referrals.c.id, referrals.c.client_key).where(stays)
    )
    query = sa.select(referrals).where(stays).order_by(referrals.c.start_date, referrals.c.id)
    return _stream(ctx, PLACEMENT_COLUMNS, query, _placement_row)


async def signals_csv(ctx: Context, principal: Principal) -> AsyncIterator[str]:
    """Every signal, oldest first; the detail without its free text."""
    _require_coordinator(principal)
    await _log_export(ctx, principal, "export_signals", sa.select(signals.c.referral_id, signals.c.client_key))
    query = sa.select(signals).order_by(signals.c.created_at, signals.c.id)
    return _stream(ctx, SIGNAL_COLUMNS, query, _signal_row)


def _decline_row(row: sa.RowMapping) -> list[Any]:
    return [
        row["id"],
        row["referral_id"],
        row["client_key"],
        row["provider_id"],
        row["unit_id"],
        row["reason_code"],
        row["created_at"],
    ]


async def declines_csv(ctx: Context, principal: Principal) -> AsyncIterator[str]:
    """Every decline with its reason code, oldest first; the free-text reason stays in intake."""
    _require_coordinator(principal)
    d, r = proposal_declines.c, referrals.c
    joined = proposal_declines.join(referrals, r.id == d.referral_id)
    await _log_export(ctx, principal, "export_declines", sa.select(r.id, r.client_key).select_from(joined))
    query = (
        sa.select(d.id, d.referral_id, r.client_key, d.provider_id, d.unit_id, d.reason_code, d.created_at)
        .select_from(joined)
        .order_by(d.created_at, d.id)
    )
    return _stream(ctx, DECLINE_COLUMNS, query, _decline_row)


async def one_on_one_csv(ctx: Context, principal: Principal) -> AsyncIterator[str]:
    """Every recorded week of one-on-one supervision, by child and week, with whether it is above the
    limit (REGIEPUNT_ONE_ON_ONE_HOURS)."""
    _require_coordinator(principal)
    h, r = one_on_one_hours.c, referrals.c
    joined = one_on_one_hours.join(referrals, r.id == h.referral_id)
    await _log_export(ctx, principal, "export_one_on_one", sa.select(r.id, r.client_key).select_from(joined))
    limit = ctx.settings.one_on_one_hours
    query = (
        sa.select(h.referral_id, r.client_key, h.provider_id, h.week, h.week_start, h.hours)
        .select_from(joined)
        .order_by(h.week_start, h.referral_id)
    )

    def render(row: sa.RowMapping) -> list[Any]:
        return [*(row[column] for column in ONE_ON_ONE_COLUMNS[:-1]), row["hours"] > limit]

    return _stream(ctx, ONE_ON_ONE_COLUMNS, query, render)


def indicators_csv(report: KpiReport) -> str:
    """The indicators of a period, one row each, with numerator and denominator (GET /v1/kpis as CSV)."""
    rows: list[Sequence[Any]] = [INDICATOR_COLUMNS]
    rows += [
        (report.period_from, report.period_to, i.name, i.label, i.value, i.numerator, i.denominator, i.unit)
        for i in report.indicators
    ]
    return _lines(rows)
