from enum import StrEnum


class FindCandidatesExcludedOutside(StrEnum):
    COUNT = "count"
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
