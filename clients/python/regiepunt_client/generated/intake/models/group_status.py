from enum import StrEnum


class GroupStatus(StrEnum):
    CLOSED = "closed"
    PLACED = "placed"
    PROPOSED = "proposed"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
