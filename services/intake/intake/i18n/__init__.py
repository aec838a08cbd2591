"""The pages' languages. Every page a person reads is Dutch unless that person asks for English: `?lang=en`
(or `?lang=nl`) on any page, remembered in a cookie. The browser's own language is never consulted: the
region's staff read Dutch, and a page must not change language because a laptop was bought abroad.

The words live in a message catalog (`locales/nl/LC_MESSAGES/messages.po`, English message ids with their
Dutch translation), read with Babel; `make messages` extracts the marked words from the templates and the
code into it. English is the ids themselves. Dates and numbers are written as people in the Netherlands
write them, in the Amsterdam time zone."""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from gettext import GNUTranslations, NullTranslations
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from fastapi import Request
from starlette.requests import Request as StarletteRequest
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

LANGUAGES = ("nl", "en")
DEFAULT_LANGUAGE = "nl"
COOKIE = "regiepunt_lang"
# A year: a choice of language is not a secret and should outlive a session.
COOKIE_SECONDS = 365 * 24 * 3600
TIME_ZONE = ZoneInfo("Europe/Amsterdam")
LOCALES = {"nl": Locale.parse("nl_NL"), "en": Locale.parse("en_GB")}
CATALOG_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"

_language: ContextVar[str] = ContextVar("page_language", default=DEFAULT_LANGUAGE)


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of a language, compiled in memory from its .po file (English: the ids themselves)."""
    path = CATALOG_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == "en" or not path.exists():
        return NullTranslations()
    with path.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return GNUTranslations(compiled)


def current() -> str:
    """The language of the page being rendered."""
    return _language.get()


def chosen(request: StarletteRequest) -> str:
    """`?lang=` when it names a language, else the remembered choice, else Dutch."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES:
        return asked
    remembered = request.cookies.get(COOKIE)
    return remembered if remembered in LANGUAGES else DEFAULT_LANGUAGE


def use(request: Request) -> str:
    """Render what follows (in this request) in the chosen language."""
    language = chosen(request)
    _language.set(language)
    return language


@contextmanager
def language(code: str) -> Iterator[None]:
    """Render a block in a given language (an e-mail to someone, a test)."""
    token = _language.set(code if code in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def remember(request: Request, response: Response) -> None:
    """Keep an explicit choice of language for the next pages."""
    asked = request.query_params.get("lang")
    if asked in LANGUAGES and request.cookies.get(COOKIE) != asked:
        response.set_cookie(
            COOKIE, asked, max_age=COOKIE_SECONDS, httponly=True, samesite="lax", secure=request.url.scheme == "https"
        )


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current()).pgettext(context, message)


_ = gettext


def N_(message: str) -> str:
    """Marks a word for the catalog where it is defined; it is translated where it is shown, with `_`."""
    return message


def _locale() -> Locale:
    return LOCALES[current()]


def _local(value: datetime) -> datetime:
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(TIME_ZONE)


def day(value: date | datetime | str | None, form: str = "medium") -> str:
    """A date as written here: `4 dec. 2026` (medium), `4 december 2026` (long), `04-12-2026` (short)."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = _local(value).date()
    pattern = {"short": "dd-MM-y", "medium": "d MMM y", "long": "d MMMM y"}.get(form, form)
    return format_date(value, pattern, locale=_locale())


def moment(value: datetime | str | None, form: str = "medium") -> str:
    """A moment in Amsterdam time: `4 dec. 2026 14:05`; `time` gives `14:05`, `seconds` `14:05:09`."""
    if value is None or value == "":
        return "–"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    local = _local(value)
    if form == "time":
        return format_time(local, "HH:mm", locale=_locale())
    if form == "seconds":
        return format_time(local, "HH:mm:ss", locale=_locale())
    pattern = {"short": "dd-MM-y HH:mm", "medium": "d MMM y HH:mm", "long": "d MMMM y HH:mm"}.get(form, form)
    return format_datetime(local, pattern, locale=_locale())


def number(value: float | int | None, digits: int = 1) -> str:
    """12.0 as `12`, 3.456 as `3,5` in Dutch and `3.5` in English; none as a dash."""
    if value is None:
        return "–"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    pattern = "#,##0" if isinstance(value, int) else "#,##0." + "#" * digits
    return format_decimal(value, pattern, locale=_locale())


def percent(value: float | None, digits: int = 1) -> str:
    """A share 0..100 as `42,5%` (Dutch) or `42.5%` (English)."""
    if value is None:
        return "–"
    return format_percent(value / 100, "#,##0." + "#" * digits + "%", locale=_locale())


def days(n: int | float | None) -> str:
    """`1 dag`, `3 dagen`; a fraction as `2,5 dagen`."""
    if n is None:
        return "–"
    if isinstance(n, float) and not n.is_integer():
        return ngettext("%(num)s day", "%(num)s days", 2) % {"num": number(n)}
    count = int(n)
    return ngettext("%(num)s day", "%(num)s days", count) % {"num": number(count)}


def install(env: object) -> None:
    """Give a Jinja2 environment `_`, `gettext`, `ngettext` and `{% trans %}`, and the filters `day`,
    `moment`, `decimal`, `percent` and `days`, all following the page's language."""
    from jinja2 import Environment

    assert isinstance(env, Environment)
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_callables(gettext, ngettext, newstyle=True, pgettext=pgettext)  # type: ignore[attr-defined]
    env.filters["day"] = day
    env.filters["moment"] = moment
    env.filters["decimal"] = number
    env.filters["percent"] = percent
    env.filters["days"] = days
    env.globals["current_language"] = current


class LanguageMiddleware:
    """Sets the language of every request before any handler runs, so that words chosen before a page is
    rendered (a form's error, a message page's title) are in the viewer's language too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            _language.set(chosen(StarletteRequest(scope)))
        await self.app(scope, receive, send)
