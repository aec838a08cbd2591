"""The group a child joins: the shape of risk-flag and vulnerability codes, a unit's group profile and the
production figures matching weighs.

Flags are codes, never free text: they travel with the pseudonymous client key to matching and
capacity, never with a BSN. Which codes there are, and their words, is the configured vocabulary
(contracts.vocabulary: the sections `risk_flags` and `vulnerabilities`; the words of the reasons these
rules give in `exclusion_reasons` and `score_parts`): intake checks a referral's codes against it,
matching its rules file.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from contracts.vocabulary import NEED_CODE_PATTERN

MAX_FLAGS = 20

FlagCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Flags = Annotated[list[FlagCode], Field(max_length=MAX_FLAGS)]


class GroupProfile(BaseModel):
    """The children staying in a unit now, as a group: how many, their ages (youngest first) and how
    many carry each risk flag or vulnerability. No client keys, no ids: the group, not the children."""

    count: StrictInt
    ages: list[StrictInt]
    flags: dict[str, StrictInt]


class ProductionUse(BaseModel):
    """An operational provider's production agreement for one care type this year, and its use."""

    agreed_days: StrictInt
    used_days: StrictInt
