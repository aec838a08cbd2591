"""The stored record of a decision: the values written for it, every unit weighed as a compact JSON
array, and the decision read back in the shape of contracts.matching."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import orjson

from common.clock import as_utc
from contracts.capacity import ReservationOut
from contracts.geography import shown_km
from contracts.matching import Decision, DecisionRequest, Proposal
from contracts.vocabulary import Vocabulary
from matching import db, nearness
from matching.domain import Ranking, Weighed, Wish, unmatched_reasons
from matching.freshness import AVAILABILITY_STALE
from matching.placement import left_out_summary, rule_reasons


def decision_values(
    request: DecisionRequest,
    ranking: Ranking,
    wish: Wish,
    reserved: tuple[Weighed, ReservationOut] | None,
    now: datetime,
    applied: dict[str, dict[str, str]] | None = None,
    vocabulary: Vocabulary | None = None,
) -> dict[str, Any]:
    """`applied`: the group and production rules that applied to a unit, by id, with their words."""
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "request_id": request.request_id,
        "referral_id": request.referral_id,
        "client_key": request.client_key,
        "care_type": request.care_type,
        "target_group": request.target_group,
        "age": request.age,
        "municipality_code": request.municipality_code,
        "needs": list(wish.needs),
        "part_time": request.part_time,
        "out_of_region": request.out_of_region,
        "known_provider_ids": request.known_provider_ids,
        "excluded_unit_ids": request.excluded_unit_ids,
        "offered_unit_id": request.unit_id,
        "hold_until": request.hold_until,
        "created_at": now,
        "outside_counted": {str(reason): count for reason, count in ranking.outside_counted.items()},
        "unfit_counted": ranking.unfit_counted,
        "outcome": "unmatched",
        "proposed_unit_id": None,
        "proposed_provider_id": None,
        "proposed_in_region": None,
        "reservation_id": None,
        "expires_at": None,
        "proposal_reasons": None,
        "rules": applied or {},
        "school_municipality_code": request.school_municipality_code,
        "max_travel_km": request.max_travel_km,
        "wishes": sorted(wish.wishes),
        "proposed_distance_home_km": None,
        "proposed_distance_school_km": None,
        "labels": labels(wish, vocabulary),
    }
    if reserved is None:
        values["reasons"] = unmatched_reasons(ranking, wish)
        values["weighed"] = weighed_json(ranking)
        return values
    chosen, reservation = reserved
    explained = chosen.reasons + rule_reasons(chosen, applied or {})
    suitable = len(ranking.ranked)
    summary = [f"best of {suitable} suitable units" if suitable > 1 else "the only suitable unit"]
    taken = sum(1 for c in ranking.candidates if c.rank is not None and not c.eligible)
    if taken:
        summary.append(f"{taken} better-ranked unit{'s were' if taken > 1 else ' was'} taken meanwhile")
    summary.extend(left_out_summary(ranking))
    values.update(
        outcome="proposed",
        reasons=explained + summary,
        proposed_unit_id=chosen.unit_id,
        proposed_provider_id=chosen.provider_id,
        proposed_in_region=chosen.in_region,
        reservation_id=reservation.id,
        expires_at=as_utc(reservation.expires_at),
        proposal_reasons=explained,
        weighed=weighed_json(ranking),
    )
    if chosen.unit is not None and chosen.unit.availability_stale and vocabulary is not None:
        values["labels"][AVAILABILITY_STALE] = vocabulary.labels("score_parts", AVAILABILITY_STALE)
    distances = proposal_distances(chosen, wish)
    values["proposed_distance_home_km"] = distances["distance_home_km"]
    values["proposed_distance_school_km"] = distances["distance_school_km"]
    return values


def labels(wish: Wish, vocabulary: Vocabulary | None) -> dict[str, dict[str, str]]:
    """The Dutch and English words of the codes of school, distance and wishes a decision for this
    child can use (matching.nearness.codes)."""
    if vocabulary is None:
        return {}
    return {code: vocabulary.labels(section, code) for section, code in nearness.codes(wish)}


def proposal_distances(chosen: Weighed, wish: Wish) -> dict[str, float | None]:
    """How far the proposed unit lies from the child's home and school, as a proposal shows it."""
    unit = chosen.unit
    if unit is None:
        return {"distance_home_km": None, "distance_school_km": None}
    return {
        "distance_home_km": shown_km(nearness.km_from(wish.municipality_code, unit)),
        "distance_school_km": shown_km(nearness.km_from(wish.school_municipality_code, unit)),
    }


def weighed_json(ranking: Ranking) -> str:
    """Every unit weighed, as the JSON record stored with the decision: the ranked units best first,
    then those capacity left out, then those the central point's rules left out.

    Each unit is an array, not an object, to keep a record of a thousand units small and quick to
    write: `[unit_id, provider_id, in_region, eligible, excluded_reason, score, parts, rank, chosen]`
    for a unit weighed here (and a tenth column, the ids of the group and production rules that
    applied to it, when any did), and capacity's own `[unit_id, provider_id, in_region, reason]` for one
    it left out. `candidates` turns the record into the shape of contracts.matching.Candidate."""
    return orjson.dumps(
        [
            *(_weighed_entry(c) for c in ranking.candidates if c.rank is not None),
            *ranking.rejected,
            *(_weighed_entry(c) for c in ranking.candidates if c.rank is None),
        ]
    ).decode()


def _weighed_entry(c: Weighed) -> tuple[Any, ...]:
    entry = c.unit_id, c.provider_id, c.in_region, c.eligible, c.excluded_reason, c.score, c.parts, c.rank, c.chosen
    return (*entry, c.rules) if c.rules else entry


_CANDIDATE_FIELDS = (
    "unit_id",
    "provider_id",
    "in_region",
    "eligible",
    "excluded_reason",
    "score",
    "parts",
    "rank",
    "chosen",
)


def candidates(weighed: str) -> list[dict[str, Any]]:
    """A stored record of weighed units in the shape of contracts.matching.Candidate. Records written before
    units were stored as arrays hold that shape already."""
    found: list[dict[str, Any]] = []
    for entry in orjson.loads(weighed):
        if isinstance(entry, dict):
            found.append({"rules": [], **entry})
        elif len(entry) == len(_CANDIDATE_FIELDS):
            found.append({**dict(zip(_CANDIDATE_FIELDS, entry, strict=True)), "rules": []})
        elif len(entry) == len(_CANDIDATE_FIELDS) + 1:
            found.append({**dict(zip(_CANDIDATE_FIELDS, entry[:-1], strict=True)), "rules": entry[-1]})
        else:
            unit_id, provider_id, in_region, reason = entry
            left_out: tuple[Any, ...] = (unit_id, provider_id, in_region, False, reason, None, {}, None, False)
            found.append({**dict(zip(_CANDIDATE_FIELDS, left_out, strict=True)), "rules": []})
    return found


def decision_from_values(values: dict[str, Any]) -> Decision:
    proposal = None
    if values["outcome"] == "proposed":
        proposal = Proposal(
            unit_id=values["proposed_unit_id"],
            provider_id=values["proposed_provider_id"],
            in_region=values["proposed_in_region"],
            expires_at=as_utc(values["expires_at"]),
            reasons=values["proposal_reasons"] or [],
            reservation_id=values["reservation_id"],
            distance_home_km=values.get("proposed_distance_home_km"),
            distance_school_km=values.get("proposed_distance_school_km"),
        )
    return Decision(
        id=values["id"],
        request_id=values["request_id"],
        referral_id=values["referral_id"],
        outcome=values["outcome"],
        proposal=proposal,
        reasons=values["reasons"],
        created_at=as_utc(values["created_at"]),
    )


def to_decision(row: db.StoredDecision) -> Decision:
    return decision_from_values({column.key: getattr(row, column.key) for column in db.decisions.columns})


def decision_json(row: db.DecisionRow) -> dict[str, Any]:
    """A stored decision with its candidates, ready for orjson: the candidates are not validated
    again unit by unit."""
    return {
        **to_decision(row).model_dump(mode="json"),
        "candidates": candidates(row.weighed),
        "outside_counted": row.outside_counted or {},
        "unfit_counted": row.unfit_counted or {},
        "rules": row.rules or {},
        "labels": row.labels or {},
    }
