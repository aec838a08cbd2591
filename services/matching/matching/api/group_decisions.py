"""Group decisions: siblings kept together, decided as one (POST for intake, reads for intake and coordinators)."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from common.auth import CoordinatorOrService, FromIntake
from common.deps import ClockDep, DatabaseDep
from common.openapi import problem_responses
from contracts.matching import GroupDecision, GroupDecisionList, GroupDecisionRequest, GroupDecisionWithOptions
from matching import joint_service
from matching.api.decisions import json_response
from matching.domain import check_hold_until

router = APIRouter(prefix="/v1/group-decisions", tags=["decisions"])


@router.post(
    "",
    response_model=GroupDecision,
    operation_id="take_group_decision",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def take_group_decision(
    body: GroupDecisionRequest, request: Request, _caller: FromIntake, database: DatabaseDep, clock: ClockDep
) -> GroupDecision:
    check_hold_until(body.hold_until, clock.now(), timedelta(days=request.app.state.settings.max_hold_days))
    return await joint_service.decide_group(
        database,
        request.app.state.capacity,
        clock,
        body,
        rules=request.app.state.placement_rules,
        vocabulary=request.app.state.vocabulary,
        factors=request.app.state.settings.matching_factors,
        replica=request.app.state.replica,
    )


@router.get(
    "",
    response_model=GroupDecisionList,
    operation_id="list_group_decisions",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_group_decisions(
    group_id: Annotated[str, Query(min_length=1, max_length=64)],
    _caller: CoordinatorOrService,
    database: DatabaseDep,
) -> Response:
    return json_response(await joint_service.group_decisions_for(database, group_id))


@router.get(
    "/{decision_id}",
    response_model=GroupDecisionWithOptions,
    operation_id="get_group_decision",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def read_group_decision(decision_id: str, _caller: CoordinatorOrService, database: DatabaseDep) -> Response:
    return json_response(await joint_service.get_group_decision(database, decision_id))
