"""The provider pages' forms read into the API's values, each bad field with a message in the page's
language: the page shows it beside the field, with what was typed left in place. The rules are the
API's own (the use cases and capacity check again); these checks only say it in the provider's words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from contracts import geography
from contracts.vocabulary import Vocabulary
from intake.i18n import N_, _

AGE_MIN, AGE_MAX = 0, 23
MAX_PLACES = 10_000
MAX_HOURS = 168.0
CARE_TYPES = {
    "crisis": N_("Crisis shelter"),
    "foster_care": N_("Foster care"),
    "family_home": N_("Family home"),
    "respite": N_("Respite (short stays)"),
    "training_flat": N_("Training flat (16+)"),
    "residential": N_("Residential group"),
    "clinical": N_("Clinical mental health"),
    "secure": N_("Secure youth care"),
}
TARGET_GROUPS = {
    "jo": N_("Youth and parenting support"),
    "lvb": N_("Mild intellectual disability"),
    "ggz": N_("Mental health"),
}
_WEEK = re.compile(r"^[0-9]{4}-W[0-9]{2}$")


@dataclass
class Checked:
    """A form read: its values for the API, the fields that are wrong, and what was typed."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    typed: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


def _whole(checked: Checked, form: dict[str, str], name: str, low: int, high: int) -> int | None:
    raw = form.get(name, "").strip()
    checked.typed[name] = raw
    try:
        value = int(raw)
    except ValueError:
        checked.errors[name] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    if not low <= value <= high:
        checked.errors[name] = _("Enter a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
        return None
    return value


def version_of(form: dict[str, str]) -> int | None:
    try:
        return int(form.get("version", ""))
    except ValueError:
        return None


def availability(form: dict[str, str]) -> Checked:
    """`capacity` and `blocked`: the places in all and those that cannot be used now."""
    checked = Checked()
    capacity = _whole(checked, form, "capacity", 0, MAX_PLACES)
    blocked = _whole(checked, form, "blocked", 0, MAX_PLACES)
    if capacity is not None and blocked is not None:
        checked.values = {"capacity": capacity, "blocked": blocked}
    return checked


def start_date(form: dict[str, str], today: date, days_back: int) -> Checked:
    checked = Checked()
    raw = form.get("start_date", "").strip()
    checked.typed["start_date"] = raw
    try:
        start = date.fromisoformat(raw)
    except ValueError:
        checked.errors["start_date"] = _("Enter the date the child arrives (or arrived).")
        return checked
    if start > today:
        checked.errors["start_date"] = _("The start date cannot lie in the future.")
    elif (today - start).days > days_back:
        checked.errors["start_date"] = _("The start date may lie at most %(days)d days back.") % {"days": days_back}
    else:
        checked.values["start_date"] = start
    return checked


def decline(form: dict[str, str], vocabulary: Vocabulary) -> Checked:
    checked = Checked()
    code = form.get("reason_code", "").strip()
    text = form.get("reason", "").strip()
    checked.typed.update(reason_code=code, reason=text)
    if code not in vocabulary.codes("decline_reasons"):
        checked.errors["reason_code"] = _("Choose why you decline.")
    if len(text) > 2000:
        checked.errors["reason"] = _("Write at most %(count)d characters.") % {"count": 2000}
    if checked.ok:
        checked.values = {"reason_code": code, "reason": text or None}
    return checked


def at_risk(form: dict[str, str]) -> Checked:
    checked = Checked()
    note = form.get("note", "").strip()
    checked.typed["note"] = note
    if not note:
        checked.errors["note"] = _("Say in a few words what puts the stay at risk.")
    elif len(note) > 4000:
        checked.errors["note"] = _("Write at most %(count)d characters.") % {"count": 4000}
    else:
        checked.values["note"] = note
    return checked


def one_on_one(form: dict[str, str]) -> Checked:
    """`week` as a browser's week field sends it (`2026-W49`) and `hours`, a comma allowed."""
    checked = Checked()
    week = form.get("week", "").strip().upper()
    raw_hours = form.get("hours", "").strip()
    checked.typed.update(week=week, hours=raw_hours)
    if not _WEEK.fullmatch(week):
        checked.errors["week"] = _("Choose a week (for example 2026-W49).")
    try:
        hours = float(raw_hours.replace(",", "."))
    except ValueError:
        hours = -1.0
    if not 0 <= hours <= MAX_HOURS:
        checked.errors["hours"] = _("Enter the hours of that week, from 0 to 168.")
    if checked.ok:
        checked.values = {"week": week, "hours": hours}
    return checked


def offer(form: dict[str, str], own_units: set[str]) -> Checked:
    checked = Checked()
    unit_id = form.get("unit_id", "").strip()
    checked.typed["unit_id"] = unit_id
    if unit_id not in own_units:
        checked.errors["unit_id"] = _("Choose one of your units.")
    else:
        checked.values["unit_id"] = unit_id
    return checked


def _coordinate(checked: Checked, form: dict[str, str], name: str, low: float, high: float) -> float | None:
    raw = form.get(name, "").strip().replace(",", ".")
    checked.typed[name] = form.get(name, "").strip()
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        value = high + 1
    if not low <= value <= high:
        checked.errors[name] = _("Enter a number from %(low)s to %(high)s, or leave it empty.") % {
            "low": low,
            "high": high,
        }
        return None
    return value


def unit_details(form: dict[str, list[str]], vocabulary: Vocabulary, *, new: bool) -> Checked:
    """A unit's details; for a new unit also its care type and its places."""
    one = {key: values[0] if values else "" for key, values in form.items()}
    checked = Checked()
    name = one.get("name", "").strip()
    checked.typed["name"] = name
    if not name:
        checked.errors["name"] = _("Give the unit a name.")
    elif len(name) > 200:
        checked.errors["name"] = _("Write at most %(count)d characters.") % {"count": 200}
    age_min = _whole(checked, one, "age_min", AGE_MIN, AGE_MAX)
    age_max = _whole(checked, one, "age_max", AGE_MIN, AGE_MAX)
    if age_min is not None and age_max is not None and age_min > age_max:
        checked.errors["age_max"] = _("The highest age cannot be below the lowest.")
    groups = [code for code in form.get("target_groups", []) if code]
    checked.typed["target_groups"] = groups
    if not groups or any(code not in TARGET_GROUPS for code in groups):
        checked.errors["target_groups"] = _("Choose at least one target group.")
    specialisms = [code for code in form.get("specialisms", []) if code]
    checked.typed["specialisms"] = specialisms
    if vocabulary.unknown("needs", specialisms):
        checked.errors["specialisms"] = _("Choose specialisms from the list.")
    municipality = one.get("municipality_code", "").strip().upper()
    checked.typed["municipality_code"] = municipality
    if not geography.is_municipality(municipality):
        checked.errors["municipality_code"] = _("Choose the municipality where the unit is.")
    description = one.get("description", "").strip()
    checked.typed["description"] = description
    if len(description) > 2000:
        checked.errors["description"] = _("Write at most %(count)d characters.") % {"count": 2000}
    latitude = _coordinate(checked, one, "latitude", -90.0, 90.0)
    longitude = _coordinate(checked, one, "longitude", -180.0, 180.0)
    if (latitude is None) != (longitude is None) and "latitude" not in checked.errors:
        checked.errors["longitude" if longitude is None else "latitude"] = _("Give both coordinates, or neither.")
    part_time = one.get("part_time") == "on"
    checked.typed["part_time"] = part_time
    values: dict[str, Any] = {
        "name": name,
        "target_groups": groups,
        "age_min": age_min,
        "age_max": age_max,
        "municipality_code": municipality,
        "specialisms": specialisms,
        "description": description or None,
        "part_time": part_time,
        "latitude": latitude,
        "longitude": longitude,
    }
    if new:
        care_type = one.get("care_type", "")
        checked.typed["care_type"] = care_type
        if care_type not in CARE_TYPES:
            checked.errors["care_type"] = _("Choose the form of care.")
        values["care_type"] = care_type
        values["capacity"] = _whole(checked, one, "capacity", 0, MAX_PLACES)
    if checked.ok:
        checked.values = values
    return checked


def capacity_said(fields: dict[str, str], known: set[str]) -> dict[str, str]:
    """Capacity's refusal beside the fields of the form it names (its own words stay in its answer)."""
    return {name if name in known else "": _("Capacity does not accept this value.") for name in fields}


def too_few_places(occupied: int, held: int, blocked: int) -> str:
    return _("At least %(needed)d places are needed: %(occupied)d occupied, %(held)d held and %(blocked)d blocked.") % {
        "needed": occupied + held + blocked,
        "occupied": occupied,
        "held": held,
        "blocked": blocked,
    }


# What the point's use cases refuse of a field the form could not check itself, in the page's words.
REFUSED_FIELDS = {
    "week": N_("Hours can be recorded for a week of the stay, up to this week."),
    "start_date": N_("This start date is not possible for this proposal."),
    "unit_id": N_("Choose one of your open units that fits this child."),
    "reason_code": N_("Choose why you decline."),
}


def use_case_said(field_name: str) -> str:
    return _(REFUSED_FIELDS.get(field_name, N_("The point does not accept this value.")))
