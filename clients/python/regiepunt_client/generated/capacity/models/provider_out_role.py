from enum import StrEnum


class ProviderOutRole(StrEnum):
    OPERATIONAL = "operational"
    STRATEGIC = "strategic"
    TACTICAL = "tactical"

    def __str__(self) -> str:
        return str(self.value)
