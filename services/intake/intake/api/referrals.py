"""Routes of the referrals: parse, authorise, call one use case, shape the answer."""

from typing import Annotated, Any

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from common.auth import Coordinator, Referrer
from intake import service
from intake.api.deps import ContextDep, EndingParty, Provider, Reader, ReferrerOrCoordinator
from intake.domain import Status
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

router = APIRouter(prefix="/v1/referrals", tags=["referrals"])


@router.post("", status_code=201, response_model=ReferralOut)
async def submit_referral(
    body: ReferralIn,
    principal: Referrer,
    ctx: ContextDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> JSONResponse:
    status_code, answer = await service.submit_referral(ctx, principal, body, idempotency_key)
    return JSONResponse(answer, status_code=status_code)


@router.get("", response_model=ReferralPage)
async def list_referrals(
    principal: Reader,
    ctx: ContextDep,
    status: Status | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> ReferralPage:
    return await service.list_referrals(ctx, principal, status, limit, offset)


@router.get("/{referral_id}", response_model=ReferralOut)
async def get_referral(referral_id: str, principal: Reader, ctx: ContextDep) -> ReferralOut:
    return await service.get_referral(ctx, principal, referral_id)


@router.post("/{referral_id}/accept", response_model=ReferralOut)
async def accept(referral_id: str, body: AcceptIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await service.accept(ctx, principal, referral_id, body.start_date)


@router.post("/{referral_id}/decline", response_model=ReferralOut)
async def decline(referral_id: str, body: DeclineIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await service.decline(ctx, principal, referral_id, body.reason)


@router.post("/{referral_id}/withdraw", response_model=ReferralOut)
async def withdraw(referral_id: str, principal: ReferrerOrCoordinator, ctx: ContextDep) -> ReferralOut:
    return await service.withdraw(ctx, principal, referral_id)


@router.post("/{referral_id}/end", response_model=ReferralOut)
async def end_stay(referral_id: str, body: EndIn, principal: EndingParty, ctx: ContextDep) -> ReferralOut:
    return await service.end_stay(ctx, principal, referral_id, body.end_date, body.reason)


@router.post("/{referral_id}/extend-crisis", response_model=ReferralOut)
async def extend_crisis(referral_id: str, body: ExtendCrisisIn, principal: Coordinator, ctx: ContextDep) -> ReferralOut:
    return await service.extend_crisis(ctx, principal, referral_id, body.days, body.reason)


@router.post("/{referral_id}/offer", response_model=ReferralOut)
async def offer(referral_id: str, body: OfferIn, principal: Provider, ctx: ContextDep) -> ReferralOut:
    return await service.offer(ctx, principal, referral_id, body.unit_id)


@router.get("/{referral_id}/decision")
async def decisions(referral_id: str, principal: Coordinator, ctx: ContextDep) -> dict[str, Any]:
    return await service.read_decisions(ctx, principal, referral_id)


@router.get("/{referral_id}/access-log", response_model=AccessLogOut)
async def access_log(referral_id: str, principal: Coordinator, ctx: ContextDep) -> AccessLogOut:
    return await service.read_access_log(ctx, principal, referral_id)
