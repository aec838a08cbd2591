"""Decisions: POST for the intake service, reads for intake and coordinators."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request

from common.auth import CoordinatorOrService, Service
from common.deps import ClockDep, DatabaseDep
from matching import service
from matching.schemas import Decision, DecisionList, DecisionRequest, DecisionWithCandidates

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.post("", response_model=Decision)
async def take_decision(
    body: DecisionRequest, request: Request, _caller: Service, database: DatabaseDep, clock: ClockDep
) -> Decision:
    return await service.decide(database, request.app.state.capacity, clock, body)


@router.get("", response_model=DecisionList)
async def list_decisions(
    referral_id: Annotated[str, Query(min_length=1, max_length=64)],
    _caller: CoordinatorOrService,
    database: DatabaseDep,
) -> DecisionList:
    return DecisionList(items=await service.decisions_for_referral(database, referral_id))


@router.get("/{decision_id}", response_model=DecisionWithCandidates)
async def read_decision(
    decision_id: str, _caller: CoordinatorOrService, database: DatabaseDep
) -> DecisionWithCandidates:
    return await service.get_decision(database, decision_id)
