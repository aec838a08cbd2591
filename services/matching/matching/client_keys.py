"""Client keys: the pseudonyms of stored decisions re-keyed after intake rotated its key."""

from __future__ import annotations

from common.db import Database, replace_values
from contracts.client_keys import ClientKeyPair
from matching.db import decisions


async def rekey_client_keys(database: Database, pairs: list[ClientKeyPair]) -> int:
    """One transaction for the whole batch; a pair whose old key is no longer stored is a no-op."""
    async with database.transaction() as session:
        return await replace_values(session, decisions.c.client_key, [(pair.old, pair.new) for pair in pairs])
