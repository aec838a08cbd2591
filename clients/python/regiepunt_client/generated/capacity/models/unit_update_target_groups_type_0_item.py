from enum import StrEnum


class UnitUpdateTargetGroupsType0Item(StrEnum):
    GGZ = "ggz"
    JO = "jo"
    LVB = "lvb"

    def __str__(self) -> str:
        return str(self.value)
