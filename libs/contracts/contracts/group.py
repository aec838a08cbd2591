"""The group a child joins: the codes of risk flags and vulnerabilities, a unit's group profile, the
production figures matching weighs, and the words of the reasons these add.

Flags are codes, never free text: they travel with the pseudonymous client key to matching and
capacity, never with a BSN. The lists of known codes are here once; every service that checks a code
checks it against them (intake the referral body, matching its rules file). When the shared vocabulary
file arrives, `RISK_FLAGS` and `VULNERABILITIES` are read from it instead, and `REASON_WORDS` moves to
its labels.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

from pydantic import BaseModel, Field, StrictInt, StringConstraints

from contracts.vocabulary import NEED_CODE_PATTERN

# What a referrer may flag about the child itself (a risk to others) ...
RISK_FLAGS: tuple[str, ...] = (
    "aggression",
    "sexually_transgressive_behaviour",
    "exploitation_recruiting",
    "absconding",
    "substance_use",
    "fire_setting",
)
# ... and what makes the child vulnerable to others. The two lists share no code, so that a unit's
# group profile can count both in one `flags` map.
VULNERABILITIES: tuple[str, ...] = (
    "sexual_exploitation",
    "under_twelve",
    "self_harm",
    "bullying_victim",
)

MAX_FLAGS = 20

FlagCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Flags = Annotated[list[FlagCode], Field(max_length=MAX_FLAGS)]


def unknown_codes(codes: Iterable[str], known: Iterable[str]) -> list[str]:
    """The codes that are not in `known`, in the order given, each once."""
    allowed = set(known)
    return list(dict.fromkeys(code for code in codes if code not in allowed))


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


# The words of the exclusion reasons and ranking penalties of the group and of production agreements,
# Dutch and English. One small dict until the vocabulary's labels are their home.
REASON_WORDS: dict[str, dict[str, str]] = {
    "group_conflict": {
        "nl": "de groep past niet: een kind in de groep vormt een risico, of loopt er een",
        "en": "the group does not fit: a child in the group poses a risk, or is at risk",
    },
    "group_age_gap": {
        "nl": "groot leeftijdsverschil met de kinderen in de groep",
        "en": "a large age gap with the children in the group",
    },
    "group_penalty": {
        "nl": "de samenstelling van de groep past minder goed",
        "en": "the make-up of the group is a poorer fit",
    },
    "production_cap_reached": {
        "nl": "productieafspraak voor deze zorgvorm is dit jaar op",
        "en": "the production agreement for this care type is used up this year",
    },
}


def reason_words(code: str, language: str = "en") -> str:
    words = REASON_WORDS.get(code)
    return words[language] if words else code.replace("_", " ")
