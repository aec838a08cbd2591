"""Dependencies the capacity routers share: who may act, the page size, the vocabulary."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Query, Request

from common.auth import Principal, require_roles
from contracts.vocabulary import Vocabulary

CoordinatorOrProvider = Annotated[Principal, Depends(require_roles("coordinator", "provider"))]

DEFAULT_PAGE = 100
MAX_PAGE = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]


async def get_vocabulary(request: Request) -> Vocabulary:
    vocabulary: Vocabulary = request.app.state.vocabulary
    return vocabulary


# The codes a unit's specialisms must be (REGIEPUNT_VOCABULARY_FILE, read at start).
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]


def acting_provider(principal: Principal) -> str | None:
    """None for a coordinator (acts for every provider), else the provider the token acts for."""
    return None if principal.is_coordinator else principal.provider_id
