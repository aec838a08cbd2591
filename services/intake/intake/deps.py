"""Dependencies the intake routes share."""

from typing import Annotated

from fastapi import Depends, Request

from common.auth import Principal, require_roles
from intake.context import Context


async def get_context(request: Request) -> Context:
    return Context.of(request.app)


ContextDep = Annotated[Context, Depends(get_context)]
Reader = Annotated[Principal, Depends(require_roles("referrer", "provider", "coordinator"))]
Provider = Annotated[Principal, Depends(require_roles("provider"))]
ReferrerOrCoordinator = Annotated[Principal, Depends(require_roles("referrer", "coordinator"))]
EndingParty = Annotated[Principal, Depends(require_roles("provider", "referrer", "coordinator"))]
