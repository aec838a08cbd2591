"""The referral form's rules, pure: the form's fields to the API's body, each of the API's errors back to
its control in the page's words, and the time a proposal has left."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from common.errors import InvalidFields
from contracts.vocabulary import load_vocabulary
from intake import domain, i18n
from intake.portal import referrer_form as form
from intake.referrals import suitability

TODAY = date(2026, 11, 2)
HAAGLANDEN = ("GM0518", "GM0503")


def sent(**fields: str | list[str]) -> form.Submitted:
    return form.submitted({name: value if isinstance(value, list) else [value] for name, value in fields.items()})


def test_the_body_has_the_api_shape_and_leaves_out_what_was_not_filled_in() -> None:
    body = form.referral_body(
        sent(
            **{"client.bsn": " 1234 56.782 ", "client.birth_date": "2012-05-01", "care_type": "crisis"},
            needs=["trauma", "autism"],
            part_time="true",
            max_travel_km="12,5",
        )
    )
    assert body == {
        "client": {"bsn": "123456782", "birth_date": "2012-05-01"},
        "care_type": "crisis",
        "max_travel_km": "12.5",
        "part_time": True,
        "needs": ["trauma", "autism"],
        "risk_flags": [],
        "vulnerabilities": [],
    }


def test_a_group_half_filled_in_is_sent_so_that_the_model_names_what_it_lacks() -> None:
    body = form.referral_body(sent(**{"court_authorisation.kind": "machtiging", "child_voice.wishes": ["faith"]}))
    assert body["court_authorisation"] == {"kind": "machtiging"}
    assert body["child_voice"] == {"wishes": ["faith"]}
    _model, errors = form.parse(body)
    fields = {name for name, _message in errors}
    assert {"court_authorisation.decided_on", "court_authorisation.valid_until", "child_voice.heard"} <= fields
    assert {form.form_field(name) for name in fields} >= {"court_authorisation.decided_on", "child_voice.heard"}


@pytest.mark.parametrize(
    ("field", "control"),
    [
        ("client.bsn", "client.bsn"),
        ("needs.3", "needs"),
        ("child_voice.wishes.0", "child_voice.wishes"),
        ("court_authorisation", "court_authorisation.kind"),
        ("out_of_region", "out_of_region.criterion"),
        ("body", ""),
    ],
)
def test_an_error_goes_to_the_control_its_field_falls_under(field: str, control: str) -> None:
    assert form.form_field(field) == control


def _refusals(**changes: object) -> dict[str, str]:
    """The rules' own refusals of a body (what the API answers), in the page's Dutch words."""
    values: dict[str, object] = {
        "client": {"bsn": "123456789", "birth_date": "2030-01-01", "municipality_code": "GM0599",
                   "school_municipality_code": "GM9999"},
        "care_type": "secure",
        "target_group": "jo",
        "needs": ["trauma", "flying"],
        "out_of_region": {"criterion": "safety", "justification": "too short"},
    }  # fmt: skip
    values.update(changes)
    _model, errors = form.parse(values)
    assert errors == []
    from intake.schemas import ReferralIn

    body = ReferralIn.model_validate(values)
    vocabulary = load_vocabulary()
    with pytest.raises(InvalidFields) as refused:
        domain.check_referral(
            domain.ClientFacts(body.client.bsn, body.client.birth_date, body.client.municipality_code),
            body.care_type,
            body.out_of_region.justification if body.out_of_region else None,
            today=TODAY,
            region=HAAGLANDEN,
            needs=body.needs,
            vocabulary=vocabulary,
            also=suitability.field_errors(body, TODAY, vocabulary),
        )
    with i18n.language("nl"):
        return dict(form.field_errors(refused.value.errors))


def test_every_refusal_of_the_rules_has_dutch_words_of_its_own() -> None:
    words = _refusals()
    assert "elfproef" in words["client.bsn"]
    assert words["client.birth_date"] == "Deze datum ligt in de toekomst."
    assert words["client.municipality_code"] == "Dit is geen gemeente van deze regio."
    assert words["client.school_municipality_code"] == "Dit is geen Nederlandse gemeente."
    assert words["out_of_region.justification"] == "Licht de grond toe in ten minste 20 tekens."
    assert words["needs.1"] == "“flying” is geen van de genoemde mogelijkheden."
    assert "machtiging" in words["court_authorisation"]
    older = _refusals(client={"bsn": "123456782", "birth_date": "2000-01-01", "municipality_code": "GM0518"})
    assert older["client.birth_date"].startswith("Het kind is 26;")
    assert "niet geaccepteerd" not in " ".join([*words.values(), *older.values()])


def test_the_authorisation_dates_have_dutch_words() -> None:
    lapsed = {"kind": "machtiging", "decided_on": "2026-01-01", "valid_until": "2026-06-01"}
    backwards = {"kind": "machtiging", "decided_on": "2026-10-01", "valid_until": "2026-09-01"}
    client = {"bsn": "123456782", "birth_date": "2012-01-01", "municipality_code": "GM0518"}
    for authorisation, expected in ((lapsed, "verlopen"), (backwards, "na de datum van de beslissing")):
        words = _refusals(client=client, needs=[], out_of_region=None, court_authorisation=authorisation)
        assert expected in words["court_authorisation.valid_until"]


def test_the_models_errors_have_dutch_words() -> None:
    body = form.referral_body(
        sent(
            **{"client.birth_date": "gisteren", "care_type": "boat", "max_travel_km": "-3", "notes": "x" * 10_001},
            needs=["Not A Code"],
        )
    )
    with i18n.language("nl"):
        _model, errors = form.parse(body)
    words = dict(errors)
    assert words["client.bsn"] == "Vul dit in."
    assert words["client.birth_date"] == "Geef een datum met dag, maand en jaar."
    assert words["care_type"] == "Kies een van de mogelijkheden."
    assert words["max_travel_km"].startswith("Geef een afstand in kilometers")
    assert words["needs.0"] == "Kies uit de genoemde mogelijkheden."
    assert words["notes"] == "Dit is te lang: ten hoogste 10000 tekens."


@pytest.mark.parametrize(
    ("left", "dutch", "english"),
    [
        (timedelta(hours=72), "3 dagen", "3 days"),
        (timedelta(days=1, hours=5, minutes=9), "1 dag en 5 uur", "1 day and 5 hours"),
        (timedelta(hours=3, minutes=59, seconds=30), "3 uur en 59 minuten", "3 hours and 59 minutes"),
        (timedelta(hours=1), "1 uur", "1 hour"),
        (timedelta(minutes=1, seconds=59), "1 minuut", "1 minute"),
        (timedelta(seconds=-1), "verlopen", "lapsed"),
    ],
)
def test_the_time_a_proposal_has_left(left: timedelta, dutch: str, english: str) -> None:
    now = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with i18n.language("nl"):
        assert form.time_left(now + left, now) == dutch
    with i18n.language("en"):
        assert form.time_left(now + left, now) == english
