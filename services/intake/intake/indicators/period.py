"""The indicators' default period, one rule for the API (`GET /v1/kpis` without dates) and the
dashboard (no period picked)."""

from __future__ import annotations

from datetime import date, timedelta

# How far back the default period reaches: the last 90 days, today included.
DEFAULT_PERIOD_DAYS = 90


def default_period(today: date, date_from: date | None = None, date_to: date | None = None) -> tuple[date, date]:
    """The period [from, to] of the indicators: what was asked, with the default for what was not.
    Without `to`, up to today; without `from`, the `DEFAULT_PERIOD_DAYS` days that end on `to`."""
    end = date_to or today
    return date_from or end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end
