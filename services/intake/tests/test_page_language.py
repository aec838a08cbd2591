"""The pages' language: Dutch by default, English only when asked (`?lang=en`, remembered), never from
the browser's Accept-Language; every word marked in the code and the templates has its Dutch words in
the catalog; dates and numbers as written in the Netherlands, in Amsterdam time."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from intake import i18n

INTAKE_DIR = Path(i18n.__file__).resolve().parents[2]
CATALOG = i18n.CATALOG_DIR / "nl" / "LC_MESSAGES" / "messages.po"


def marked_words() -> set[str]:
    with (INTAKE_DIR / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2), "N_": None}
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(INTAKE_DIR), method_map, options_map, keywords=keywords
    ):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def test_every_marked_word_has_its_dutch_words_and_the_catalog_has_no_leftovers() -> None:
    with CATALOG.open("rb") as source:
        catalog = read_po(source, locale="nl")
    translated = {
        (message.id[0] if isinstance(message.id, tuple) else message.id): message for message in catalog if message.id
    }
    marked = marked_words()
    assert len(marked) > 20
    missing = sorted(word for word in marked if word not in translated)
    assert not missing, f"not in the Dutch catalog (run `make messages`): {missing}"
    untranslated = sorted(
        key for key, message in translated.items() if not message.string or message.fuzzy or key not in marked
    )
    assert not untranslated, f"untranslated, fuzzy or no longer used: {untranslated}"
    problems = [(message.id, errors) for message, errors in catalog.check() if errors]
    assert not problems, problems


async def test_pages_are_dutch_unless_english_is_asked_for_and_the_choice_is_remembered(
    intake: httpx.AsyncClient,
) -> None:
    dutch = await intake.get("/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert dutch.status_code == 200
    assert '<html lang="nl">' in dutch.text and "Aanmelden" in dutch.text and "Sign in" not in dutch.text
    assert "regiepunt_lang" not in dutch.headers.get("set-cookie", "")

    english = await intake.get("/login", params={"lang": "en"})
    assert '<html lang="en">' in english.text and "Sign in" in english.text and "Aanmelden" not in english.text
    cookie = english.headers["set-cookie"]
    assert cookie.startswith("regiepunt_lang=en;") and "httponly" in cookie.lower()

    remembered = await intake.get("/login", cookies={"regiepunt_lang": "en"})
    assert '<html lang="en">' in remembered.text and "Sign in" in remembered.text
    back = await intake.get("/login", params={"lang": "nl"}, cookies={"regiepunt_lang": "en"})
    assert '<html lang="nl">' in back.text and back.headers["set-cookie"].startswith("regiepunt_lang=nl;")

    unknown = await intake.get("/login", params={"lang": "fr"})
    assert '<html lang="nl">' in unknown.text and "regiepunt_lang" not in unknown.headers.get("set-cookie", "")


async def test_words_chosen_before_the_page_is_rendered_follow_the_language_too(intake: httpx.AsyncClient) -> None:
    form = await intake.get("/login", params={"lang": "en"})
    nonce = form.text.split('name="nonce" value="')[1].split('"')[0]
    refused = await intake.post("/login", params={"lang": "en"}, data={"nonce": nonce, "token": ""})
    assert refused.status_code in (400, 422)
    assert "Paste a token." in refused.text or "The form had expired" in refused.text
    dutch = await intake.post("/login", params={"lang": "nl"}, data={"nonce": nonce, "token": ""})
    assert "Plak een token." in dutch.text or "Het formulier was verlopen" in dutch.text


def test_dates_times_and_numbers_are_written_as_in_the_netherlands_in_amsterdam_time() -> None:
    winter = datetime(2026, 12, 4, 23, 30, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    with i18n.language("nl"):
        assert i18n.day(date(2026, 12, 4)) == "4 dec 2026"
        assert i18n.day(date(2026, 3, 1), "long") == "1 maart 2026"
        assert i18n.day(date(2026, 3, 1), "short") == "01-03-2026"
        assert i18n.moment(winter) == "5 dec 2026 00:30"
        assert i18n.moment(summer, "time") == "14:00"
        assert (i18n.number(11.25), i18n.number(12.0), i18n.number(36160)) == ("11,2", "12", "36.160")
        assert i18n.percent(42.5) == "42,5%"
        assert (i18n.days(1), i18n.days(3), i18n.days(2.5)) == ("1 dag", "3 dagen", "2,5 dagen")
    with i18n.language("en"):
        assert i18n.day(date(2026, 12, 4)) == "4 Dec 2026"
        assert i18n.number(11.25) == "11.2"
        assert (i18n.days(1), i18n.days(3)) == ("1 day", "3 days")
