"""The referrer's referral form, pure: the form's fields to a referral body (the API's own `ReferralIn`),
the API's field errors back to the form's fields in the page's words, and the words of the codes the
referrer's pages show. No FastAPI, no database: the pages (intake.portal.referrer) call these."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from pydantic import ValidationError

from common.app import field_name
from common.errors import FieldError
from contracts.geography import MAX_TRAVEL_KM
from intake.i18n import N_, _, ngettext
from intake.notifications.rules import ALLOWED_EVENTS, EventType
from intake.schemas import ReferralIn

# The form's controls, named as the API's fields (`client.bsn`), in the order of the form: an error
# about a field is shown at the first of these its name falls under.
TEXT_FIELDS = (
    "client.bsn",
    "client.birth_date",
    "client.municipality_code",
    "client.school_municipality_code",
    "care_type",
    "target_group",
    "requested_start",
    "part_time",
    "max_travel_km",
    "out_of_region.criterion",
    "out_of_region.justification",
    "child_voice.heard",
    "child_voice.note",
    "court_authorisation.kind",
    "court_authorisation.decided_on",
    "court_authorisation.valid_until",
    "notes",
)
LIST_FIELDS = ("needs", "risk_flags", "vulnerabilities", "child_voice.wishes")
FIELDS = TEXT_FIELDS + LIST_FIELDS
# Errors about a group as a whole (a secure referral without an authorisation) go to its first control.
GROUPS = {
    "client": "client.bsn",
    "out_of_region": "out_of_region.criterion",
    "child_voice": "child_voice.heard",
    "court_authorisation": "court_authorisation.kind",
}

# The controls' labels, as the error summary names them.
LABELS = {
    "client.bsn": N_("Citizen service number (BSN)"),
    "client.birth_date": N_("Date of birth"),
    "client.municipality_code": N_("Home municipality"),
    "client.school_municipality_code": N_("Municipality of the school"),
    "care_type": N_("Form of care"),
    "target_group": N_("Target group"),
    "requested_start": N_("Requested start"),
    "part_time": N_("Part-time (for example weekends only)"),
    "max_travel_km": N_("Farthest distance in kilometres"),
    "out_of_region.criterion": N_("Ground"),
    "out_of_region.justification": N_("Explanation of the ground"),
    "child_voice.heard": N_("Was the child heard?"),
    "child_voice.note": N_("What the child said"),
    "court_authorisation.kind": N_("Kind of authorisation"),
    "court_authorisation.decided_on": N_("Decided on"),
    "court_authorisation.valid_until": N_("Valid until"),
    "notes": N_("Notes"),
    "needs": N_("What the child needs"),
    "risk_flags": N_("Risks the child brings"),
    "vulnerabilities": N_("How the child is vulnerable"),
    "child_voice.wishes": N_("What the child wishes"),
}

CARE_TYPES = {
    "crisis": N_("Crisis shelter"),
    "foster_care": N_("Foster care"),
    "family_home": N_("Family home"),
    "respite": N_("Respite (short stays)"),
    "training_flat": N_("Training flat (16+)"),
    "residential": N_("Residential group"),
    "clinical": N_("Clinical mental health care"),
    "secure": N_("Secure youth care"),
}
TARGET_GROUPS = {
    "jo": N_("Youth and parenting support"),
    "lvb": N_("Mild intellectual disability"),
    "ggz": N_("Mental health"),
}
CRITERIA = {
    "safety": N_("Safety: the child must be away from the area"),
    "expertise": N_("Expertise not available inside the region"),
}
STATUSES = {
    "pending": N_("Being matched"),
    "proposed": N_("Place proposed"),
    "unmatched": N_("No place found yet"),
    "placed": N_("Placed"),
    "withdrawn": N_("Withdrawn"),
    "ended": N_("Stay ended"),
}
END_REASONS = {
    "returned_home": N_("Returned home"),
    "onward_placement": N_("Onward placement"),
    "independent_living": N_("Living independently"),
    "breakdown": N_("Breakdown"),
    "other": N_("Other"),
}
EVENTS = {
    EventType.referral_proposed: N_("A place is proposed"),
    EventType.referral_proposal_expiring: N_("A proposal is about to lapse"),
    EventType.referral_proposal_expired: N_("A proposal has lapsed"),
    EventType.referral_placed: N_("The child is placed"),
    EventType.referral_unmatched: N_("No place was found"),
    EventType.referral_withdrawn: N_("A referral is withdrawn"),
    EventType.referral_ended: N_("A stay has ended"),
}
REFERRER_EVENTS = tuple(event for event in EVENTS if event in ALLOWED_EVENTS["referrer"])
# What a new subscription hears unless the referrer chooses otherwise.
DEFAULT_EVENTS = (
    EventType.referral_proposed,
    EventType.referral_placed,
    EventType.referral_unmatched,
)

_VOCABULARY_REFUSAL = re.compile(r"^'(?P<code>.*)' is not a code of the vocabulary's")
_TOO_OLD = re.compile(r"^the child is (?P<age>\d+); \w+ takes up to age (?P<limit>\d+)$")
_SHORT_JUSTIFICATION = re.compile(r"^must explain the ground in at least (?P<n>\d+) characters$")


def word(mapping: Mapping[Any, str], code: object) -> str:
    """A code's words in the page's language; an unknown code as itself."""
    words = mapping.get(str(code)) if code is not None else None
    return _(words) if words else str(code or "").replace("_", " ")


@dataclass
class Submitted:
    """What the referrer typed, kept as typed so that an error loses nothing, and its errors by field."""

    values: dict[str, str] = field(default_factory=dict)
    lists: dict[str, list[str]] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def chosen(self, name: str) -> list[str]:
        return self.lists.get(name, [])

    def add_error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def submitted(form: Mapping[str, Sequence[str]]) -> Submitted:
    """The form's fields as sent (every value a list, as a form sends them)."""
    values = {name: (form.get(name) or [""])[0] for name in TEXT_FIELDS}
    lists = {name: [code for code in form.get(name, []) if code] for name in LIST_FIELDS}
    return Submitted(values=values, lists=lists)


def _text(value: str) -> str | None:
    stripped = value.strip()
    return stripped or None


def _put(body: dict[str, Any], name: str, value: Any) -> None:
    """`client.bsn` into body["client"]["bsn"]; absent values stay out, so the model names what is missing."""
    if value is None:
        return
    *parents, last = name.split(".")
    target = body
    for parent in parents:
        target = target.setdefault(parent, {})
    target[last] = value


def referral_body(form: Submitted) -> dict[str, Any]:
    """The referral body of the API from the form: what the API would get from a case system."""
    values = {name: _text(form.value(name)) for name in TEXT_FIELDS}
    bsn = values["client.bsn"]
    if bsn is not None:
        # People write a citizen number in groups ("1234 56 782", "1234.56.782"); the number is the digits.
        values["client.bsn"] = re.sub(r"[\s.]", "", bsn)
    body: dict[str, Any] = {}
    for name in (
        "client.bsn",
        "client.birth_date",
        "client.municipality_code",
        "client.school_municipality_code",
        "care_type",
        "target_group",
        "requested_start",
        "max_travel_km",
        "notes",
    ):
        _put(body, name, values[name])
    if values["max_travel_km"] is not None:
        body["max_travel_km"] = values["max_travel_km"].replace(",", ".")
    body["part_time"] = values["part_time"] == "true"
    body["needs"] = form.chosen("needs")
    body["risk_flags"] = form.chosen("risk_flags")
    body["vulnerabilities"] = form.chosen("vulnerabilities")
    # A group is sent when any of its fields is filled in; the model then names what it still lacks.
    if values["out_of_region.criterion"] or values["out_of_region.justification"]:
        body["out_of_region"] = {}
        _put(body, "out_of_region.criterion", values["out_of_region.criterion"])
        _put(body, "out_of_region.justification", values["out_of_region.justification"])
    heard = values["child_voice.heard"]
    if heard or form.chosen("child_voice.wishes") or values["child_voice.note"]:
        voice: dict[str, Any] = {"wishes": form.chosen("child_voice.wishes")}
        if heard in ("true", "false"):
            voice["heard"] = heard == "true"
        elif heard is not None:
            voice["heard"] = heard
        if values["child_voice.note"] is not None:
            voice["note"] = values["child_voice.note"]
        body["child_voice"] = voice
    authorisation = ("court_authorisation.kind", "court_authorisation.decided_on", "court_authorisation.valid_until")
    if any(values[name] for name in authorisation):
        body["court_authorisation"] = {}
        for name in authorisation:
            _put(body, name, values[name])
    return body


def parse(body: dict[str, Any]) -> tuple[ReferralIn | None, list[tuple[str, str]]]:
    """The API's model of the body, or the errors it found as (field, message in the page's words)."""
    try:
        return ReferralIn.model_validate(body), []
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            name = field_name(error.get("loc", ()))
            errors.append((name, model_message(name, error)))
        return None, errors


def form_field(name: str) -> str:
    """The form's control an error about the API's field `name` is shown at: `needs.2` at `needs`,
    `court_authorisation` at its first control."""
    candidate = name
    while candidate:
        if candidate in FIELDS:
            return candidate
        if candidate in GROUPS:
            return GROUPS[candidate]
        candidate = candidate.rpartition(".")[0]
    return ""


def model_message(name: str, error: Mapping[str, Any]) -> str:
    """A validation error of the API's model in the page's words."""
    kind = str(error.get("type", ""))
    context = error.get("ctx") or {}
    if kind == "missing":
        return _("Fill this in.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Give a date as day, month and year.")
    if name == "max_travel_km" or kind in ("float_parsing", "finite_number", "greater_than", "less_than_equal"):
        return _("Give a distance in kilometres above 0 and at most %(most)s.") % {"most": int(MAX_TRAVEL_KM)}
    if kind in ("string_too_long", "too_long"):
        if kind == "too_long":
            return _("Choose at most %(most)s.") % {"most": context.get("max_length", "?")}
        return _("This is too long: at most %(most)s characters.") % {"most": context.get("max_length", "?")}
    if kind in ("literal_error", "enum", "bool_type", "bool_parsing"):
        return _("Choose one of the options.")
    if kind == "string_pattern_mismatch":
        return _("Choose from the options listed.")
    return _("This value is not accepted.")


def domain_message(name: str, message: str) -> str:
    """A rule's refusal (domain.check_referral, referrals.suitability) in the page's words."""
    if name == "client.bsn":
        return _("This is not a valid citizen service number (BSN): it has 9 digits and passes the eleven-test.")
    if message == "lies in the future":
        return _("This date lies in the future.")
    too_old = _TOO_OLD.match(message)
    if too_old:
        return _("The child is %(age)s; this form of care takes children up to the age of %(limit)s.") % {
            "age": too_old["age"],
            "limit": too_old["limit"],
        }
    if name == "client.municipality_code":
        return _("This is not a municipality of this region.")
    if name == "client.school_municipality_code":
        return _("This is not a Dutch municipality.")
    short = _SHORT_JUSTIFICATION.match(message)
    if short:
        return _("Explain the ground in at least %(n)s characters.") % {"n": short["n"]}
    refused = _VOCABULARY_REFUSAL.match(message)
    if refused:
        return _("“%(code)s” is not one of the options listed.") % {"code": refused["code"]}
    if name == "court_authorisation":
        return _("Secure youth care needs the court's authorisation: give its kind and dates.")
    if name == "court_authorisation.valid_until" and "after" in message:
        return _("This date must lie after the date of the decision.")
    if name == "court_authorisation.valid_until":
        return _("This date has passed: the authorisation has lapsed.")
    return _("This value is not accepted.")


def time_left(expires_at: datetime, now: datetime) -> str:
    """How long a proposal still holds the place, in the page's words: `2 dagen en 5 uur`, `3 uur en
    12 minuten`, `12 minuten`; `verlopen` once passed."""
    left = expires_at - now
    if left <= timedelta(0):
        return _("lapsed")
    minutes = int(left.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    day_words = ngettext("%(num)s day", "%(num)s days", days) % {"num": days}
    hour_words = ngettext("%(num)s hour", "%(num)s hours", hours) % {"num": hours}
    minute_words = ngettext("%(num)s minute", "%(num)s minutes", minutes) % {"num": minutes}
    if days:
        return _("%(first)s and %(second)s") % {"first": day_words, "second": hour_words} if hours else day_words
    if hours:
        return _("%(first)s and %(second)s") % {"first": hour_words, "second": minute_words} if minutes else hour_words
    return minute_words


def field_errors(errors: Sequence[FieldError]) -> list[tuple[str, str]]:
    """The rules' errors (InvalidFields) as (field, message in the page's words)."""
    return [(error.field, domain_message(error.field, error.message)) for error in errors]


def with_errors(form: Submitted, errors: Sequence[tuple[str, str]]) -> Submitted:
    """The form with each error at its control; an error no control holds goes to the form as a whole."""
    for name, message in errors:
        form.add_error(form_field(name) or "form", message)
    return form
