from enum import StrEnum


class FindCandidatesExcludedUnfit(StrEnum):
    COUNT = "count"
    LIST = "list"

    def __str__(self) -> str:
        return str(self.value)
