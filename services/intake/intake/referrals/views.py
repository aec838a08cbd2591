"""Routes of the referrals: parse, authorise, call one use case, shape the answer."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from common.auth import Coordinator, Referrer
from common.bounds import Offset
from common.deps import IdPath
from common.openapi import problem_responses
from intake.deps import ContextDep, EndingParty, Provider, Reader, ReferrerOrCoordinator
from intake.domain import Status
from intake.referrals import lifecycle, placement, reading, submit
from intake.schemas import (
    AcceptIn,
    AccessLogOut,
    DeclineIn,
    EndIn,
    ExtendCrisisIn,
    OfferIn,
    ReferralIn,
    ReferralOut,
    ReferralPage,
)

router = APIRouter(tags=["referrals"])


@router.post(
    "/v1/referrals",
    status_code=201,
    response_model=ReferralOut,
    operation_id="submit_referral",
    responses=problem_responses(400, 401, 403, 409, 413, 422, 503),
)
async def submit_referral(
    body: ReferralIn,
    principal: Referrer,
    ctx: ContextDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    status_code, answer = await submit.submit_referral(ctx, principal, body, idempotency_key)
    return JSONResponse(answer, status_code=status_code)


@router.get(
    "/v1/referrals",
    response_model=ReferralPage,
    operation_id="list_referrals",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_referrals(
    principal: Reader,
    ctx: ContextDep,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> ReferralPage:
    return await reading.list_referrals(ctx, principal, status, limit, offset)


@router.get(
    "/v1/referrals/{id}",
    response_model=ReferralOut,
    operation_id="get_referral",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def get_referral(referral_id: IdPath, principal: Reader, ctx: ContextDep) -> ReferralOut:
    return await reading.get_referral(ctx, principal, referral_id)


@router.post(
    "/v1/referrals/{id}/accept",
    response_model=ReferralOut,
    operation_id="accept_referral",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def accept(referral_id: IdPath, body: AcceptIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await placement.accept(ctx, principal, referral_id, body.start_date)


@router.post(
    "/v1/referrals/{id}/decline",
    response_model=ReferralOut,
    operation_id="decline_referral",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def decline(referral_id: IdPath, body: DeclineIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await lifecycle.decline(ctx, principal, referral_id, body.reason_code, body.reason)


@router.post(
    "/v1/referrals/{id}/withdraw",
    response_model=ReferralOut,
    operation_id="withdraw_referral",
    responses=problem_responses(401, 403, 404, 409, 422, 503),
)
async def withdraw(referral_id: IdPath, principal: ReferrerOrCoordinator, ctx: ContextDep) -> ReferralOut:
    return await lifecycle.withdraw(ctx, principal, referral_id)


@router.post(
    "/v1/referrals/{id}/end",
    response_model=ReferralOut,
    operation_id="end_stay",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def end_stay(referral_id: IdPath, body: EndIn, principal: EndingParty, ctx: ContextDep) -> ReferralOut:
    return await lifecycle.end_stay(ctx, principal, referral_id, body.end_date, body.reason)


@router.post(
    "/v1/referrals/{id}/extend-crisis",
    response_model=ReferralOut,
    operation_id="extend_crisis",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def extend_crisis(
    referral_id: IdPath, body: ExtendCrisisIn, principal: Coordinator, ctx: ContextDep
) -> ReferralOut:
    return await placement.extend_crisis(ctx, principal, referral_id, body.days, body.reason)


@router.post(
    "/v1/referrals/{id}/offer",
    response_model=ReferralOut,
    operation_id="offer_place",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def offer(referral_id: IdPath, body: OfferIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await lifecycle.offer(ctx, principal, referral_id, body.unit_id)


@router.get(
    "/v1/referrals/{id}/decision",
    operation_id="get_referral_decisions",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def decisions(referral_id: IdPath, principal: Coordinator, ctx: ContextDep) -> dict[str, Any]:
    return await reading.read_decisions(ctx, principal, referral_id)


@router.get(
    "/v1/referrals/{id}/access-log",
    response_model=AccessLogOut,
    operation_id="get_referral_access_log",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def access_log(referral_id: IdPath, principal: Coordinator, ctx: ContextDep) -> AccessLogOut:
    return await reading.read_access_log(ctx, principal, referral_id)
