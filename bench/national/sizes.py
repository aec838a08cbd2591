"""The data-set sizes of the scaling table and the shape of the national data set."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    name: str
    providers: int
    units: int
    history: int
    open_referrals: int


SIZES = {
    "small": Size("small", providers=4, units=50, history=5_000, open_referrals=10),
    "medium": Size("medium", providers=40, units=500, history=50_000, open_referrals=100),
    "large": Size("large", providers=400, units=5_000, history=500_000, open_referrals=1_000),
}

REGION = ("GM0503", "GM0518", "GM1916", "GM1842", "GM1926", "GM0603", "GM0629", "GM1783", "GM0637")
# Den Haag is by far the largest municipality; most units and children are there.
REGION_WEIGHTS = (10, 40, 8, 2, 5, 8, 3, 10, 14)
OUTSIDE = ("GM0599", "GM0546", "GM0344", "GM0363", "GM0014")
CARE_TYPES = {
    "residential": 35,
    "family_home": 15,
    "foster_care": 15,
    "crisis": 10,
    "training_flat": 8,
    "respite": 7,
    "clinical": 6,
    "secure": 4,
}
TARGET_GROUPS = ("jo", "lvb", "ggz")
SPECIALISMS = ("trauma", "autism", "adhd", "attachment", "substance_use", "eating_disorder", "self_harm", "aggression")
ROLES = {"strategic": 1, "tactical": 3, "operational": 16}
END_REASONS = {"returned_home": 40, "onward_placement": 25, "independent_living": 15, "breakdown": 10, "other": 10}
REFERRER_ORGS = (
    ("Wijkteam Den Haag Centrum", "local_team"),
    ("Wijkteam Delft", "local_team"),
    ("Jeugdteam Zoetermeer", "local_team"),
    ("Huisartsenpraktijk Rijswijk", "gp"),
    ("Jeugdarts GGD Haaglanden", "youth_doctor"),
    ("Kinderpsychiatrie Haaglanden", "medical_specialist"),
    ("Jeugdbescherming west", "certified_institution"),
    ("Rechtbank Den Haag", "court"),
)


def age_range(care_type: str) -> tuple[int, int]:
    """The ages a unit of this care type takes in the generated data."""
    if care_type == "training_flat":
        return 16, 22
    if care_type in ("foster_care", "family_home", "respite"):
        return 0, 17
    return 12, 17
