"""The pure intake rules, without a database."""

from datetime import date

import pytest

from common.errors import InvalidFields
from contracts.vocabulary import load_vocabulary
from intake import domain

VOCABULARY = load_vocabulary()
TODAY = date(2026, 11, 2)


def check(facts: domain.ClientFacts, care_type: str, justification: str | None, needs: list[str] | None = None) -> None:
    domain.check_referral(
        facts, care_type, justification, today=TODAY, region=("GM0518",), needs=needs or [], vocabulary=VOCABULARY
    )


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999990019"])
def test_bsn_passing_the_eleven_test_is_valid(bsn: str) -> None:
    assert domain.bsn_is_valid(bsn)


@pytest.mark.parametrize("bsn", ["111222334", "12345678", "1234567890", "12345678a", "000000000", ""])
def test_bsn_failing_the_eleven_test_or_the_shape_is_invalid(bsn: str) -> None:
    assert not domain.bsn_is_valid(bsn)


def test_age_counts_full_years_only() -> None:
    assert domain.age_on(date(2012, 5, 1), date(2026, 4, 30)) == 13
    assert domain.age_on(date(2012, 5, 1), date(2026, 5, 1)) == 14


def test_training_flat_takes_young_adults_up_to_22() -> None:
    facts = domain.ClientFacts("111222333", date(2004, 1, 1), "GM0518")
    check(facts, "training_flat", None)
    with pytest.raises(InvalidFields) as raised:
        check(facts, "residential", None)
    assert [e.field for e in raised.value.errors] == ["client.birth_date"]


def test_every_broken_rule_is_named_at_once() -> None:
    facts = domain.ClientFacts("111222334", date(2030, 1, 1), "GM0000")
    with pytest.raises(InvalidFields) as raised:
        check(facts, "residential", "too short", ["trauma", "hechting", "autism", "castle"])
    assert [e.field for e in raised.value.errors] == [
        "client.bsn",
        "client.birth_date",
        "client.municipality_code",
        "out_of_region.justification",
        "needs.1",
        "needs.3",
    ]
    assert "'hechting' is not a code of the vocabulary's needs" in raised.value.errors[4].message


def test_client_key_is_a_stable_keyed_pseudonym() -> None:
    first = domain.client_key("secret", "111222333")
    assert first == domain.client_key("secret", "111222333")
    assert first != domain.client_key("other-secret", "111222333")
    assert len(first) == domain.CLIENT_KEY_LENGTH
    assert "111222333" not in first


def test_client_key_names_the_key_that_made_it() -> None:
    key_id = domain.client_key_id("secret")
    first = domain.client_key("secret", "111222333")
    assert first.startswith(f"{key_id}.") and len(key_id) == domain.KEY_ID_LENGTH
    assert domain.made_with(first, key_id)
    # Another secret has another id, derived from it: rotating the secret changes the id with it.
    assert domain.client_key_id("other-secret") != key_id
    assert not domain.made_with(domain.client_key("other-secret", "111222333"), key_id)
    # A bare digest, stored before pseudonyms named their key, was made with an earlier key.
    assert not domain.made_with(first.split(".", 1)[1], key_id)
    # The digest part is the keyed hash of the BSN alone, as before: only its key id was added.
    assert len(first.split(".", 1)[1]) == 64


def test_crisis_end_date_is_four_weeks_after_start_for_crisis_only() -> None:
    assert domain.crisis_end_date("crisis", date(2026, 11, 2), 28) == date(2026, 11, 30)
    assert domain.crisis_end_date("residential", date(2026, 11, 2), 28) is None
