from enum import StrEnum


class EndReason(StrEnum):
    BREAKDOWN = "breakdown"
    INDEPENDENT_LIVING = "independent_living"
    ONWARD_PLACEMENT = "onward_placement"
    OTHER = "other"
    RETURNED_HOME = "returned_home"

    def __str__(self) -> str:
        return str(self.value)
