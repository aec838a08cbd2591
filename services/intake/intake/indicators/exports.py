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
from intake.db import referrals, signals
from intake.domain import age_on
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
)

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
    "resolved_at",
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
        row["resolved_at"],
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
