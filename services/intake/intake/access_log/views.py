"""Routes of the security officer: the access log across referrals and subject access requests."""

from typing import Annotated

from fastapi import APIRouter, Query

from common.auth import Auditor
from common.bounds import Offset
from common.openapi import problem_responses
from intake.access_log import service as access_log
from intake.access_log import subject_access
from intake.access_log.schemas import AccessLogPage, SubjectAccessIn, SubjectAccessOut
from intake.deps import ContextDep

router = APIRouter(tags=["audit"])

NO_NUL = r"^[^\x00]*$"
PERIOD = "A date (the whole day counts) or an ISO 8601 moment; UTC when it names no offset."


@router.get(
    "/v1/access-log",
    response_model=AccessLogPage,
    operation_id="list_access_log",
    responses=problem_responses(401, 403, 422, 503),
)
async def list_access_log(
    principal: Auditor,
    ctx: ContextDep,
    actor: Annotated[str | None, Query(min_length=1, max_length=200, pattern=NO_NUL)] = None,
    referral_id: Annotated[str | None, Query(min_length=1, max_length=36, pattern=NO_NUL)] = None,
    action: Annotated[str | None, Query(min_length=1, max_length=32, pattern=NO_NUL)] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=40, description=PERIOD)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=40, description=PERIOD)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> AccessLogPage:
    """Who read or changed which child's referral, and who was refused one; newest first."""
    since, until = access_log.period(date_from, date_to)
    wanted = access_log.AccessLogFilter(actor=actor, referral_id=referral_id, action=action, since=since, until=until)
    return await access_log.list_access_log(ctx, principal, wanted, limit, offset)


@router.post(
    "/v1/subject-access",
    response_model=SubjectAccessOut,
    operation_id="subject_access",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def request_subject_access(body: SubjectAccessIn, principal: Auditor, ctx: ContextDep) -> SubjectAccessOut:
    """Everything intake holds about the child with this BSN, its access log, and its pseudonymous key."""
    return await subject_access.subject_access(ctx, principal, body.bsn)
