"""Words for the codes the dashboard shows, in the page's language (`intake.i18n.current()`).

The codes of the vocabulary's sections take their words from the vocabulary (`term`); the codes fixed
in the code (care types, target groups, statuses, signal types, ...) from the message catalog, marked
here with `N_` and translated where they are shown."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

from jinja2 import pass_context

from contracts import geography, suitability
from contracts.vocabulary import Language, Section, Vocabulary
from intake import i18n
from intake.i18n import N_, _, ngettext

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

STATUSES = {
    "pending": N_("Being matched"),
    "proposed": N_("Proposed"),
    "unmatched": N_("No place found"),
    "placed": N_("Placed"),
    "withdrawn": N_("Withdrawn"),
    "ended": N_("Stay ended"),
}

SIGNAL_TYPES = {
    "crisis_cap_exceeded": N_("Crisis cap passed"),
    "crisis_cap_approaching": N_("Crisis cap approaching"),
    "onward_placement": N_("Onward placement"),
    "repeated_placements": N_("Repeated placements"),
    "placement_breakdown": N_("Placement breakdown"),
    "placement_at_risk": N_("Placement at risk"),
    "out_of_region": N_("Placed outside the region"),
    "unmatched": N_("No place found"),
    "stacking": N_("Stacking of care"),
    "authorisation_expiring": N_("Court authorisation about to lapse"),
    "siblings_split": N_("Siblings placed apart"),
}

END_REASONS = {
    "returned_home": N_("returned home"),
    "onward_placement": N_("onward placement"),
    "independent_living": N_("living independently"),
    "breakdown": N_("breakdown"),
    "other": N_("other reason"),
}

CRITERIA = {"safety": N_("safety"), "expertise": N_("specific expertise")}

ROLES = {
    "coordinator": N_("coordinator"),
    "provider": N_("provider"),
    "referrer": N_("referrer"),
    "system": N_("the point itself"),
    "service": N_("a service of the point"),
}

OUTCOMES = {"proposed": N_("proposed"), "unmatched": N_("no place found"), "placed": N_("placed")}

ACTIONS = {
    "create": N_("referral received"),
    "create_repeated": N_("referral sent again (same key)"),
    "read": N_("file read"),
    "list": N_("seen in a list"),
    "read_access_log": N_("history read"),
    "read_decisions": N_("matching decisions read"),
    "read_signals": N_("signals read"),
    "read_refused": N_("reading refused"),
    "audit_read": N_("read for an audit"),
    "subject_access": N_("access request of the person"),
    "propose": N_("proposed to a provider"),
    "unmatched": N_("no place found"),
    "accept": N_("accepted by the provider"),
    "decline": N_("declined by the provider"),
    "expire": N_("proposal lapsed"),
    "withdraw": N_("withdrawn"),
    "end": N_("stay ended"),
    "offer": N_("place offered by a partner"),
    "extend_crisis": N_("crisis stay extended"),
    "acknowledge_signal": N_("signal acknowledged"),
    "raise_signal": N_("signal raised"),
    "split": N_("siblings placed apart"),
    "sibling_rematch": N_("matched again with the siblings"),
    "one_on_one": N_("one-on-one hours recorded"),
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


def _language() -> Language:
    return cast(Language, i18n.current())


def plain(code: object) -> str:
    """A code nobody gave words yet, as words: `needs_not_met` as `needs not met`."""
    return str(code).replace("_", " ")


def _word(table: Mapping[str, str], code: object) -> str:
    found = table.get(str(code))
    return _(found) if found else plain(code)


def care_type(code: object) -> str:
    return _word(CARE_TYPES, code)


def target_group(code: object) -> str:
    return _word(TARGET_GROUPS, code)


def status(code: object) -> str:
    return _word(STATUSES, code)


def signal_type(code: object) -> str:
    return _word(SIGNAL_TYPES, code)


def end_reason(code: object) -> str:
    return _word(END_REASONS, code)


def criterion(code: object) -> str:
    return _word(CRITERIA, code)


def role(code: object) -> str:
    return _word(ROLES, code)


def outcome(code: object) -> str:
    return _word(OUTCOMES, code)


def action(code: object) -> str:
    text = str(code)
    if text.startswith("export"):
        return _("exported for analysis")
    return _word(ACTIONS, code)


def vocabulary_label(
    vocabulary: Vocabulary, section: Section, code: object, extra: Mapping[str, Any] | None = None
) -> str:
    """A vocabulary code in the page's language; a code the vocabulary no longer has takes the words a
    decision kept beside it (`extra`), else plain words."""
    language = _language()
    label = vocabulary.label(section, str(code), language)
    if label != str(code):
        return label
    kept = (extra or {}).get(str(code))
    if isinstance(kept, Mapping) and kept.get(language):
        return str(kept[language])
    return plain(code)


@pass_context
def term(context: Any, code: object, section: Section, extra: Mapping[str, Any] | None = None) -> str:
    """A code of the vocabulary by its label in the page's language."""
    vocabulary: Vocabulary = context["request"].app.state.vocabulary
    return vocabulary_label(vocabulary, section, code, extra)


def municipality(code: object) -> str:
    name = MUNICIPALITIES.get(str(code))
    return f"{name}" if name else geography.municipality_name(str(code))


def reason(code: object) -> str:
    """A code outside the vocabulary's sections (a court authorisation's kind: contracts.suitability) by
    its label in the page's language."""
    return suitability.label(str(code), _language())


def age(birth_date: date | None, today: date) -> int | None:
    """Age in whole years on `today`."""
    if birth_date is None:
        return None
    years = today.year - birth_date.year
    return years - ((today.month, today.day) < (birth_date.month, birth_date.day))


def years(n: int | None) -> str:
    if n is None:
        return "–"
    return ngettext("%(num)s year", "%(num)s years", n) % {"num": n}


# --- a signal's detail --------------------------------------------------------------------------

DETAIL_KEYS = {
    "provider_id": N_("provider"),
    "current_provider_id": N_("current provider"),
    "other_provider_id": N_("provider of the other stay"),
    "care_type": N_("care type"),
    "current_care_type": N_("current care type"),
    "new_care_type": N_("care type asked"),
    "target_group": N_("target group"),
    "start_date": N_("started"),
    "end_date": N_("ended"),
    "current_start_date": N_("current stay started"),
    "other_start_date": N_("other stay started"),
    "other_end_date": N_("other stay ended"),
    "crisis_end_date": N_("crisis cap"),
    "valid_until": N_("valid until"),
    "kind": N_("authorisation"),
    "criterion": N_("ground"),
    "split_code": N_("reason"),
    "reason": N_("note"),
    "note": N_("note"),
    "earlier_crisis_days": N_("earlier crisis days"),
    "window_days": N_("within days"),
    "cap_days": N_("cap in days"),
    "ended_stays": N_("stays ended"),
    "crisis_days_left": N_("days left"),
    "days_left": N_("days left"),
}
# Free text kept for the referral's page (the list shows the codes' words), and the crisis days left
# at the moment the signal was raised: the pages show the live figure instead.
DETAIL_SKIPPED = ("notes", "reasons", "crisis_days_left")


def detail_parts(
    value: object, providers: Mapping[str, str] | None = None, vocabulary: Vocabulary | None = None
) -> list[tuple[str, str]]:
    """A signal's detail as (label, words) pairs: providers by name, codes in words, dates as written
    here, other ids left out."""
    if not isinstance(value, Mapping):
        return [] if value is None else [("", str(value))]
    names = providers or {}
    parts: list[tuple[str, str]] = []
    for key, item in value.items():
        if item is None or item == "" or item == [] or key in DETAIL_SKIPPED:
            continue
        if key.endswith("provider_id"):
            shown = names.get(str(item), _("unknown provider"))
        elif key.endswith("_id") or key.endswith("_ids") or isinstance(item, (dict, list)):
            continue
        elif key.endswith("care_type"):
            shown = care_type(item)
        elif key == "target_group":
            shown = target_group(item)
        elif key.endswith("_date") or key == "valid_until":
            shown = i18n.day(str(item))
        elif key == "kind":
            shown = reason(item)
        elif key == "criterion":
            shown = criterion(item)
        elif key == "split_code":
            shown = vocabulary_label(vocabulary, "split_reasons", item) if vocabulary else plain(item)
        elif isinstance(item, (int, float)) and not isinstance(item, bool):
            shown = i18n.number(item)
        else:
            shown = str(item)
        label = DETAIL_KEYS.get(key)
        parts.append((_(label) if label else plain(key), shown))
    return parts


@pass_context
def detail(context: Any, value: object, providers: Mapping[str, str] | None = None) -> str:
    """A signal's detail as one readable line."""
    vocabulary: Vocabulary = context["request"].app.state.vocabulary
    return " · ".join(
        f"{label}: {shown}" if label else shown for label, shown in detail_parts(value, providers, vocabulary)
    )


def number(value: object) -> str:
    """12.0 as 12, 3.456 as 3,5 (in Dutch)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return i18n.number(value)
    return "–" if value is None else str(value)


def figure(value: object, unit: str) -> str:
    """An indicator's value with its unit: 42,5%, 87 dagen, 12."""
    if value is None or not isinstance(value, (int, float)):
        return "–"
    if unit == "percent":
        return i18n.percent(float(value))
    if unit == "days":
        return i18n.days(value)
    return i18n.number(value)
