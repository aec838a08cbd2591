from enum import StrEnum


class ListUnitsTargetGroupType0(StrEnum):
    GGZ = "ggz"
    JO = "jo"
    LVB = "lvb"

    def __str__(self) -> str:
        return str(self.value)
