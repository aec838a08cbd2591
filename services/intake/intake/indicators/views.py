"""Routes of the indicators and of the CSV exports for analysis."""

from datetime import timedelta
from typing import Any

from fastapi import APIRouter, Response
from fastapi.responses import StreamingResponse

from common.auth import Coordinator
from common.bounds import PeriodEnd, PeriodStart
from common.openapi import problem_responses
from intake.deps import ContextDep
from intake.indicators import exports, kpis
from intake.indicators.schemas import KpiReport

router = APIRouter(tags=["indicators"])

DEFAULT_PERIOD_DAYS = 90


@router.get(
    "/v1/kpis",
    response_model=KpiReport,
    operation_id="get_kpis",
    responses=problem_responses(401, 403, 422, 503),
)
async def read_kpis(
    principal: Coordinator,
    ctx: ContextDep,
    date_from: PeriodStart = None,
    date_to: PeriodEnd = None,
) -> KpiReport:
    """The indicators for the period [from, to]; without dates, the last 90 days up to today."""
    date_to = date_to or ctx.today()
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS)
    return await kpis.compute_kpis(ctx, principal, date_from, date_to)


exports_router = APIRouter(prefix="/v1/exports", tags=["exports"])

CSV = "text/csv; charset=utf-8"


class CsvResponse(StreamingResponse):
    media_type = "text/csv"


def _csv_responses(what: str) -> dict[int | str, dict[str, Any]]:
    return {
        200: {"description": what, "content": {"text/csv": {"schema": {"type": "string"}}}},
        **problem_responses(401, 403, 503),
    }


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@exports_router.get(
    "/placements.csv",
    response_class=CsvResponse,
    operation_id="export_placements",
    responses=_csv_responses("One row per placement, for analysis"),
)
async def placements_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.placements_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("placements.csv"))


@exports_router.get(
    "/signals.csv",
    response_class=CsvResponse,
    operation_id="export_signals",
    responses=_csv_responses("One row per signal, for analysis"),
)
async def signals_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.signals_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("signals.csv"))


@exports_router.get(
    "/declines.csv",
    response_class=CsvResponse,
    operation_id="export_declines",
    responses=_csv_responses("One row per declined proposal with its reason code, for the region's purchasing"),
)
async def declines_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.declines_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("declines.csv"))


@exports_router.get(
    "/one-on-one.csv",
    response_class=CsvResponse,
    operation_id="export_one_on_one",
    responses=_csv_responses("One row per child and ISO week of recorded one-on-one supervision"),
)
async def one_on_one_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.one_on_one_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("one-on-one.csv"))


@exports_router.get(
    "/indicators.csv",
    response_class=CsvResponse,
    operation_id="export_indicators",
    responses={
        **_csv_responses("One row per indicator of the period, with numerator and denominator"),
        **problem_responses(422),
    },
)
async def indicators_csv(
    principal: Coordinator, ctx: ContextDep, date_from: PeriodStart = None, date_to: PeriodEnd = None
) -> Response:
    """The indicators of GET /v1/kpis for the period [from, to] (the same default period), as CSV."""
    date_to = date_to or ctx.today()
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS)
    report = await kpis.compute_kpis(ctx, principal, date_from, date_to)
    return Response(exports.indicators_csv(report), media_type=CSV, headers=_attachment("indicators.csv"))
