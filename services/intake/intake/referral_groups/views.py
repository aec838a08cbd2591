"""Routes of referral groups: parse, authorise, call one use case, shape the answer."""

from typing import Annotated, Any

from fastapi import APIRouter, Header
from fastapi.responses import JSONResponse

from common.auth import Coordinator, Referrer
from common.deps import IdPath
from common.openapi import problem_responses
from intake.deps import ContextDep, ReferrerOrCoordinator
from intake.referral_groups import service, submit
from intake.referral_groups.schemas import ReferralGroupIn, ReferralGroupOut, SplitIn

router = APIRouter(tags=["referral groups"])


@router.post(
    "/v1/referral-groups",
    status_code=201,
    response_model=ReferralGroupOut,
    operation_id="submit_referral_group",
    responses=problem_responses(400, 401, 403, 409, 413, 422, 503),
)
async def submit_referral_group(
    body: ReferralGroupIn,
    principal: Referrer,
    ctx: ContextDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    status_code, answer = await submit.submit_group(ctx, principal, body, idempotency_key)
    return JSONResponse(answer, status_code=status_code)


@router.get(
    "/v1/referral-groups/{id}",
    response_model=ReferralGroupOut,
    operation_id="get_referral_group",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_referral_group(group_id: IdPath, principal: ReferrerOrCoordinator, ctx: ContextDep) -> ReferralGroupOut:
    return await service.get_group(ctx, principal, group_id)


@router.post(
    "/v1/referral-groups/{id}/split",
    response_model=ReferralGroupOut,
    operation_id="split_referral_group",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def split_referral_group(
    group_id: IdPath, body: SplitIn, principal: ReferrerOrCoordinator, ctx: ContextDep
) -> ReferralGroupOut:
    return await service.split_group(ctx, principal, group_id, body.code, body.justification)


@router.get(
    "/v1/referral-groups/{id}/decisions",
    operation_id="get_referral_group_decisions",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def decisions(group_id: IdPath, principal: Coordinator, ctx: ContextDep) -> dict[str, Any]:
    return await service.group_decisions(ctx, principal, group_id)
