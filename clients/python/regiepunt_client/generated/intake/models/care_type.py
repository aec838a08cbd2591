from enum import StrEnum


class CareType(StrEnum):
    CLINICAL = "clinical"
    CRISIS = "crisis"
    FAMILY_HOME = "family_home"
    FOSTER_CARE = "foster_care"
    RESIDENTIAL = "residential"
    RESPITE = "respite"
    SECURE = "secure"
    TRAINING_FLAT = "training_flat"

    def __str__(self) -> str:
        return str(self.value)
