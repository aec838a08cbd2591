"""A referral's page on the dashboard: the child's file, its brothers and sisters, the matching decisions
with every unit weighed by name (and the group it would have the child join), and its history."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from common.auth import Principal
from common.errors import ProblemError
from common.logging import get_logger
from intake import clients
from intake.context import Context
from intake.dashboard.service import provider_names
from intake.referral_groups import service as referral_groups
from intake.referral_groups.schemas import ReferralGroupOut
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
    # The group a unit would have the child join (capacity's group profile), by unit id, where known.
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    # The brothers and sisters referred together with this child, and whether they are kept together.
    group: ReferralGroupOut | None = None


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
            decision["left_out"] = left_out(decision)
    except ProblemError as exc:
        decisions_error = exc.detail
    group = None
    if referral.group_id:
        try:
            group = await referral_groups.get_group(ctx, principal, referral.group_id)
        except ProblemError as exc:
            log.warning("dashboard_group_unavailable", error=exc.detail)
    names = await provider_names(ctx)
    # Every unit the page names, candidates included, by its name from capacity (ids when out of reach).
    wanted = {c["unit_id"] for d in decisions for c in d.get("candidates", []) if c.get("unit_id")}
    for part in (referral.proposal, referral.placement):
        if part is not None:
            wanted.add(part.unit_id)
    units, profiles = await unit_facts(ctx, wanted)
    return ReferralPage(
        referral=referral,
        history=history,
        decisions=decisions,
        decisions_error=decisions_error,
        names=names,
        units=units,
        profiles=profiles,
        group=group,
    )


async def unit_facts(ctx: Context, unit_ids: set[str]) -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """The units' names and, where capacity gives it, the group each unit would have a child join."""
    wanted = sorted(unit_ids)
    names: dict[str, str] = {}
    profiles: dict[str, dict[str, Any]] = {}
    try:
        for start in range(0, len(wanted), clients.UNITS_PER_CALL):
            chunk = wanted[start : start + clients.UNITS_PER_CALL]
            response = await ctx.capacity.request(
                "GET", "/v1/units", params={"id": chunk, "limit": len(chunk)}, idempotent=True
            )
            if response.status_code != 200:
                break
            for unit in response.json()["items"]:
                names[str(unit["id"])] = str(unit["name"])
                if isinstance(unit.get("group_profile"), dict):
                    profiles[str(unit["id"])] = unit["group_profile"]
    except Exception as exc:  # names are a nicety; the page says "unit" instead
        log.warning("dashboard_units_unavailable", error=type(exc).__name__)
    return names, profiles


def left_out(decision: dict[str, Any]) -> list[tuple[str, int]]:
    """How many units each reason left out of a decision, most first: those listed and those counted."""
    counted: Counter[str] = Counter(
        str(c["excluded_reason"]) for c in decision.get("candidates", []) if c.get("excluded_reason")
    )
    for key in ("unfit_counted", "outside_counted"):
        counted.update({str(reason): int(n) for reason, n in (decision.get(key) or {}).items()})
    return sorted(counted.items(), key=lambda item: (-item[1], item[0]))


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
