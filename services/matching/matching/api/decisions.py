"""Decisions: POST for the intake service, reads for intake and coordinators."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query, Request, Response

from common.auth import CoordinatorOrService, FromIntake
from common.deps import ClockDep, DatabaseDep
from common.openapi import problem_responses
from contracts.matching import Decision, DecisionList, DecisionRequest, DecisionWithCandidates
from matching import service
from matching.domain import check_hold_until

router = APIRouter(prefix="/v1/decisions", tags=["decisions"])


@router.post(
    "",
    response_model=Decision,
    operation_id="take_decision",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def take_decision(
    body: DecisionRequest, request: Request, _caller: FromIntake, database: DatabaseDep, clock: ClockDep
) -> Decision:
    check_hold_until(body.hold_until, clock.now(), timedelta(days=request.app.state.settings.max_hold_days))
    state = request.app.state
    return await service.decide(
        database,
        state.capacity,
        clock,
        body,
        rules=state.placement_rules,
        vocabulary=state.vocabulary,
        factors=state.settings.matching_factors,
        replica=state.replica,
    )


# The reads answer the stored candidate lists as stored (see record.decision_json): a decision can
# weigh thousands of units, and validating each again through pydantic would dominate the read.


@router.get(
    "",
    response_model=DecisionList,
    operation_id="list_decisions",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_decisions(
    referral_id: Annotated[str, Query(min_length=1, max_length=64)],
    _caller: CoordinatorOrService,
    database: DatabaseDep,
) -> Response:
    return json_response(await service.decisions_for_referral(database, referral_id))


@router.get(
    "/{decision_id}",
    response_model=DecisionWithCandidates,
    operation_id="get_decision",
    responses=problem_responses(401, 403, 404, 422, 503),
)
async def read_decision(decision_id: str, _caller: CoordinatorOrService, database: DatabaseDep) -> Response:
    return json_response(await service.get_decision(database, decision_id))


def json_response(body: dict[str, Any]) -> Response:
    return Response(orjson.dumps(body), media_type="application/json")
