from enum import StrEnum


class SignalType(StrEnum):
    AUTHORISATION_EXPIRING = "authorisation_expiring"
    CRISIS_CAP_APPROACHING = "crisis_cap_approaching"
    CRISIS_CAP_EXCEEDED = "crisis_cap_exceeded"
    ONWARD_PLACEMENT = "onward_placement"
    OUT_OF_REGION = "out_of_region"
    PLACEMENT_AT_RISK = "placement_at_risk"
    PLACEMENT_BREAKDOWN = "placement_breakdown"
    REPEATED_PLACEMENTS = "repeated_placements"
    SIBLINGS_SPLIT = "siblings_split"
    STACKING = "stacking"
    UNMATCHED = "unmatched"

    def __str__(self) -> str:
        return str(self.value)
