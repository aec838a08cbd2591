from enum import StrEnum


class ExcludedReason(StrEnum):
    AGE_OUT_OF_RANGE = "age_out_of_range"
    NO_FREE_PLACE = "no_free_place"
    TARGET_GROUP_NOT_SERVED = "target_group_not_served"

    def __str__(self) -> str:
        return str(self.value)
