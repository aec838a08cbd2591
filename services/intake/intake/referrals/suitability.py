"""What a referral adds for the place that fits (docs/domain.md, "School, distance and the child's voice"):
the child's school and how far it may travel, the child's voice, and for closed youth care the court's
authorisation. Their rules, how they are stored, what matching is told and how they are shown.

The child's own words (`child_voice.note`) stay in intake: matching gets the codes of the wishes only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from common.auth import Principal
from common.errors import FieldError
from contracts.geography import is_municipality
from contracts.vocabulary import CareType, Vocabulary
from intake.context import Row
from intake.domain import unknown_codes
from intake.schemas import ChildVoiceOut, CourtAuthorisationOut, ReferralIn


def field_errors(body: ReferralIn, today: date, vocabulary: Vocabulary) -> list[FieldError]:
    """Every broken rule of school, distance, voice and authorisation, each naming its field; the wishes
    are codes of the vocabulary's `wishes`."""
    errors: list[FieldError] = []
    school = body.client.school_municipality_code
    if school is not None and not is_municipality(school):
        errors.append(FieldError("client.school_municipality_code", "is not a Dutch municipality (a CBS code GMxxxx)"))
    if body.child_voice is not None:
        errors += unknown_codes(vocabulary, "wishes", body.child_voice.wishes, field="child_voice.wishes")
    errors += _authorisation_errors(body, today)
    return errors


def _authorisation_errors(body: ReferralIn, today: date) -> list[FieldError]:
    """Closed youth care needs the court's authorisation, decided already and not lapsed."""
    authorisation = body.court_authorisation
    if authorisation is None:
        if body.care_type == CareType.SECURE:
            return [FieldError("court_authorisation", "is required for care type secure (closed youth care)")]
        return []
    errors = []
    if authorisation.decided_on > today:
        errors.append(FieldError("court_authorisation.decided_on", "lies in the future"))
    if authorisation.valid_until <= authorisation.decided_on:
        errors.append(FieldError("court_authorisation.valid_until", "must lie after decided_on"))
    elif authorisation.valid_until < today:
        errors.append(FieldError("court_authorisation.valid_until", "has passed: the authorisation has lapsed"))
    return errors


def stored_values(body: ReferralIn) -> dict[str, Any]:
    """The referral's columns of school, distance, voice and authorisation."""
    voice, authorisation = body.child_voice, body.court_authorisation
    return {
        "school_municipality_code": body.client.school_municipality_code,
        "max_travel_km": body.max_travel_km,
        "child_heard": voice.heard if voice is not None else None,
        "child_wishes": list(dict.fromkeys(voice.wishes)) if voice is not None else None,
        "child_voice_note": voice.note if voice is not None else None,
        "court_authorisation_kind": authorisation.kind if authorisation is not None else None,
        "court_authorisation_decided_on": authorisation.decided_on if authorisation is not None else None,
        "court_authorisation_valid_until": authorisation.valid_until if authorisation is not None else None,
    }


def decision_fields(row: Row) -> dict[str, Any]:
    """What matching is told (contracts.matching.DecisionRequest): codes and numbers, never the note."""
    return {
        "school_municipality_code": row["school_municipality_code"],
        "max_travel_km": row["max_travel_km"],
        "wishes": list(row["child_wishes"] or []),
    }


def _shows_note(principal: Principal, row: Row) -> bool:
    """The child's own words: for its referrer and the coordinators, not for providers."""
    if principal.role == "referrer":
        return bool(row["referrer_org"] == principal.org)
    return principal.is_coordinator


def child_voice(row: Row, *, with_note: bool) -> ChildVoiceOut | None:
    if row["child_heard"] is None:
        return None
    return ChildVoiceOut(
        heard=bool(row["child_heard"]),
        wishes=list(row["child_wishes"] or []),
        note=row["child_voice_note"] if with_note else None,
    )


def court_authorisation(row: Row) -> CourtAuthorisationOut | None:
    if row["court_authorisation_kind"] is None:
        return None
    return CourtAuthorisationOut(
        kind=row["court_authorisation_kind"],
        decided_on=row["court_authorisation_decided_on"],
        valid_until=row["court_authorisation_valid_until"],
    )


def shown_fields(row: Row, principal: Principal) -> dict[str, Any]:
    """The referral's fields of school distance, voice and authorisation as its reader is shown them."""
    return {
        "max_travel_km": row["max_travel_km"],
        "child_voice": child_voice(row, with_note=_shows_note(principal, row)),
        "court_authorisation": court_authorisation(row),
    }


def proposal_distances(row: Row) -> dict[str, Any]:
    return {
        "distance_home_km": row["proposal_distance_home_km"],
        "distance_school_km": row["proposal_distance_school_km"],
    }
