"""Routes of the signals: a provider reports a stay at risk; coordinators list and acknowledge."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse

from common.auth import Coordinator
from common.bounds import Offset
from common.deps import IdPath
from common.openapi import problem_responses
from intake.deps import ContextDep, Provider
from intake.schemas import AcknowledgeIn, RaiseSignalIn, SignalOut, SignalPage
from intake.signals import service as signals
from intake.signals.rules import SignalStatus, SignalType

router = APIRouter(tags=["signals"])


@router.post(
    "/v1/referrals/{id}/signals",
    status_code=201,
    response_model=SignalOut,
    operation_id="raise_signal",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def raise_signal(referral_id: IdPath, body: RaiseSignalIn, principal: Provider, ctx: ContextDep) -> JSONResponse:
    """201 with a new signal; 200 with the open one when the stay is already reported at risk."""
    opened, signal = await signals.raise_placement_at_risk(ctx, principal, referral_id, body.note)
    return JSONResponse(signal.model_dump(mode="json"), status_code=201 if opened else 200)


@router.get(
    "/v1/signals",
    response_model=SignalPage,
    operation_id="list_signals",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_signals(
    principal: Coordinator,
    ctx: ContextDep,
    type: SignalType | None = None,
    status: SignalStatus | None = None,
    resolved: Annotated[
        bool | None, Query(description="true: only signals whose condition has gone; false: only live ones")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> SignalPage:
    """Most urgent first: open before acknowledged, live before resolved, past the crisis cap first
    (most days past first), then the crisis-cap warnings by days left, then the rest newest first."""
    return await signals.list_signals(
        ctx, principal, type=type, status=status, resolved=resolved, limit=limit, offset=offset
    )


@router.post(
    "/v1/signals/{id}/acknowledge",
    response_model=SignalOut,
    operation_id="acknowledge_signal",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def acknowledge(signal_id: IdPath, body: AcknowledgeIn, principal: Coordinator, ctx: ContextDep) -> SignalOut:
    return await signals.acknowledge(ctx, principal, signal_id, body.analysis)
