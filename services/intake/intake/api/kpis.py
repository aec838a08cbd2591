"""Route of the indicators."""

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from common.auth import Coordinator
from intake import kpis
from intake.api.deps import ContextDep
from intake.kpis import KpiReport

router = APIRouter(tags=["indicators"])

DEFAULT_PERIOD_DAYS = 90


@router.get("/v1/kpis", response_model=KpiReport)
async def read_kpis(
    principal: Coordinator,
    ctx: ContextDep,
    date_from: Annotated[date | None, Query(alias="from")] = None,
    date_to: Annotated[date | None, Query(alias="to")] = None,
) -> KpiReport:
    """The indicators for the period [from, to]; without dates, the last 90 days up to today."""
    date_to = date_to or ctx.today()
    date_from = date_from or date_to - timedelta(days=DEFAULT_PERIOD_DAYS)
    return await kpis.compute_kpis(ctx, principal, date_from, date_to)
