"""Client keys: the pseudonyms of stored decisions re-keyed after intake rotated its key."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import Database, replace_values
from contracts.client_keys import ClientKeyPair
from matching.db import decisions, group_decisions


async def rekey_client_keys(database: Database, pairs: list[ClientKeyPair]) -> int:
    """One transaction for the whole batch; a pair whose old key is no longer stored is a no-op."""
    replacements = [(pair.old, pair.new) for pair in pairs]
    async with database.transaction() as session:
        changed = await replace_values(session, decisions.c.client_key, replacements)
        return changed + await _rekey_group_decisions(session, replacements)


async def _rekey_group_decisions(session: AsyncSession, replacements: list[tuple[str, str]]) -> int:
    """A group decision keeps each child's request, pseudonym included, in its JSON `children`."""
    changed = 0
    for old, new in replacements:
        if old == new:
            continue
        found = await session.execute(
            sa.select(group_decisions.c.id, group_decisions.c.children).where(
                sa.cast(group_decisions.c.children, sa.Text).contains(old, autoescape=True)
            )
        )
        for decision_id, children in found.all():
            renamed: list[dict[str, Any]] = [
                {**child, "client_key": new} if child.get("client_key") == old else child for child in children
            ]
            if renamed != children:
                await session.execute(
                    sa.update(group_decisions).where(group_decisions.c.id == decision_id).values(children=renamed)
                )
                changed += 1
    return changed
