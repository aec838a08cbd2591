"""Use case of client keys: replace old pseudonyms by new ones in every table that holds one."""

from __future__ import annotations

from capacity.db import occupancies, reservations
from common.db import Database, replace_values
from contracts.client_keys import ClientKeyPair


async def rekey_client_keys(db: Database, pairs: list[ClientKeyPair]) -> int:
    """One transaction for the whole batch; a pair whose old key is no longer stored is a no-op."""
    as_tuples = [(pair.old, pair.new) for pair in pairs]
    async with db.transaction() as session:
        held = await replace_values(session, reservations.c.client_key, as_tuples)
        stayed = await replace_values(session, occupancies.c.client_key, as_tuples)
    return held + stayed
