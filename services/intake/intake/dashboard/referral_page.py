"""What a referral's page on the dashboard shows: the referral, its history from the access log, the
matching decisions with every candidate unit named, and the providers by name."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from common.auth import Principal
from common.errors import ProblemError
from common.logging import get_logger
from intake import clients
from intake.context import Context
from intake.dashboard.service import provider_names
from intake.referrals import reading
from intake.schemas import ReferralOut

log = get_logger("regiepunt.intake.dashboard")


@dataclass
class ReferralPage:
    referral: ReferralOut
    history: list[dict[str, Any]]
    decisions: list[dict[str, Any]]
    decisions_error: str | None
    names: dict[str, str]
    units: dict[str, str]


async def referral_page(ctx: Context, principal: Principal, referral_id: str) -> ReferralPage:
    referral = await reading.get_referral(ctx, principal, referral_id)
    access = await reading.read_access_log(ctx, principal, referral_id)
    history = collapse_history([entry.model_dump() for entry in access.items])
    decisions: list[dict[str, Any]] = []
    decisions_error = None
    try:
        body = await reading.read_decisions(ctx, principal, referral_id)
        decisions = list(body.get("items", []))
        for decision in decisions:
            decision["candidates"] = sorted(decision.get("candidates", []), key=_candidate_order)
    except ProblemError as exc:
        decisions_error = exc.detail
    names = await provider_names(ctx)
    # Every unit the page names, candidates included, by its name from capacity (ids when out of reach).
    wanted = {c["unit_id"] for d in decisions for c in d.get("candidates", []) if c.get("unit_id")}
    for part in (referral.proposal, referral.placement):
        if part is not None:
            wanted.add(part.unit_id)
    try:
        units = await clients.unit_names(ctx.capacity, wanted)
    except ProblemError as exc:
        log.warning("dashboard_units_unavailable", error=exc.detail)
        units = {}
    return ReferralPage(
        referral=referral,
        history=history,
        decisions=decisions,
        decisions_error=decisions_error,
        names=names,
        units=units,
    )


def _candidate_order(candidate: dict[str, Any]) -> tuple[int, int, str]:
    """Ranked candidates by rank, then those left out."""
    rank = candidate.get("rank")
    return (0 if rank is not None else 1, int(rank or 0), str(candidate.get("unit_id", "")))


def collapse_history(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Runs of the same person doing the same thing (a coordinator's list refreshed every 30 s) shown
    as one line with a count and the first and last moment; every entry stays in the access log."""
    collapsed: list[dict[str, Any]] = []
    for entry in entries:
        last = collapsed[-1] if collapsed else None
        same = last is not None and all(last[key] == entry[key] for key in ("action", "sub", "role", "org"))
        if last is not None and same:
            last["times"] += 1
            last["until"] = entry["at"]
        else:
            collapsed.append({**entry, "times": 1, "until": entry["at"]})
    return collapsed
