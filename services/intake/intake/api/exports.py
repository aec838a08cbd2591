"""Routes of the CSV exports for analysis."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from common.auth import Coordinator
from common.openapi import problem_responses
from intake import exports
from intake.api.deps import ContextDep

router = APIRouter(prefix="/v1/exports", tags=["exports"])

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


@router.get(
    "/placements.csv",
    response_class=CsvResponse,
    operation_id="export_placements",
    responses=_csv_responses("One row per placement, for analysis"),
)
async def placements_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.placements_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("placements.csv"))


@router.get(
    "/signals.csv",
    response_class=CsvResponse,
    operation_id="export_signals",
    responses=_csv_responses("One row per signal, for analysis"),
)
async def signals_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.signals_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("signals.csv"))
