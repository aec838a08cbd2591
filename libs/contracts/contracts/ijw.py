"""The iJw codes beside the point's own values: the referrer type as COD327, the care type as a JZ020
product category, the end of a stay as a JZ588 reason (the mapping is data, in `ijw.toml`; where a
value has no code, the answer is None)."""

from __future__ import annotations

import functools
import tomllib
from pathlib import Path

MAPPING_FILE = Path(__file__).with_name("ijw.toml")


@functools.cache
def _mapping() -> dict[str, dict[str, str]]:
    loaded = tomllib.loads(MAPPING_FILE.read_text(encoding="utf-8"))
    return {section: {str(k): str(v) for k, v in values.items()} for section, values in loaded.items()}


def verwijzer_code(referrer_type: str | None) -> str | None:
    """COD327 "Code verwijzer" of a referrer type (`local_team` -> `01`)."""
    return _mapping()["verwijzer"].get(referrer_type or "")


def productcategorie(care_type: str | None) -> str | None:
    """JZ020 "Productcategorie" of a care type (`crisis` -> `46`)."""
    return _mapping()["productcategorie"].get(care_type or "")


def reden_beeindiging(end_reason: str | None) -> str | None:
    """JZ588 "Reden beeindiging" of an end reason (`breakdown` -> `33`); None for `other`."""
    return _mapping()["reden_beeindiging"].get(end_reason or "")
