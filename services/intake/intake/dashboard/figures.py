"""The indicators as the dashboard shows them: a title in the page's language, the value with its unit,
and what was counted above and below the line ("294 verblijfsdagen van 26 plaatsingen")."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from intake.dashboard import labels
from intake.i18n import N_, _, ngettext
from intake.indicators.schemas import Indicator
from intake.settings import IntakeSettings

# A phrase for a count: ngettext's singular or plural for n, with `%(num)s` in it.
Phrase = Callable[[int], str]


@dataclass(frozen=True)
class Words:
    title: str
    numerator: Phrase | None = None
    denominator: Phrase | None = None
    # Where the figure is best read as "how many", not "how many of": only the denominator is said.
    over: bool = False


def stays_ended(n: int) -> str:
    return ngettext("%(num)s stay ended", "%(num)s stays ended", n)


def stays_begun(n: int) -> str:
    return ngettext("%(num)s stay begun", "%(num)s stays begun", n)


def crisis_stays(n: int) -> str:
    return ngettext("%(num)s crisis stay", "%(num)s crisis stays", n)


WORDS: dict[str, Words] = {
    "average_length_of_stay": Words(
        N_("Average length of the stays ended in the period"),
        lambda n: ngettext("%(num)s day in care", "%(num)s days in care", n),
        stays_ended,
    ),
    "placed_in_region": Words(
        N_("Stays begun in the period with a provider inside the region"),
        lambda n: ngettext("%(num)s inside the region", "%(num)s inside the region", n),
        stays_begun,
    ),
    "part_time": Words(
        N_("Stays begun in the period that are part-time"),
        lambda n: ngettext("%(num)s part-time", "%(num)s part-time", n),
        stays_begun,
    ),
    "foster_care_to_residential": Words(
        N_("Foster-care stays ended in the period and followed within %(days)s days by residential care"),
        lambda n: ngettext("%(num)s followed by residential care", "%(num)s followed by residential care", n),
        lambda n: ngettext("%(num)s foster-care stay ended", "%(num)s foster-care stays ended", n),
    ),
    "young_adults_leaving_within_6_months": Words(
        N_("Stays of young adults (%(age)s+) begun in the period that ended within %(days)s days"),
        lambda n: ngettext("%(num)s ended early", "%(num)s ended early", n),
        lambda n: ngettext("%(num)s stay of a young adult", "%(num)s stays of young adults", n),
    ),
    "stacking": Words(
        N_("Children in care in the period with two overlapping stays (stacking)"),
        lambda n: ngettext("%(num)s child with overlapping stays", "%(num)s children with overlapping stays", n),
        lambda n: ngettext("%(num)s child in care", "%(num)s children in care", n),
    ),
    "median_days_referral_to_placement": Words(
        N_("Median days from referral to the start of a stay begun in the period"),
        None,
        lambda n: ngettext("over %(num)s stay begun", "over %(num)s stays begun", n),
        over=True,
    ),
    "children_waiting": Words(N_("Children waiting for a place now")),
    "median_waiting_days": Words(
        N_("Median days the children waiting now have waited"),
        None,
        lambda n: ngettext("over %(num)s waiting child", "over %(num)s waiting children", n),
        over=True,
    ),
    "crisis_stays": Words(N_("Crisis stays now")),
    "crisis_average_days_left": Words(
        N_("Average days left before the crisis cap"),
        lambda n: ngettext("%(num)s day left in all", "%(num)s days left in all", n),
        crisis_stays,
    ),
    "crisis_stays_past_cap": Words(
        N_("Crisis stays past their cap now"),
        lambda n: ngettext("%(num)s past the cap", "%(num)s past the cap", n),
        crisis_stays,
    ),
    "child_heard": Words(
        N_("Referrals received in the period in which the child was heard"),
        lambda n: ngettext("%(num)s with the child heard", "%(num)s with the child heard", n),
        lambda n: ngettext("%(num)s referral received", "%(num)s referrals received", n),
    ),
    "proposals_declined_no_free_place": Words(
        N_("Proposals declined because there was no free place after all"),
        lambda n: ngettext("%(num)s declined for no free place", "%(num)s declined for no free place", n),
        lambda n: ngettext("%(num)s proposal made", "%(num)s proposals made", n),
    ),
    "one_on_one_above_limit": Words(
        N_("Children in care with more than %(hours)s hours of one-on-one supervision in a week"),
        lambda n: ngettext("%(num)s child above the limit", "%(num)s children above the limit", n),
        lambda n: ngettext("%(num)s child in care", "%(num)s children in care", n),
    ),
    "placed_with_contracted_providers": Words(
        N_("Stays begun in the period with a provider contracted by the region"),
        lambda n: ngettext("%(num)s with a contracted provider", "%(num)s with a contracted provider", n),
        stays_begun,
    ),
}
OCCUPANCY = Words(
    N_("Occupied places: %(care)s"),
    lambda n: ngettext("%(num)s occupied", "%(num)s occupied", n),
    lambda n: ngettext("%(num)s place", "%(num)s places", n),
)
OPEN_SIGNALS = Words(N_("Open signals: %(type)s"))
DECLINES = Words(
    N_("Declines: %(reason)s"),
    lambda n: ngettext("%(num)s decline", "%(num)s declines", n),
    lambda n: ngettext("%(num)s decline in all", "%(num)s declines in all", n),
)
PROVIDER_DECLINES = Words(
    N_("Declined by %(provider)s"),
    lambda n: ngettext("%(num)s declined", "%(num)s declined", n),
    lambda n: ngettext("%(num)s proposal made", "%(num)s proposals made", n),
)


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    value: str
    counted: str | None
    group: str


def _count_phrase(phrase: Phrase, value: float | None) -> str:
    return phrase(round(value or 0)) % {"num": labels.number(value or 0)}


def _group(name: str) -> str:
    if name.startswith("open_signals_"):
        return "signals"
    if name.startswith("occupancy_"):
        return "occupancy"
    if name.startswith("declines_provider_"):
        return "providers"
    if name.startswith("declines_") or name == "proposals_declined_no_free_place":
        return "declines"
    return "main"


def _words_of(
    indicator: Indicator, reason_label: Callable[[str], str], providers: Mapping[str, str]
) -> tuple[Words, str]:
    name = indicator.name
    if name.startswith("occupancy_"):
        return OCCUPANCY, _(OCCUPANCY.title) % {"care": labels.care_type(name.removeprefix("occupancy_"))}
    if name.startswith("open_signals_"):
        kind = labels.signal_type(name.removeprefix("open_signals_"))
        return OPEN_SIGNALS, _(OPEN_SIGNALS.title) % {"type": kind}
    if name.startswith("declines_reason_"):
        return DECLINES, _(DECLINES.title) % {"reason": reason_label(name.removeprefix("declines_reason_"))}
    if name.startswith("declines_provider_"):
        provider = providers.get(name.removeprefix("declines_provider_"), _("unknown provider"))
        return PROVIDER_DECLINES, _(PROVIDER_DECLINES.title) % {"provider": provider}
    words = WORDS.get(name)
    if words is None:
        return Words(indicator.label), indicator.label
    return words, _(words.title)


def figures(
    indicators: Iterable[Indicator],
    settings: IntakeSettings,
    reason_label: Callable[[str], str] = labels.plain,
    providers: Mapping[str, str] | None = None,
) -> list[Figure]:
    """The indicators in words; those the dashboard has no words for keep the report's own label."""
    values = {
        "days": settings.follow_on_days,
        "age": settings.young_adult_age,
        "hours": labels.number(float(getattr(settings, "one_on_one_hours", 8))),
    }
    shown: list[Figure] = []
    for indicator in indicators:
        words, title = _words_of(indicator, reason_label, providers or {})
        if indicator.name == "young_adults_leaving_within_6_months":
            title = _(words.title) % {"age": settings.young_adult_age, "days": settings.young_adult_leave_days}
        elif "%(" in title:
            title = title % values
        counted = None
        if words.over and words.denominator and indicator.denominator is not None:
            counted = _count_phrase(words.denominator, indicator.denominator)
        elif words.numerator and words.denominator and indicator.denominator is not None:
            counted = _("%(part)s of %(whole)s") % {
                "part": _count_phrase(words.numerator, indicator.numerator),
                "whole": _count_phrase(words.denominator, indicator.denominator),
            }
        shown.append(
            Figure(
                name=indicator.name,
                title=title,
                value=labels.figure(indicator.value, indicator.unit),
                counted=counted,
                group=_group(indicator.name),
            )
        )
    return shown
