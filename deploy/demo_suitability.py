"""The demo set's schools, travel limits, children's voices, court authorisations and units' own points.

Drawn from a random generator of their own, so that the rest of the demo history stays as it was.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from contracts.geography import municipality
from contracts.vocabulary import load_vocabulary

# Schools outside the home municipality: mostly elsewhere in the region, some just outside it.
SCHOOL_ELSEWHERE = ["GM0518", "GM0503", "GM0637", "GM0603", "GM1916", "GM0546", "GM0599", "GM0626"]
# How far a referrer lets a child travel, when it says so.
TRAVEL_LIMITS_KM = [15.0, 25.0, 40.0]


def school_for(rng: random.Random, home: str, age: int) -> str | None:
    """Most school-age children go to school, most of them in their own municipality."""
    if age < 4 or age > 18 or rng.random() < 0.3:
        return None
    return home if rng.random() < 0.7 else rng.choice(SCHOOL_ELSEWHERE)


def voice_for(rng: random.Random, age: int) -> dict[str, Any] | None:
    """Older children are heard more often; a heard child mostly says what it wishes."""
    if rng.random() < 0.15:
        return None
    heard = rng.random() < (0.8 if age >= 12 else 0.5 if age >= 6 else 0.1)
    codes = sorted(load_vocabulary().codes("wishes"))
    wishes = sorted(rng.sample(codes, rng.randint(0, 2))) if heard else []
    return {"heard": heard, "wishes": wishes, "note": "Demo: wat het kind vertelde." if heard else None}


def referral_fields(rng: random.Random, school: str | None, care_type: str, age: int, today: date) -> dict[str, Any]:
    """The optional fields of a demo referral, and the court authorisation a secure referral needs."""
    fields: dict[str, Any] = {"child_voice": voice_for(rng, age)}
    if rng.random() < 0.3:
        fields["max_travel_km"] = rng.choice(TRAVEL_LIMITS_KM)
    if care_type == "secure":
        emergency = rng.random() < 0.25
        decided = today - timedelta(days=rng.randint(0, 3))
        fields["court_authorisation"] = {
            "kind": "spoedmachtiging" if emergency else "machtiging",
            "decided_on": decided.isoformat(),
            "valid_until": (decided + timedelta(days=28 if emergency else rng.choice([91, 182, 365]))).isoformat(),
        }
    if school is not None:
        fields["school"] = school
    return fields


def unit_point(rng: random.Random, municipality_code: str) -> dict[str, float]:
    """A third of the units record their own point: somewhere in their municipality's town."""
    place = municipality(municipality_code)
    if place is None or rng.random() < 0.67:
        return {}
    return {
        "latitude": round(place.point.latitude + rng.uniform(-0.012, 0.012), 5),
        "longitude": round(place.point.longitude + rng.uniform(-0.02, 0.02), 5),
    }
