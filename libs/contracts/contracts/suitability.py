"""The child's wishes, and the words in Dutch and English of what school, distance, wishes and the court
authorisation add to a referral's life: score parts, an exclusion reason, a signal and an indicator.

The codes of the wishes are listed here, in one place, until the vocabulary holds them; intake
validates against `WISH_CODES`, matching weighs the three of `WeighedWish`.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import Field, StringConstraints

from contracts.vocabulary import NEED_CODE_PATTERN

WISH_CODES: tuple[str, ...] = ("near_school", "near_family", "small_group", "with_siblings", "same_language", "faith")
MAX_WISHES = 10

WishCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Wishes = Annotated[list[WishCode], Field(max_length=MAX_WISHES)]


# The wishes that move the ranking; the others travel with the proposal to the provider.
class WeighedWish(StrEnum):
    NEAR_SCHOOL = "near_school"
    NEAR_FAMILY = "near_family"
    SMALL_GROUP = "small_group"


def unknown_wishes(codes: list[str]) -> list[str]:
    """The codes that are no wish of the list."""
    return [code for code in codes if code not in WISH_CODES]


# Dutch and English words of every code this part of the point adds, by code.
LABELS: dict[str, dict[str, str]] = {
    # exclusion reason
    "too_far": {"nl": "verder weg dan de maximale reisafstand", "en": "further away than the maximum travel distance"},
    # score parts
    "school": {"nl": "afstand tot school", "en": "distance to school"},
    "wish_near_school": {"nl": "wens: dicht bij school", "en": "wish: near school"},
    "wish_near_family": {"nl": "wens: dicht bij familie", "en": "wish: near family"},
    "wish_small_group": {"nl": "wens: kleine groep", "en": "wish: a small group"},
    # the wishes themselves
    "near_school": {"nl": "dicht bij school", "en": "near school"},
    "near_family": {"nl": "dicht bij familie", "en": "near family"},
    "small_group": {"nl": "kleine groep", "en": "a small group"},
    "with_siblings": {"nl": "samen met broers en zussen", "en": "with siblings"},
    "same_language": {"nl": "dezelfde taal", "en": "the same language"},
    "faith": {"nl": "geloof of levensovertuiging", "en": "faith"},
    # court authorisation
    "machtiging": {"nl": "machtiging gesloten jeugdhulp", "en": "court authorisation for secure care"},
    "spoedmachtiging": {"nl": "spoedmachtiging", "en": "emergency court authorisation"},
    # signal
    "authorisation_expiring": {"nl": "machtiging verloopt binnenkort", "en": "court authorisation about to lapse"},
    # indicator
    "child_heard": {"nl": "kind gehoord", "en": "child heard"},
}


def label(code: str, language: str = "nl") -> str:
    """The words of a code, the code itself when it has none."""
    return LABELS.get(code, {}).get(language, code.replace("_", " "))
