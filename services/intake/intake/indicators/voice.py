"""The child's voice as an indicator: the share of referrals received in a period in which the child was
heard (docs/domain.md, Indicators)."""

from __future__ import annotations

from intake.indicators.schemas import Indicator


def child_heard(received: int, heard: int) -> Indicator:
    """Referrals received in the period that record the child as heard, against all received then (both
    from the per-day totals, intake.indicators.days): a referral that records no voice at all counts as
    one in which the child was not heard."""
    return Indicator(
        name="child_heard",
        label="Referrals received in the period in which the child was heard",
        value=round(100 * heard / received, 1) if received else None,
        numerator=float(heard),
        denominator=float(received),
        unit="percent",
    )
