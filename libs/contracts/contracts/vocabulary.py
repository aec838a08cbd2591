"""The words the services exchange: care types, target groups, out-of-region grounds, exclusion reasons, needs.

Each is a `StrEnum`, so a value read from the wire or the database compares equal to its member.
Intake's public document names them as shared schemas (`CareType`, `TargetGroup`,
`OutOfRegionCriterion`); capacity's and matching's list the values in place, which `Inline` keeps.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import Field, GetCoreSchemaHandler, StringConstraints
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
