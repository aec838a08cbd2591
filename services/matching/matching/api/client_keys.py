"""Client keys: an internal call for intake, which re-keys the stored pseudonyms after a key rotation."""

from __future__ import annotations

from fastapi import APIRouter

from common.auth import FromIntake
from common.deps import DatabaseDep
from common.openapi import problem_responses
from contracts.client_keys import ClientKeyRekey, ClientKeysRekeyed
from matching import client_keys

router = APIRouter(prefix="/v1/client-keys", tags=["client keys"])


@router.post(
    "/rekey",
    operation_id="rekey_client_keys",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def rekey_client_keys(body: ClientKeyRekey, _caller: FromIntake, database: DatabaseDep) -> ClientKeysRekeyed:
    return ClientKeysRekeyed(updated=await client_keys.rekey_client_keys(database, body.pairs))
