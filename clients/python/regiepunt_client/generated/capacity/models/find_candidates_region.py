from enum import StrEnum


class FindCandidatesRegion(StrEnum):
    ALL = "all"
    INSIDE = "inside"
    OUTSIDE = "outside"

    def __str__(self) -> str:
        return str(self.value)
