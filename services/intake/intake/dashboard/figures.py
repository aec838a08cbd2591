"""The indicators as the dashboard shows them: a title in the page's language, the value with its unit,
and what was counted above and below the line ("294 verblijfsdagen van 26 plaatsingen")."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from intake.dashboard import labels
from intake.i18n import N_, _, ngettext
from intake.indicators.schemas import Indicator
from intake.settings import IntakeSettings

# A phrase for a count: ngettext's singular and plural, each with `%(num)s`.
Phrase = tuple[str, str]


@dataclass(frozen=True)
class Words:
    title: str
    numerator: Phrase | None = None
    denominator: Phrase | None = None
    # Where the figure is best read as "how many", not "how many of": only the denominator is said.
    over: bool = False


STAYS_ENDED = (N_("%(num)s stay ended"), N_("%(num)s stays ended"))
STAYS_BEGUN = (N_("%(num)s stay begun"), N_("%(num)s stays begun"))
CRISIS_STAYS = (N_("%(num)s crisis stay"), N_("%(num)s crisis stays"))

WORDS: dict[str, Words] = {
    "average_length_of_stay": Words(
        N_("Average length of the stays ended in the period"),
        (N_("%(num)s day in care"), N_("%(num)s days in care")),
        STAYS_ENDED,
    ),
    "placed_in_region": Words(
        N_("Stays begun in the period with a provider inside the region"),
        (N_("%(num)s inside the region"), N_("%(num)s inside the region")),
        STAYS_BEGUN,
    ),
    "part_time": Words(
        N_("Stays begun in the period that are part-time"),
        (N_("%(num)s part-time"), N_("%(num)s part-time")),
        STAYS_BEGUN,
    ),
    "foster_care_to_residential": Words(
        N_("Foster-care stays ended in the period and followed within %(days)s days by residential care"),
        (N_("%(num)s followed by residential care"), N_("%(num)s followed by residential care")),
        (N_("%(num)s foster-care stay ended"), N_("%(num)s foster-care stays ended")),
    ),
    "young_adults_leaving_within_6_months": Words(
        N_("Stays of young adults (%(age)s+) begun in the period that ended within %(days)s days"),
        (N_("%(num)s ended early"), N_("%(num)s ended early")),
        (N_("%(num)s stay of a young adult"), N_("%(num)s stays of young adults")),
    ),
    "stacking": Words(
        N_("Children in care in the period with two overlapping stays (stacking)"),
        (N_("%(num)s child with overlapping stays"), N_("%(num)s children with overlapping stays")),
        (N_("%(num)s child in care"), N_("%(num)s children in care")),
    ),
    "median_days_referral_to_placement": Words(
        N_("Median days from referral to the start of a stay begun in the period"),
        None,
        (N_("over %(num)s stay begun"), N_("over %(num)s stays begun")),
        over=True,
    ),
    "children_waiting": Words(N_("Children waiting for a place now")),
    "median_waiting_days": Words(
        N_("Median days the children waiting now have waited"),
        None,
        (N_("over %(num)s waiting child"), N_("over %(num)s waiting children")),
        over=True,
    ),
    "crisis_stays": Words(N_("Crisis stays now")),
    "crisis_average_days_left": Words(
        N_("Average days left before the crisis cap"),
        (N_("%(num)s day left in all"), N_("%(num)s days left in all")),
        CRISIS_STAYS,
    ),
    "crisis_stays_past_cap": Words(
        N_("Crisis stays past their cap now"),
        (N_("%(num)s past the cap"), N_("%(num)s past the cap")),
        CRISIS_STAYS,
    ),
    "child_heard": Words(
        N_("Referrals received in the period in which the child was heard"),
        (N_("%(num)s with the child heard"), N_("%(num)s with the child heard")),
        (N_("%(num)s referral received"), N_("%(num)s referrals received")),
    ),
    "declined_no_free_place": Words(
        N_("Proposals declined because there was no free place after all"),
        (N_("%(num)s declined for no free place"), N_("%(num)s declined for no free place")),
        (N_("%(num)s proposal answered"), N_("%(num)s proposals answered")),
    ),
    "one_on_one": Words(
        N_("Children in care with more than %(hours)s hours of one-on-one supervision in a week"),
        (N_("%(num)s child above the limit"), N_("%(num)s children above the limit")),
        (N_("%(num)s child in care"), N_("%(num)s children in care")),
    ),
    "contracted": Words(
        N_("Stays begun in the period with a provider contracted by the region"),
        (N_("%(num)s with a contracted provider"), N_("%(num)s with a contracted provider")),
        STAYS_BEGUN,
    ),
}
OCCUPANCY = Words(
    N_("Occupied places: %(care)s"),
    (N_("%(num)s occupied"), N_("%(num)s occupied")),
    (N_("%(num)s place"), N_("%(num)s places")),
)
OPEN_SIGNALS = Words(N_("Open signals: %(type)s"))
DECLINES = Words(N_("Declines: %(reason)s"))


@dataclass(frozen=True)
class Figure:
    name: str
    title: str
    value: str
    counted: str | None
    group: str


def _count_phrase(phrase: Phrase, value: float | None) -> str:
    n = int(round(value or 0))
    return ngettext(phrase[0], phrase[1], n) % {"num": labels.number(value or 0)}


def _group(name: str) -> str:
    if name.startswith("open_signals_"):
        return "signals"
    if name.startswith("occupancy_"):
        return "occupancy"
    if name.startswith("declines_"):
        return "declines"
    return "main"


def _words_of(indicator: Indicator, reason_label: Callable[[str], str]) -> tuple[Words, str]:
    name = indicator.name
    if name.startswith("occupancy_"):
        return OCCUPANCY, _(OCCUPANCY.title) % {"care": labels.care_type(name.removeprefix("occupancy_"))}
    if name.startswith("open_signals_"):
        kind = labels.signal_type(name.removeprefix("open_signals_"))
        return OPEN_SIGNALS, _(OPEN_SIGNALS.title) % {"type": kind}
    if name.startswith("declines_"):
        return DECLINES, _(DECLINES.title) % {"reason": reason_label(name.removeprefix("declines_"))}
    words = WORDS.get(name)
    if words is None:
        return Words(indicator.label), indicator.label
    return words, _(words.title)


def figures(
    indicators: Iterable[Indicator], settings: IntakeSettings, reason_label: Callable[[str], str] = labels.plain
) -> list[Figure]:
    """The indicators in words; those the dashboard has no words for keep the report's own label."""
    values = {
        "days": settings.follow_on_days,
        "age": settings.young_adult_age,
        "hours": getattr(settings, "one_on_one_hours", 8),
    }
    shown: list[Figure] = []
    for indicator in indicators:
        words, title = _words_of(indicator, reason_label)
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
