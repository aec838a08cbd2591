"""Readable English names for the codes the dashboard shows."""

from __future__ import annotations

from typing import Any

from jinja2 import pass_context

from contracts import geography, suitability
from contracts.vocabulary import Section, Vocabulary

CARE_TYPES = {
    "crisis": "Crisis shelter",
    "foster_care": "Foster care",
    "family_home": "Family home",
    "respite": "Respite (short stays)",
    "training_flat": "Training flat (16+)",
    "residential": "Residential group",
    "clinical": "Clinical mental health",
    "secure": "Secure youth care",
}

# CBS codes to names, for display only: which municipalities form the region is configuration.
MUNICIPALITIES = {
    "GM0503": "Delft",
    "GM0518": "Den Haag",
    "GM1916": "Leidschendam-Voorburg",
    "GM1842": "Midden-Delfland",
    "GM1926": "Pijnacker-Nootdorp",
    "GM0603": "Rijswijk",
    "GM0629": "Wassenaar",
    "GM1783": "Westland",
    "GM0637": "Zoetermeer",
    "GM0599": "Rotterdam",
    "GM0546": "Leiden",
    "GM0344": "Utrecht",
    "GM0363": "Amsterdam",
}


@pass_context
def term(context: Any, code: object, section: Section) -> str:
    """A code of the vocabulary by its label in the page's language (English, as the pages are)."""
    vocabulary: Vocabulary = context["request"].app.state.vocabulary
    return vocabulary.label(section, str(code), "en")


def care_type(code: object) -> str:
    return CARE_TYPES.get(str(code), str(code).replace("_", " "))


def municipality(code: object) -> str:
    name = MUNICIPALITIES.get(str(code))
    return f"{name}" if name else geography.municipality_name(str(code))


def reason(code: object) -> str:
    """A code outside the vocabulary's sections (a court authorisation's kind: contracts.suitability) by
    its label in the page's language (English, as the pages are)."""
    return suitability.label(str(code), "en")


def detail(value: object, providers: dict[str, str] | None = None) -> str:
    """A signal's detail as one readable line: providers by name, other ids left out."""
    if not isinstance(value, dict):
        return "" if value is None else str(value)
    names = providers or {}
    parts = []
    for key, item in value.items():
        if item is None or item == "" or item == []:
            continue
        if key.endswith("provider_id"):
            key, item = key.removesuffix("_id"), names.get(str(item), str(item)[:8])
        elif key.endswith("_id") or key.endswith("_ids") or isinstance(item, dict):
            continue
        elif isinstance(item, list) and any(isinstance(entry, dict) for entry in item):
            continue  # nested records (earlier notes) are on the referral's page
        elif isinstance(item, list):
            item = "; ".join(str(entry) for entry in item)
        parts.append(f"{key.replace('_', ' ')}: {str(item).replace('_', ' ') if key.endswith('type') else item}")
    return " · ".join(parts)


def number(value: object) -> str:
    """12.0 as 12, 3.456 as 3.5."""
    if isinstance(value, float):
        return f"{value:.0f}" if value.is_integer() else f"{value:.1f}"
    return "–" if value is None else str(value)


def figure(value: object, unit: str) -> str:
    """An indicator's value with its unit: 42.5%, 87 days, 12."""
    if value is None:
        return "–"
    shown = number(value)
    if unit == "percent":
        return f"{shown}%"
    if unit in ("count", ""):
        return shown
    return f"{shown} {unit}"
