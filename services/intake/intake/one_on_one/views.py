"""Routes of one-on-one supervision hours (PUT by the provider of the placement, GET by its readers)."""

from __future__ import annotations

from fastapi import APIRouter

from common.deps import IdPath
from common.openapi import problem_responses
from intake.deps import ContextDep, Provider, Reader
from intake.one_on_one import service
from intake.one_on_one.schemas import OneOnOneIn, OneOnOneList, OneOnOneOut

router = APIRouter(tags=["referrals"])


@router.put(
    "/v1/referrals/{id}/one-on-one",
    operation_id="record_one_on_one",
    responses=problem_responses(400, 401, 403, 404, 409, 413, 422, 503),
)
async def record_one_on_one(referral_id: IdPath, body: OneOnOneIn, principal: Provider, ctx: ContextDep) -> OneOnOneOut:
    """The hours of one-on-one supervision of a placed child in an ISO week (`2026-W49`); the same week
    again replaces them."""
    return await service.record_hours(ctx, principal, referral_id, body)


@router.get(
    "/v1/referrals/{id}/one-on-one",
    operation_id="list_one_on_one",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def list_one_on_one(referral_id: IdPath, principal: Reader, ctx: ContextDep) -> OneOnOneList:
    return await service.hours_of(ctx, principal, referral_id)
