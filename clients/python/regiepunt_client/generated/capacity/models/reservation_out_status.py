from enum import StrEnum


class ReservationOutStatus(StrEnum):
    CONFIRMED = "confirmed"
    EXPIRED = "expired"
    HELD = "held"
    RELEASED = "released"

    def __str__(self) -> str:
        return str(self.value)
