from enum import StrEnum


class CandidatesUnitsType1ItemItemType2(StrEnum):
    OPERATIONAL = "operational"
    STRATEGIC = "strategic"
    TACTICAL = "tactical"

    def __str__(self) -> str:
        return str(self.value)
