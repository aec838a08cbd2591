"""Dependencies the capacity routers share: who may act, and the page size."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query

from common.auth import Principal, require_roles

CoordinatorOrProvider = Annotated[Principal, Depends(require_roles("coordinator", "provider"))]

DEFAULT_PAGE = 100
MAX_PAGE = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]


def acting_provider(principal: Principal) -> str | None:
    """None for a coordinator (acts for every provider), else the provider the token acts for."""
    return None if principal.is_coordinator else principal.provider_id
