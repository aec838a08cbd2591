"""Re-keying the pseudonymous client key: the pairs intake sends capacity and matching after the key of
its keyed hash was rotated, and their answer (docs/internal-api.md, "Client keys")."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictInt, StringConstraints

# A client key as every service stores it (at most 128 characters, as in the calls that carry one).
ClientKey = Annotated[str, StringConstraints(min_length=1, max_length=128)]
# Pairs per call: a batch small enough for one short transaction on the receiving side.
MAX_PAIRS = 1000


class ClientKeyPair(BaseModel):
    """One child's pseudonym under an earlier key (`old`) and under the current one (`new`)."""

    model_config = ConfigDict(extra="forbid")

    old: ClientKey
    new: ClientKey


class ClientKeyRekey(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pairs: Annotated[list[ClientKeyPair], Field(min_length=1, max_length=MAX_PAIRS)]


class ClientKeysRekeyed(BaseModel):
    """How many stored rows now carry a new key; 0 when every old key was gone already."""

    updated: Annotated[StrictInt, Field(ge=0)]
