"""The intake rules: what a valid referral is, the statuses of its life and which step each allows (who
may see a referral: referrals.visibility; the signals' and the waiting list's rules: their rules.py)."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from common.errors import Conflict, FieldError, InvalidFields, InvalidInput
from contracts.vocabulary import CareType, Section, Vocabulary


class Status(StrEnum):
    pending = "pending"
    proposed = "proposed"
    unmatched = "unmatched"
    placed = "placed"
    withdrawn = "withdrawn"
    ended = "ended"


# Statuses of a referral that is still looking for a place: the waiting children, and for a child in
# a crisis stay its follow-up.
WAITING_STATUSES = (Status.pending, Status.proposed, Status.unmatched)
WAITING = tuple(status.value for status in WAITING_STATUSES)
# The children waiting, as the dashboard and the indicators count them: without a place, neither held
# (proposed: a provider is asked, and its answer is awaited on a list of its own) nor begun.
WITHOUT_PLACE_STATUSES = (Status.pending, Status.unmatched)
WITHOUT_PLACE = tuple(status.value for status in WITHOUT_PLACE_STATUSES)


class EndReason(StrEnum):
    returned_home = "returned_home"
    onward_placement = "onward_placement"
    independent_living = "independent_living"
    breakdown = "breakdown"
    other = "other"


MAX_AGE = 17
# Kamertraining continues into extended youth care for young adults.
MAX_AGE_TRAINING_FLAT = 22
MIN_JUSTIFICATION_LENGTH = 20
ACCEPT_MAX_DAYS_BACK = 60
CONTINUITY_DAYS = 365


class StateConflict(Conflict):
    """The referral's current status does not allow the requested step."""


class SubmissionInProgress(Conflict):
    """A request with the same Idempotency-Key is still being answered; its answer comes shortly."""

    retry_after = 1

    def __init__(self) -> None:
        super().__init__("A referral with this Idempotency-Key is still being submitted; ask again in a moment.")


def bsn_is_valid(bsn: str) -> bool:
    """The eleven-test ("elfproef") of the Dutch citizen service number."""
    # ASCII digits only: str.isdigit() also takes "٩" or "²", and one child would get two client keys.
    if len(bsn) != 9 or not (bsn.isascii() and bsn.isdigit()):
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(digit) * weight for digit, weight in zip(bsn, weights, strict=True))
    return total % 11 == 0 and bsn != "000000000"


def age_on(birth_date: date, day: date) -> int:
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def max_age_for(care_type: str) -> int:
    return MAX_AGE_TRAINING_FLAT if care_type == CareType.TRAINING_FLAT else MAX_AGE


@dataclass(frozen=True)
class ClientFacts:
    bsn: str
    birth_date: date
    municipality_code: str


def check_referral(
    client: ClientFacts,
    care_type: str,
    out_of_region_justification: str | None,
    *,
    today: date,
    region: tuple[str, ...],
    needs: Sequence[str],
    vocabulary: Vocabulary,
    risk_flags: Sequence[str] = (),
    vulnerabilities: Sequence[str] = (),
    also: list[FieldError] | None = None,
) -> None:
    """The rules a referral must meet before it is stored; every broken rule is named at once, with
    those of other rules found `also` (intake.referrals.suitability)."""
    errors: list[FieldError] = []
    if not bsn_is_valid(client.bsn):
        errors.append(FieldError("client.bsn", "is not a valid BSN: it must be 9 digits and pass the eleven-test"))
    if client.birth_date > today:
        errors.append(FieldError("client.birth_date", "lies in the future"))
    else:
        age = age_on(client.birth_date, today)
        limit = max_age_for(care_type)
        if age > limit:
            errors.append(FieldError("client.birth_date", f"the child is {age}; {care_type} takes up to age {limit}"))
    if client.municipality_code not in region:
        errors.append(FieldError("client.municipality_code", "is not a municipality of this region"))
    justification_short = (
        out_of_region_justification is not None and len(out_of_region_justification.strip()) < MIN_JUSTIFICATION_LENGTH
    )
    if justification_short:
        errors.append(
            FieldError(
                "out_of_region.justification",
                f"must explain the ground in at least {MIN_JUSTIFICATION_LENGTH} characters",
            )
        )
    errors += unknown_codes(vocabulary, "needs", needs, field="needs")
    # The group the child joins: codes only, passed on with the client key.
    errors += unknown_codes(vocabulary, "risk_flags", risk_flags, field="risk_flags")
    errors += unknown_codes(vocabulary, "vulnerabilities", vulnerabilities, field="vulnerabilities")
    errors += also or []
    if errors:
        raise InvalidFields(errors)


def unknown_codes(vocabulary: Vocabulary, section: Section, codes: Sequence[str], *, field: str) -> list[FieldError]:
    """A field error for each code of `codes` that is not in the vocabulary's section, named by its
    position (`needs.2`) and naming the code."""
    return [
        FieldError(f"{field}.{index}", vocabulary.refusal(section, code))
        for index, code in vocabulary.unknown(section, codes)
    ]


# Labels the key id's hash, so that the fingerprint of a secret is never the hash of anything else.
_KEY_ID_LABEL = b"regiepunt client key id\x00"
KEY_ID_LENGTH = 8
# `<key id>.<HMAC-SHA256 hex>`: 8 + 1 + 64 characters, well inside the 128 the contracts allow.
CLIENT_KEY_LENGTH = KEY_ID_LENGTH + 1 + 64


def client_key_id(secret: str) -> str:
    """The id of the key that makes pseudonyms: a short fingerprint of the secret itself. Derived rather
    than configured, so that rotating the secret changes the id with it: a second setting could be
    forgotten, and then pseudonyms of the new key would pass for those of the old one (or the other way
    round) and never be re-keyed. 32 bits tell one secret from the next; they reveal nothing of it."""
    return hashlib.sha256(_KEY_ID_LABEL + secret.encode()).hexdigest()[:KEY_ID_LENGTH]


def client_key(secret: str, bsn: str) -> str:
    """The pseudonym other services know the child by; only intake can link it to the BSN. It names the
    key that made it, so that pseudonyms of an earlier key can be found and re-keyed (client_keys)."""
    digest = hmac.new(secret.encode(), bsn.encode(), hashlib.sha256).hexdigest()
    return f"{client_key_id(secret)}.{digest}"


def made_with(key: str, key_id: str) -> bool:
    """Whether a stored pseudonym was made with the key of `key_id`. A bare digest (stored before
    pseudonyms named their key) was made with an earlier key."""
    return key.startswith(f"{key_id}.")


def require_status(current: str, allowed: tuple[Status, ...], action: str) -> None:
    if current not in allowed:
        names = " or ".join(s.value for s in allowed)
        raise StateConflict(f"Cannot {action} a referral that is {current}; it must be {names}.")


def check_start_date(start: date, today: date) -> None:
    if start > today:
        raise InvalidInput("start_date", "cannot lie in the future")
    if start < today - timedelta(days=ACCEPT_MAX_DAYS_BACK):
        raise InvalidInput("start_date", f"may lie at most {ACCEPT_MAX_DAYS_BACK} days back")


def check_end_date(end: date, start: date | None, today: date) -> None:
    if end > today:
        raise InvalidInput("end_date", "cannot lie in the future")
    if start is not None and end < start:
        raise InvalidInput("end_date", "cannot lie before the start of the stay")


def crisis_end_date(care_type: str, start: date, cap_days: int) -> date | None:
    """Crisis stays are capped ("home, unless…"): the end is known from the first day."""
    if care_type != CareType.CRISIS:
        return None
    return start + timedelta(days=cap_days)


def crisis_days_left(end: date | None, today: date) -> int | None:
    return None if end is None else (end - today).days


def hold_hours(care_type: str, crisis_hours: int, other_hours: int) -> int:
    return crisis_hours if care_type == CareType.CRISIS else other_hours


def referral_reference(year: int, number: int) -> str:
    """The readable reference of a referral: the year it was received and its number in that year,
    `2026-0042`; four digits at least, more in a year of ten thousand referrals or more."""
    return f"{year}-{number:04d}"
