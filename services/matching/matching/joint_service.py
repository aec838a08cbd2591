"""Use cases of group decisions: siblings kept together weighed, held all at once, and stored as one
decision that records every child, every joint option and why (joint.py holds the rules)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError

from common.clock import Clock, as_utc
from common.db import Database
from common.errors import DependencyUnavailable, NotFound
from common.http import ServiceClient, ServiceUnavailableError, raise_for_unexpected
from common.logging import get_logger
from contracts import lists
from contracts.capacity import JointHoldOut, ReservationOut
from contracts.matching import ChildRequest, DecisionRequest, GroupDecision, GroupDecisionRequest, MatchingFactors
from contracts.vocabulary import Vocabulary
from matching import db
from matching.domain import Ranking, Wish, unmatched_reasons
from matching.group_rules import PlacementRules
from matching.holds import release_request_holds
from matching.joint import Child, JointOption, joint_options, unmatched_group_reasons
from matching.placement import rule_reasons
from matching.record import candidates, labels, proposal_distances, weighed_json
from matching.replica import CAPACITY_UNREACHABLE, Replica
from matching.service import weigh, wish_from

log = get_logger("regiepunt.matching")


class GroupDecisionNotFound(NotFound):
    def __init__(self, decision_id: str) -> None:
        super().__init__(f"No group decision {decision_id}.")


def child_request(request: GroupDecisionRequest, child: ChildRequest) -> DecisionRequest:
    """One child as a decision request of its own; the place it holds belongs to the group's request."""
    return DecisionRequest(
        request_id=f"{request.request_id}:{child.referral_id}",
        hold_until=request.hold_until,
        **child.model_dump(),
    )


async def hold_together(
    capacity: ServiceClient, option: JointOption, asked: dict[str, DecisionRequest], hold_until: datetime
) -> dict[str, ReservationOut] | None:
    """Hold the places of one option all at once; None when capacity has no room for all any more."""
    body = {
        "expires_at": hold_until.isoformat(),
        "holds": [
            {
                "unit_id": unit_id,
                "referral_id": referral_id,
                "client_key": asked[referral_id].client_key,
                "request_id": asked[referral_id].request_id,
                # The child as its group will see it, kept with the stay: age in years and codes only.
                "age": asked[referral_id].age,
                "flags": sorted({*asked[referral_id].risk_flags, *asked[referral_id].vulnerabilities}),
            }
            for referral_id, unit_id in option.units.items()
        ],
    }
    try:
        response = await capacity.post("/v1/reservations/joint", json=body, idempotent=True)
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable(CAPACITY_UNREACHABLE) from exc
    if response.status_code in (404, 409):
        return None
    raise_for_unexpected(response, 200, 201)
    held = JointHoldOut.model_validate_json(response.content).reservations
    return {reservation.referral_id: reservation for reservation in held}


async def decide_group(
    database: Database,
    capacity: ServiceClient,
    clock: Clock,
    request: GroupDecisionRequest,
    rules: PlacementRules | None = None,
    vocabulary: Vocabulary | None = None,
    factors: MatchingFactors = MatchingFactors.ALL,
    replica: Replica | None = None,
) -> GroupDecision:
    """Weigh every child, rank the joint options, hold the best one whose places are all still free,
    and store the decision. The same request_id answers the stored decision.

    Each child is weighed as a decision weighs one child (service.weigh), under every rule of its own:
    its school, how far it may travel (`too_far`) and its wishes among them, and the group and
    production rules: a unit one child may not join is no unit of a joint option for that child."""
    async with database.read() as session:
        stored = await db.group_decision_by_request_id(session, request.request_id)
    if stored is not None:
        return to_group_decision(stored._mapping)
    asked = {child.referral_id: child_request(request, child) for child in request.children}
    wishes = {referral_id: wish_from(child) for referral_id, child in asked.items()}
    placement_rules = rules or PlacementRules()
    weighed = await asyncio.gather(
        *(weigh(capacity, asked[rid], wishes[rid], placement_rules, factors, replica) for rid in asked)
    )
    rankings = {rid: ranking for rid, (ranking, _held, _applied) in zip(asked, weighed, strict=True)}
    applied = {rid: words for rid, (_ranking, _held, words) in zip(asked, weighed, strict=True)}
    options = joint_options([Child(rid, ranking) for rid, ranking in rankings.items()])
    chosen: JointOption | None = None
    held: dict[str, ReservationOut] = {}
    for option in options:
        found = await hold_together(capacity, option, asked, request.hold_until)
        if found is None:
            option.lose_places()
            continue
        option.chosen, chosen, held = True, option, found
        break
    if chosen is None and any(held_unit for _ranking, held_unit, _applied in weighed):
        # An earlier delivery of this request held places that this decision does not propose.
        await asyncio.gather(*(release_request_holds(capacity, child) for child in asked.values()))
    values = group_values(request, asked, wishes, rankings, options, chosen, held, clock.now(), applied, vocabulary)
    try:
        async with database.transaction() as session:
            await db.insert_group_decision(session, values)
    except IntegrityError:
        async with database.read() as session:
            stored = await db.group_decision_by_request_id(session, request.request_id)
        if stored is None:
            raise
        return to_group_decision(stored._mapping)
    log.info(
        "group_decision",
        decision_id=values["id"],
        group_id=request.group_id,
        outcome=values["outcome"],
        children=len(request.children),
        options=len(options),
    )
    return to_group_decision(values)


def group_values(
    request: GroupDecisionRequest,
    asked: dict[str, DecisionRequest],
    wishes: dict[str, Wish],
    rankings: dict[str, Ranking],
    options: list[JointOption],
    chosen: JointOption | None,
    held: dict[str, ReservationOut],
    now: datetime,
    applied: dict[str, dict[str, dict[str, str]]] | None = None,
    vocabulary: Vocabulary | None = None,
) -> dict[str, Any]:
    """The stored record: the group's outcome and reasons, each child with what was asked, its
    proposal or reasons, its units weighed and the words of the group and production rules that
    applied to them (`applied`, by child), and every joint option."""
    group_reasons = (
        [
            f"siblings kept together: best of {len(options)} joint option{'s' if len(options) > 1 else ''}",
            "one unit for all" if chosen.one_unit else "units of one provider in one municipality",
        ]
        if chosen is not None
        else unmatched_group_reasons([Child(rid, r) for rid, r in rankings.items()], options)
    )
    children = []
    for referral_id, child in asked.items():
        child_rules = (applied or {}).get(referral_id, {})
        proposal = None
        if chosen is not None:
            reservation = held[referral_id]
            weighed = chosen.placed[referral_id]
            weighed.chosen = True
            proposal = {
                "unit_id": weighed.unit_id,
                "provider_id": weighed.provider_id,
                "in_region": weighed.in_region,
                "expires_at": as_utc(reservation.expires_at).isoformat(),
                "reasons": _with_rules(chosen.reasons_for(referral_id), rule_reasons(weighed, child_rules)),
                "reservation_id": reservation.id,
                **proposal_distances(weighed, wishes[referral_id]),
            }
            reasons = proposal["reasons"]
        else:
            ranking = rankings[referral_id]
            own = unmatched_reasons(ranking, wishes[referral_id]) if not ranking.ranked else []
            alone = len(ranking.ranked)
            if alone:
                own = [f"{alone} unit{'s' if alone > 1 else ''} could take this child alone"]
            reasons = group_reasons + own
        ranking = rankings[referral_id]
        children.append(
            {
                **child.model_dump(mode="json", exclude={"hold_until"}),
                "proposal": proposal,
                "reasons": reasons,
                "weighed": orjson.loads(weighed_json(ranking)),
                "outside_counted": {str(k): v for k, v in ranking.outside_counted.items()},
                "unfit_counted": ranking.unfit_counted,
                "rules": child_rules,
                "labels": labels(wishes[referral_id], vocabulary),
            }
        )
    return {
        "id": str(uuid.uuid4()),
        "request_id": request.request_id,
        "group_id": request.group_id,
        "hold_until": request.hold_until,
        "outcome": "proposed" if chosen is not None else "unmatched",
        "reasons": group_reasons,
        "children": children,
        "options": [option_entry(option) for option in options],
        "created_at": now,
    }


def _with_rules(reasons: list[str], ruled: list[str]) -> list[str]:
    """The child's own reasons, then the group and production rules that ranked its unit lower (as a
    single proposal says them), then the siblings it goes with."""
    return [*reasons[:-1], *ruled, reasons[-1]]


def option_entry(option: JointOption) -> dict[str, Any]:
    return {
        "provider_id": option.provider_id,
        "municipality_code": option.municipality_code,
        "in_region": option.in_region,
        "units": option.units,
        "one_unit": option.one_unit,
        "score": option.score,
        "parts": option.parts,
        "rank": option.rank,
        "chosen": option.chosen,
        "excluded_reason": option.excluded_reason,
    }


def to_group_decision(values: Any) -> GroupDecision:
    return GroupDecision.model_validate(
        {
            "id": values["id"],
            "request_id": values["request_id"],
            "group_id": values["group_id"],
            "outcome": values["outcome"],
            "reasons": values["reasons"],
            "children": [
                {"referral_id": c["referral_id"], "proposal": c["proposal"], "reasons": c["reasons"]}
                for c in values["children"]
            ],
            "created_at": as_utc(values["created_at"]),
        }
    )


def group_decision_json(values: Any) -> dict[str, Any]:
    """A stored group decision with its options and each child's units weighed (GroupDecisionWithOptions)."""
    decision = to_group_decision(values).model_dump(mode="json")
    decision["children"] = [
        {
            "referral_id": c["referral_id"],
            "proposal": c["proposal"],
            "reasons": c["reasons"],
            "candidates": candidates(orjson.dumps(c["weighed"]).decode()),
            "outside_counted": c["outside_counted"],
            "unfit_counted": c["unfit_counted"],
            "rules": c.get("rules") or {},
            # Group decisions stored before school, distance and wishes were weighed have no words.
            "labels": c.get("labels", {}),
        }
        for c in values["children"]
    ]
    decision["options"] = values["options"]
    return decision


async def get_group_decision(database: Database, decision_id: str) -> dict[str, Any]:
    async with database.read() as session:
        row = await db.group_decision_by_id(session, decision_id)
    if row is None:
        raise GroupDecisionNotFound(decision_id)
    return group_decision_json(row._mapping)


async def group_decisions_for(database: Database, group_id: str) -> dict[str, Any]:
    async with database.read() as session:
        rows = await db.group_decisions_for(session, group_id)
    return {"items": [group_decision_json(row._mapping) for row in rows], **lists.whole(len(rows))}
