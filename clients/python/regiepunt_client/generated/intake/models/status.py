from enum import StrEnum


class Status(StrEnum):
    ENDED = "ended"
    PENDING = "pending"
    PLACED = "placed"
    PROPOSED = "proposed"
    UNMATCHED = "unmatched"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
