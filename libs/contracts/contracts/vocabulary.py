"""The words the services exchange: care types, target groups, out-of-region grounds, exclusion reasons, and
the configured vocabulary of codes (needs, risk flags, wishes, decline and split reasons, ...).

The fixed words are each a `StrEnum`, so a value read from the wire or the database compares equal to
its member. Intake's public document names them as shared schemas (`CareType`, `TargetGroup`,
`OutOfRegionCriterion`); capacity's and matching's list the values in place, which `Inline` keeps.

The codes of the vocabulary are configuration, not code (`vocabulary.toml` beside this module, or the
file `REGIEPUNT_VOCABULARY_FILE` names): `load_vocabulary` reads and checks it once per process, and
`Vocabulary` answers which codes a section has and what they are called in Dutch and English.
"""

from __future__ import annotations

import functools
import json
import tomllib
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PrivateAttr,
    StringConstraints,
    ValidationError,
)
from pydantic_core import core_schema

# The enums carry comments, not docstrings: a docstring would become the description of their schema
# in intake's public document, which stays as it is.


class CareType(StrEnum):
    CRISIS = "crisis"
    FOSTER_CARE = "foster_care"  # pleegzorg
    FAMILY_HOME = "family_home"  # gezinshuis
    RESPITE = "respite"  # logeren
    TRAINING_FLAT = "training_flat"  # kamertraining
    RESIDENTIAL = "residential"
    CLINICAL = "clinical"
    SECURE = "secure"  # jeugdhulp plus


class TargetGroup(StrEnum):
    JO = "jo"
    LVB = "lvb"
    GGZ = "ggz"


# The recorded ground that allows a place outside the region.
class OutOfRegionCriterion(StrEnum):
    SAFETY = "safety"
    EXPERTISE = "expertise"


# Why a unit was weighed and left. The first three are capacity's (`CAPACITY_EXCLUSIONS`), the rest
# the rules of the central point that matching applies.
class ExclusionReason(StrEnum):
    NO_FREE_PLACE = "no_free_place"
    AGE_OUT_OF_RANGE = "age_out_of_range"
    TARGET_GROUP_NOT_SERVED = "target_group_not_served"
    DECLINED = "declined"
    PART_TIME_ONLY = "part_time_only"
    OUTSIDE_REGION_WITHOUT_GROUND = "outside_region_without_ground"
    EXPERTISE_AVAILABLE_IN_REGION = "expertise_available_in_region"
    OUTSIDE_REGION_LACKS_EXPERTISE = "outside_region_lacks_expertise"
    PLACE_TAKEN = "place_taken_meanwhile"
    TOO_FAR = "too_far"
    # The group a child would join, and production agreements (matching.group_rules).
    GROUP_CONFLICT = "group_conflict"
    PRODUCTION_CAP_REACHED = "production_cap_reached"


# The reasons capacity's hard rules give, in the order its database checks them.
CAPACITY_EXCLUSIONS = (
    ExclusionReason.NO_FREE_PLACE,
    ExclusionReason.AGE_OUT_OF_RANGE,
    ExclusionReason.TARGET_GROUP_NOT_SERVED,
)


class Inline:
    """Validates a field against the values of a `StrEnum` (all, or those named) and gives the member,
    while documenting the values in place, as a plain string enum, instead of as a shared schema: the
    form capacity's and matching's documents have always had."""

    def __init__(self, enum: type[StrEnum], *values: StrEnum) -> None:
        self.enum = enum
        self.values = values or tuple(enum)

    def __get_pydantic_core_schema__(self, _source: Any, _handler: GetCoreSchemaHandler) -> Any:
        literal = core_schema.literal_schema([member.value for member in self.values])
        return core_schema.no_info_after_validator_function(self.enum, literal)


# To the type checker these are the enums; at run time the enum is kept out of the annotation itself,
# where FastAPI would find it and publish it as a shared schema.
if TYPE_CHECKING:
    InlineCareType = CareType
    InlineTargetGroup = TargetGroup
    InlineOutOfRegionCriterion = OutOfRegionCriterion
    InlineCapacityExclusion = ExclusionReason
else:
    InlineCareType = Annotated[str, Inline(CareType)]
    InlineTargetGroup = Annotated[str, Inline(TargetGroup)]
    InlineOutOfRegionCriterion = Annotated[str, Inline(OutOfRegionCriterion)]
    InlineCapacityExclusion = Annotated[str, Inline(ExclusionReason, *CAPACITY_EXCLUSIONS)]

# A need is a code, never a sentence: lowercase ASCII letters, `_` and `-`, no digits and no spaces,
# so that nothing typed about a child (a name, a citizen number) can pass as one. The vocabulary of
# codes itself is configuration; this is the shape every code has. Intake accepts exactly what
# matching takes.
MAX_NEEDS = 30
NEED_CODE_PATTERN = r"^[a-z][a-z_-]{1,59}$"

NeedCode = Annotated[str, StringConstraints(pattern=NEED_CODE_PATTERN)]
Needs = Annotated[list[NeedCode], Field(max_length=MAX_NEEDS)]


# --- the configured vocabulary ---------------------------------------------------------------------

# The sections of the vocabulary. The first six are those of `GET /v1/vocabulary` in the contract; the
# last two put the reasons and score parts of a matching decision into words, so that every reason the
# point gives has its labels in one place. A later section is one more name here, one more field of
# `Vocabulary`, and its rows in vocabulary.toml.
Section = Literal[
    "needs",
    "risk_flags",
    "vulnerabilities",
    "wishes",
    "decline_reasons",
    "split_reasons",
    "exclusion_reasons",
    "score_parts",
]
SECTIONS: tuple[Section, ...] = get_args(Section)
Language = Literal["nl", "en"]

DEFAULT_VOCABULARY_FILE = Path(__file__).resolve().with_name("vocabulary.toml")

Label = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class Term(BaseModel):
    """One code with its label in Dutch and in English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: NeedCode
    nl: Label
    en: Label


def _unique_codes(terms: tuple[Term, ...]) -> tuple[Term, ...]:
    seen: set[str] = set()
    for term in terms:
        if term.code in seen:
            raise ValueError(f"the code {term.code!r} appears more than once")
        seen.add(term.code)
    return terms


Terms = Annotated[tuple[Term, ...], AfterValidator(_unique_codes)]


class Vocabulary(BaseModel):
    """The codes of each section, in the order of the file, with their labels."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    needs: Terms
    risk_flags: Terms
    vulnerabilities: Terms
    wishes: Terms
    decline_reasons: Terms
    split_reasons: Terms
    exclusion_reasons: Terms
    score_parts: Terms

    _codes: dict[str, frozenset[str]] = PrivateAttr(default_factory=dict)
    _labels: dict[tuple[str, str], Term] = PrivateAttr(default_factory=dict)

    def model_post_init(self, _context: Any) -> None:
        for section in SECTIONS:
            terms: tuple[Term, ...] = getattr(self, section)
            self._codes[section] = frozenset(term.code for term in terms)
            self._labels.update(((section, term.code), term) for term in terms)

    def codes(self, section: Section) -> frozenset[str]:
        return self._codes[section]

    def unknown(self, section: Section, codes: Iterable[str]) -> list[tuple[int, str]]:
        """The codes not in the section, each with its position in `codes`."""
        known = self._codes[section]
        return [(index, code) for index, code in enumerate(codes) if code not in known]

    @staticmethod
    def refusal(section: Section, code: str) -> str:
        """What a 422 says of a code the section does not have (a code has the shape of one: no free text)."""
        return f"{code!r} is not a code of the vocabulary's {section} (GET /v1/vocabulary)"

    def label(self, section: Section, code: str, language: Language = "nl") -> str:
        """The label of a code; a code the file does not (or no longer) have is shown as itself."""
        term = self._labels.get((section, code))
        return code if term is None else getattr(term, language)

    def labels(self, section: Section, code: str) -> dict[str, str]:
        """Both labels of a code, `{"nl": …, "en": …}`, as a decision or a page keeps them beside the code."""
        return {"nl": self.label(section, code, "nl"), "en": self.label(section, code, "en")}


class VocabularyError(ValueError):
    """The vocabulary file cannot be used; the message is one line that says where and why."""


def _read(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise VocabularyError(f"vocabulary file {path}: cannot be read ({exc.strerror or exc})") from exc
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as exc:
        raise VocabularyError(f"vocabulary file {path}: not valid {_format_of(path)}: {exc}") from exc
    if not isinstance(data, dict):
        raise VocabularyError(f"vocabulary file {path}: must hold sections {', '.join(SECTIONS)}")
    return data


def _format_of(path: Path) -> str:
    return "JSON" if path.suffix.lower() == ".json" else "TOML"


def _where(location: tuple[int | str, ...]) -> str:
    """`("needs", 3, "code")` as `needs[3].code`."""
    where = ""
    for part in location:
        where += f"[{part}]" if isinstance(part, int) else (f".{part}" if where else str(part))
    return where or "the file"


def load_vocabulary(path: Path | None = None) -> Vocabulary:
    """The vocabulary of the file at `path` (the shipped default when None), read and checked once per
    process. A section the file leaves out is the default's, so that a region's file may hold only
    what it changes and a file written before a section existed still loads."""
    resolved = None if path is None else Path(path).resolve()
    return _load(None if resolved == DEFAULT_VOCABULARY_FILE else resolved)


@functools.lru_cache(maxsize=8)
def _load(path: Path | None) -> Vocabulary:
    default = _read(DEFAULT_VOCABULARY_FILE)
    data = default if path is None else {**default, **_read(path)}
    try:
        return Vocabulary.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_where(error['loc'])}: {error['msg']}" for error in exc.errors())
        raise VocabularyError(f"vocabulary file {path or DEFAULT_VOCABULARY_FILE}: {problems}") from exc
