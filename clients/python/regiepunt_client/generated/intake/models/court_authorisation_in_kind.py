from enum import StrEnum


class CourtAuthorisationInKind(StrEnum):
    MACHTIGING = "machtiging"
    SPOEDMACHTIGING = "spoedmachtiging"

    def __str__(self) -> str:
        return str(self.value)
