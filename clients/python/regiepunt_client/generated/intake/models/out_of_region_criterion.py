from enum import StrEnum


class OutOfRegionCriterion(StrEnum):
    EXPERTISE = "expertise"
    SAFETY = "safety"

    def __str__(self) -> str:
        return str(self.value)
