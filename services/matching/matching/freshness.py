"""A unit whose free places were not confirmed recently (capacity's `availability_stale`): still
proposed, and the decision says so. Its score part weighs nothing; its words are the vocabulary's."""

from __future__ import annotations

from contracts.capacity import CompactUnit

AVAILABILITY_STALE = "availability_stale"
WORDS = "free places not confirmed recently by the provider"


def parts(unit: CompactUnit) -> dict[str, float]:
    return {AVAILABILITY_STALE: 0.0} if unit.availability_stale else {}


def words(unit: CompactUnit) -> list[str]:
    return [WORDS] if unit.availability_stale else []
