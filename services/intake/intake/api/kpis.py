"""Route of the indicators."""

from datetime import timedelta

from fastapi import APIRouter

from common.auth import Coordinator
from common.bounds import PeriodEnd, PeriodStart
from common.openapi import problem_responses
from intake import kpis
from intake.api.deps import ContextDep
from intake.kpis import KpiReport

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
