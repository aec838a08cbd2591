"""The rules of school, distance, voice and authorisation without a database (intake.referrals.suitability)."""

from __future__ import annotations

from datetime import date
from typing import Any

from contracts.vocabulary import load_vocabulary
from intake.referrals.suitability import field_errors
from intake.schemas import ReferralIn

TODAY = date(2026, 11, 2)


def referral(**fields: Any) -> ReferralIn:
    client = {"bsn": "111222333", "birth_date": "2012-05-01", "municipality_code": "GM0518"}
    client.update(fields.pop("client", {}))
    return ReferralIn.model_validate({"client": client, "care_type": "residential", "target_group": "jo", **fields})


def fields_of(body: ReferralIn) -> list[str]:
    return [error.field for error in field_errors(body, TODAY, load_vocabulary())]


def test_a_referral_without_the_new_fields_breaks_no_rule() -> None:
    assert fields_of(referral()) == []


def test_a_school_must_be_a_dutch_municipality() -> None:
    assert fields_of(referral(client={"school_municipality_code": "GM0546"})) == []
    assert fields_of(referral(client={"school_municipality_code": "GM0000"})) == ["client.school_municipality_code"]


def test_wishes_must_be_known_codes() -> None:
    voice = {"heard": True, "wishes": ["near_school", "with_siblings", "faith"]}
    assert fields_of(referral(child_voice=voice)) == []
    assert fields_of(referral(child_voice={"heard": True, "wishes": ["pony"]})) == ["child_voice.wishes.0"]


def test_secure_care_needs_a_consistent_authorisation_and_every_broken_rule_is_named() -> None:
    assert fields_of(referral(care_type="secure")) == ["court_authorisation"]
    valid = {"kind": "machtiging", "decided_on": "2026-10-01", "valid_until": "2027-04-01"}
    assert fields_of(referral(care_type="secure", court_authorisation=valid)) == []
    # Valid until the very day counts as still valid today.
    today = {**valid, "valid_until": "2026-11-02"}
    assert fields_of(referral(care_type="secure", court_authorisation=today)) == []
    both = {"kind": "spoedmachtiging", "decided_on": "2026-11-05", "valid_until": "2026-11-04"}
    assert fields_of(
        referral(care_type="secure", court_authorisation=both, client={"school_municipality_code": "GM0000"})
    ) == ["client.school_municipality_code", "court_authorisation.decided_on", "court_authorisation.valid_until"]


def test_an_authorisation_may_come_with_another_care_type() -> None:
    valid = {"kind": "spoedmachtiging", "decided_on": "2026-11-01", "valid_until": "2026-11-29"}
    assert fields_of(referral(care_type="crisis", court_authorisation=valid)) == []
