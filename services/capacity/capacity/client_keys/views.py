"""Route of client keys, an internal call for intake: re-key the stored pseudonyms."""

from __future__ import annotations

from fastapi import APIRouter

from capacity.client_keys import service
from common.auth import FromIntake
from common.deps import DatabaseDep
from common.openapi import problem_responses
from contracts.client_keys import ClientKeyRekey, ClientKeysRekeyed

router = APIRouter(tags=["client keys"])


@router.post(
    "/v1/client-keys/rekey",
    operation_id="rekey_client_keys",
    responses=problem_responses(400, 401, 403, 413, 422, 503),
)
async def rekey_client_keys(body: ClientKeyRekey, _: FromIntake, db: DatabaseDep) -> ClientKeysRekeyed:
    return ClientKeysRekeyed(updated=await service.rekey_client_keys(db, body.pairs))
