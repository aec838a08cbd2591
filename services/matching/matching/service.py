"""Use cases of the matching service: take a decision (rank, reserve, store) and read decisions back."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field, replace
from typing import Any

import orjson
from sqlalchemy.exc import IntegrityError

from common.clock import Clock
from common.db import Database
from common.errors import DependencyUnavailable, NotFound
from common.http import ServiceClient, ServiceUnavailableError, raise_for_unexpected
from common.logging import get_logger
from contracts import lists
from contracts.capacity import Candidates
from contracts.matching import Decision, DecisionRequest, MatchingFactors
from contracts.vocabulary import Vocabulary
from matching import db
from matching.domain import (
    Ground,
    Ranking,
    Rejected,
    Unit,
    Wish,
    inside_meets_need,
    outside_exclusion,
    rank_units,
)
from matching.group_rules import PlacementRules
from matching.holds import Weighing, hold_first_choice, release_quietly, release_request_holds, reserve_best
from matching.placement import Checked, check_units, child_of, complete
from matching.record import decision_from_values, decision_json, decision_values, to_decision
from matching.replica import CAPACITY_UNREACHABLE, Replica

log = get_logger("regiepunt.matching")


class DecisionNotFound(NotFound):
    def __init__(self, decision_id: str) -> None:
        super().__init__(f"No decision {decision_id}.")


def wish_from(request: DecisionRequest) -> Wish:
    return Wish(
        care_type=request.care_type,
        municipality_code=request.municipality_code,
        needs=tuple(dict.fromkeys(request.needs)),
        part_time=request.part_time,
        ground=Ground(request.out_of_region) if request.out_of_region else None,
        known_provider_ids=frozenset(request.known_provider_ids),
        excluded_unit_ids=frozenset(request.excluded_unit_ids),
        offered_unit_id=request.unit_id,
        school_municipality_code=request.school_municipality_code,
        max_travel_km=request.max_travel_km,
        wishes=frozenset(request.wishes),
    )


def without_new_factors(wish: Wish) -> Wish:
    """The child's wish as the `baseline` factors weigh it: no school, travel limit or wishes."""
    return replace(wish, school_municipality_code=None, max_travel_km=None, wishes=frozenset())


@dataclass(frozen=True)
class Read:
    """The units of the care type as capacity listed them for the child."""

    units: list[Unit]
    rejected: list[Rejected]
    # Units outside the region counted instead of listed, per exclusion reason.
    outside_counted: dict[str, int]
    # When only the units inside were asked for: how many units outside could take the child.
    outside_fitting: int
    # Units whose own ages or target groups do not admit the child, counted instead of listed.
    unfit_counted: dict[str, int]
    # The unit where this request holds a place already (its place counted as free for it).
    held_unit_id: str | None = None
    # The group profiles of the listed units where children stay, by unit id, and the production use
    # of the operational providers with an agreement for the care type, by provider id.
    group_profiles: dict[str, Any] = field(default_factory=dict)
    production: dict[str, Any] = field(default_factory=dict)


async def fetch_candidates(
    capacity: ServiceClient,
    request: DecisionRequest,
    region: str,
    *,
    excluded_unfit: str = "list",
    excluded_outside: str = "list",
    group: bool = True,
    replica: Replica | None = None,
) -> Read:
    """Capacity filters on its hard rules and on the region in its own database; matching only reads
    the result. With a read model (caught up with capacity before the decision began) the same list
    is made from it, without a request."""
    if replica is not None:
        listed = replica.candidates(
            request.care_type,
            request.target_group,
            request.age,
            region,
            excluded_outside,
            excluded_unfit,
            request.request_id,
            group,
        )
        return Read(
            listed.units,
            listed.rejected,
            listed.outside_excluded,
            listed.outside_fitting,
            listed.unfit_excluded,
            listed.held_unit_id,
            listed.group_profiles,
            listed.production,
        )
    params = {
        "care_type": request.care_type,
        "target_group": request.target_group,
        "age": request.age,
        "region": region,
        "excluded_outside": excluded_outside,
        "excluded_unfit": excluded_unfit,
        "view": "compact",
        # A place this request holds already (an earlier delivery of it stopped before its decision was
        # stored) counts as free for it, so that the request can take it up again.
        "request_id": request.request_id,
        # The group profiles and the production use, for the group and production rules.
        "group": "true" if group else "false",
    }
    try:
        response = await capacity.get("/v1/candidates", params=params)
    except ServiceUnavailableError as exc:
        raise DependencyUnavailable(CAPACITY_UNREACHABLE) from exc
    raise_for_unexpected(response, 200)
    body = orjson.loads(response.content)
    # The compact view's rows (contracts.capacity.CompactUnit and CompactExcluded) are taken as read,
    # by position: there are thousands of them. The rest of the answer is validated.
    units = list(map(Unit._make, body.pop("units")))
    rejected: list[Rejected] = body.pop("excluded")  # arrays in the order of Rejected, used as they are
    answer = Candidates.model_validate({**body, "units": [], "excluded": []})
    return Read(
        units,
        rejected,
        {reason.value: count for reason, count in (answer.outside_excluded or {}).items()},
        answer.outside_fitting or 0,
        {reason.value: count for reason, count in (answer.unfit_excluded or {}).items()},
        answer.held_unit_id,
        {unit_id: profile.model_dump() for unit_id, profile in (answer.group_profiles or {}).items()},
        {provider_id: use.model_dump() for provider_id, use in (answer.production or {}).items()},
    )


async def read_units(
    capacity: ServiceClient, request: DecisionRequest, wish: Wish, *, group: bool = True, replica: Replica | None = None
) -> Read:
    """Read only the units the region rules let count.

    Region first (`domain.outside_exclusion`) decides: when the units outside count whatever the
    units inside offer, all are read at once; otherwise the units inside first, then those outside
    only when the rule lets them count after all, else the units outside that could take the child
    are counted under the rule's reason. The units outside that cannot take the child anyway are counted
    per reason instead of listed, and so are the units inside whose own ages or target groups do not
    admit the child: what they are is in capacity, what counts for the decision is how many there
    were. A unit that is full stays listed, since that it was full is true only at that moment. An
    offer is judged against every unit, each listed.
    """
    if wish.offered_unit_id is not None:
        return await fetch_candidates(capacity, request, "all", group=group, replica=replica)
    if outside_exclusion(wish, inside_meets_need=True) is None:
        # The units outside count whatever the units inside offer: read them all at once.
        return await fetch_candidates(
            capacity, request, "all", excluded_unfit="count", excluded_outside="count", group=group, replica=replica
        )
    inside = await fetch_candidates(capacity, request, "inside", excluded_unfit="count", group=group, replica=replica)
    left_out = outside_exclusion(wish, inside_meets_need(wish, inside.units))
    if left_out is None:
        outside = await fetch_candidates(
            capacity,
            request,
            "outside",
            excluded_unfit="count",
            excluded_outside="count",
            group=group,
            replica=replica,
        )
        return Read(
            inside.units + outside.units,
            inside.rejected + outside.rejected,
            outside.outside_counted,
            0,
            inside.unfit_counted,
            inside.held_unit_id,
            {**inside.group_profiles, **outside.group_profiles},
            {**inside.production, **outside.production},
        )
    return Read(
        inside.units,
        inside.rejected,
        {left_out: inside.outside_fitting},
        0,
        inside.unfit_counted,
        inside.held_unit_id,
        inside.group_profiles,
        inside.production,
    )


async def weigh(
    capacity: ServiceClient,
    request: DecisionRequest,
    wish: Wish,
    rules: PlacementRules,
    factors: MatchingFactors = MatchingFactors.ALL,
    replica: Replica | None = None,
    *,
    catch_up: bool = True,
) -> tuple[Ranking, str | None, dict[str, dict[str, str]]]:
    """The ranking, the unit where this request holds a place already (None mostly), and the words of
    the group and production rules that applied, by rule id.

    The group and production rules leave their units out before the region rule is weighed, as the
    central point's own exclusions do: a unit inside the region that the group rules out does not
    keep a child from the expertise outside it. With the `baseline` factors the units are ranked
    without school, travel limit, wishes, group and production rules (docs/matching.md).

    With a read model, it first applies every change capacity numbered before this call: a unit
    added or freed a moment ago counts as it would have when capacity listed the units itself.
    Without `catch_up` it ranks on the read model as it is: a decision that holds a place learns the
    changes from the hold's answer instead, and ranks again (`hold_first_choice`)."""
    if replica is not None and catch_up:
        await replica.catch_up(capacity)
    if factors is MatchingFactors.BASELINE:
        wish = without_new_factors(wish)
        read = await read_units(capacity, request, wish, group=False, replica=replica)
        checked = Checked(kept=read.units)
    else:
        read = await read_units(capacity, request, wish, replica=replica)
        child = child_of(request.age, request.risk_flags, request.vulnerabilities)
        checked = check_units(rules, child, read.units, read.group_profiles, read.production)
    ranking = rank_units(wish, checked.kept, read.rejected, read.outside_counted, read.unfit_counted)
    complete(ranking, checked, wish)
    return ranking, read.held_unit_id, checked.applied


async def stored_decision(database: Database, request_id: str) -> db.StoredDecision | None:
    async with database.read() as session:
        return await db.decision_by_request_id(session, request_id)


async def decide(
    database: Database,
    capacity: ServiceClient,
    clock: Clock,
    request: DecisionRequest,
    rules: PlacementRules | None = None,
    vocabulary: Vocabulary | None = None,
    factors: MatchingFactors = MatchingFactors.ALL,
    replica: Replica | None = None,
) -> Decision:
    """Weigh the units for one request, hold the best free place, and store the decision with its reasons.

    With the read model the units are weighed on it as it is, and the hold's answer brings what
    changed since (holds.hold_first_choice): mostly one call to capacity. The same request_id answers
    the stored decision. Capacity is called before anything is stored, so an unreachable capacity
    leaves no trace and the caller simply retries.
    """
    wish = wish_from(request)
    placement_rules = rules or PlacementRules()

    async def rank() -> Weighing:
        # What the read model had applied is marked before the ranking reads it.
        mark = replica.mark(request.care_type) if replica is not None else None
        ranking, held_unit_id, applied = await weigh(
            capacity, request, wish, placement_rules, factors, replica, catch_up=False
        )
        return Weighing(ranking, held_unit_id, applied, mark)

    # Whether this request was decided before is asked while the units are weighed, not before: a
    # repeated request is rare, and its answer is only waited for once the units are weighed.
    lookup = asyncio.create_task(stored_decision(database, request.request_id))
    try:
        weighing = await rank()
    except Exception:
        stored = await lookup
        if stored is not None:
            return to_decision(stored)
        raise
    stored = await lookup
    if stored is not None:
        return to_decision(stored)
    if replica is not None:
        # Ranked on the read model as it is; the hold's answer tells what changed since.
        weighing, reserved = await hold_first_choice(capacity, replica, request, weighing, rank)
    else:
        if weighing.held_unit_id is not None and all(
            c.unit_id != weighing.held_unit_id for c in weighing.ranking.ranked
        ):
            # An earlier delivery of this request held a place this decision will not propose.
            await release_request_holds(capacity, request)
        reserved = await reserve_best(capacity, weighing.ranking, request)
    ranking, applied = weighing.ranking, weighing.applied
    values = decision_values(request, ranking, wish, reserved, clock.now(), applied, vocabulary)
    reservation_id: str | None = values["reservation_id"]
    try:
        async with database.transaction() as session:
            await db.insert_decision(session, values)
    except IntegrityError:
        # An identical request was stored first: answer that one, and give back our hold if it
        # is a different one from the stored proposal.
        async with database.read() as session:
            stored = await db.decision_by_request_id(session, request.request_id)
        if stored is None:
            raise
        if reservation_id is not None and reservation_id != stored.reservation_id:
            await release_quietly(capacity, reservation_id)
        return to_decision(stored)
    except BaseException:
        if reservation_id is not None:
            await release_quietly(capacity, reservation_id)
        raise
    log.info(
        "decision",
        decision_id=values["id"],
        referral_id=request.referral_id,
        outcome=values["outcome"],
        unit_id=values["proposed_unit_id"],
        weighed=len(ranking.candidates) + len(ranking.rejected),
    )
    return decision_from_values(values)


async def get_decision(database: Database, decision_id: str) -> dict[str, Any]:
    """The shape of contracts.matching.DecisionWithCandidates."""
    async with database.read() as session:
        row = await db.decision_by_id(session, decision_id)
    if row is None:
        raise DecisionNotFound(decision_id)
    return decision_json(row)


async def decisions_for_referral(database: Database, referral_id: str) -> dict[str, Any]:
    """The shape of contracts.matching.DecisionList, newest first."""
    async with database.read() as session:
        rows = await db.decisions_for_referral(session, referral_id)
    return {"items": [decision_json(row) for row in rows], **lists.whole(len(rows))}
