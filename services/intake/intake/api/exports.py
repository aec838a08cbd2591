"""Routes of the CSV exports for analysis."""

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from common.auth import Coordinator
from intake import exports
from intake.api.deps import ContextDep

router = APIRouter(prefix="/v1/exports", tags=["exports"])

CSV = "text/csv; charset=utf-8"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/placements.csv", response_class=StreamingResponse)
async def placements_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.placements_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("placements.csv"))


@router.get("/signals.csv", response_class=StreamingResponse)
async def signals_csv(principal: Coordinator, ctx: ContextDep) -> StreamingResponse:
    rows = await exports.signals_csv(ctx, principal)
    return StreamingResponse(rows, media_type=CSV, headers=_attachment("signals.csv"))
