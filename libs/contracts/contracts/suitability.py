"""The child's wishes as matching weighs them, and the words in Dutch and English of the codes of closed
youth care's court authorisation, its signal and the heard indicator.

The wishes, the `too_far` exclusion and the score parts of school and wishes have their words in the
vocabulary (contracts/vocabulary.toml); the codes here belong to none of its sections yet.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from contracts.vocabulary import NEED_CODE_PATTERN

MAX_WISHES = 10

WishCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Wishes = Annotated[list[WishCode], Field(max_length=MAX_WISHES)]


# The wishes that move the ranking; the others travel with the proposal to the provider.
class WeighedWish(StrEnum):
    NEAR_SCHOOL = "near_school"
    NEAR_FAMILY = "near_family"
    SMALL_GROUP = "small_group"


# Dutch and English words of the codes outside the vocabulary's sections, by code.
LABELS: dict[str, dict[str, str]] = {
    "machtiging": {"nl": "Machtiging gesloten jeugdhulp", "en": "Court authorisation for secure care"},
    "spoedmachtiging": {"nl": "Spoedmachtiging", "en": "Emergency court authorisation"},
    "authorisation_expiring": {"nl": "Machtiging verloopt binnenkort", "en": "Court authorisation about to lapse"},
    "child_heard": {"nl": "Kind gehoord", "en": "Child heard"},
}


def label(code: str, language: str = "en") -> str:
    """The words of a code, the code itself when it has none."""
    return LABELS.get(code, {}).get(language, code.replace("_", " "))
