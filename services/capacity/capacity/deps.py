"""Dependencies the capacity routers share: who may act, the page size, the vocabulary."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Query, Request

from capacity.settings import CapacitySettings
from common.auth import ACTING_PROVIDER_HEADER, AnyRole, Principal
from common.clock import Clock
from common.errors import Forbidden
from contracts.vocabulary import Vocabulary


async def coordinator_or_provider(request: Request, principal: AnyRole) -> Principal:
    """A coordinator, a provider, or intake acting for a provider signed in on its pages: intake calls
    with its own service token and names the provider in a header. Only intake may: it is the point's
    face, where people sign in; capacity then checks the provider as it would the provider's own token."""
    if principal.role in ("coordinator", "provider"):
        return principal
    acting_for = request.headers.get(ACTING_PROVIDER_HEADER, "").strip()
    if principal.service == "intake" and acting_for:
        return Principal(sub=principal.sub, role="provider", org=principal.org, provider_id=acting_for)
    raise Forbidden(f"This call is for coordinator, provider; the token's role is {principal.role}.")


CoordinatorOrProvider = Annotated[Principal, Depends(coordinator_or_provider)]

DEFAULT_PAGE = 100
MAX_PAGE = 1000
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description="page size")]


async def get_vocabulary(request: Request) -> Vocabulary:
    vocabulary: Vocabulary = request.app.state.vocabulary
    return vocabulary


# The codes a unit's specialisms must be (REGIEPUNT_VOCABULARY_FILE, read at start).
VocabularyDep = Annotated[Vocabulary, Depends(get_vocabulary)]


async def get_stale_before(request: Request) -> datetime:
    """The moment before which a unit's last confirmation of its free places is stale, by the
    service's clock (REGIEPUNT_AVAILABILITY_STALE_HOURS)."""
    settings: CapacitySettings = request.app.state.settings
    clock: Clock = request.app.state.clock
    return settings.stale_before(clock.now())


StaleBefore = Annotated[datetime, Depends(get_stale_before)]


def acting_provider(principal: Principal) -> str | None:
    """None for a coordinator (acts for every provider), else the provider the token acts for."""
    return None if principal.is_coordinator else principal.provider_id
