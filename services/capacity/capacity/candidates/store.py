"""The statements of the candidates query: the units of a care type, each with the first reason it
cannot take the child, and the units counted instead of listed."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    Text,
    and_,
    bindparam,
    cast,
    false,
    func,
    literal,
    not_,
    null,
    or_,
    select,
    true,
    union_all,
)

from capacity.db import exclusion_reason, occupancies, places_free, production_agreements, providers, units

_unit = units.c
# The specialisms are read as the JSON text they are stored as, and go into the answer as they are.
_SPECIALISMS = cast(_unit.specialisms, Text).label("specialisms")
# The columns of a row of the full view, in the order service._full_unit reads them.
FULL_COLUMNS = (
    _unit.id,
    _unit.provider_id,
    _unit.in_region,
    providers.c.role,
    _unit.name,
    _unit.care_type,
    _unit.serves_jo,
    _unit.serves_lvb,
    _unit.serves_ggz,
    _unit.age_min,
    _unit.age_max,
    _unit.municipality_code,
    _unit.capacity,
    _unit.occupied,
    _unit.reserved,
    _unit.blocked,
    _SPECIALISMS,
    _unit.description,
    _unit.part_time,
    _unit.version,
    _unit.created_at,
    _unit.updated_at,
    _unit.latitude,
    _unit.longitude,
    _unit.availability_confirmed_at,
)
# The columns of a row of the compact view, in the order service._compact_unit reads them.
COMPACT_COLUMNS = (
    _unit.id,
    _unit.provider_id,
    _unit.in_region,
    providers.c.role,
    _unit.municipality_code,
    _SPECIALISMS,
    _unit.part_time,
    _unit.latitude,
    _unit.longitude,
    _unit.capacity,
    _unit.availability_confirmed_at,
)


def compact_columns(held_unit_id: Any) -> tuple[Any, ...]:
    """The compact view's columns with the unit's free places for the asking request last (the
    compact row puts them before the unit's point: service._compact_unit)."""
    return (*COMPACT_COLUMNS, places_free(held_unit_id).label("available"))


# The reasons of a unit whose own rules do not admit the child, as opposed to one that is full.
UNFIT_REASONS = ("age_out_of_range", "target_group_not_served")


@dataclass(frozen=True)
class CandidateStatements:
    rows: Any
    # Units counted instead of listed, as (in_region, reason, count); with region=inside also the
    # units outside that could take the child, as (false, NULL, count). None when nothing is counted.
    counts: Any | None


@functools.cache
def candidate_statements(
    target_group: str, region: str, excluded_outside: str, excluded_unfit: str, view: str, held: bool = False
) -> CandidateStatements:
    """The statements of one kind of candidates query, built once: building SQLAlchemy expressions
    costs more than running them. Care type and age are bound at execution, and with `held` the unit
    where the asking request holds a place (whose place then counts as free): a rare case, kept out of
    the common statements, which the database answers from an index alone."""
    held_unit_id = bindparam("held_unit_id", type_=String) if held else None
    reason = exclusion_reason(target_group, bindparam("age", type_=Integer), held_unit_id)
    care_type = bindparam("care_type", type_=String)
    # NULL-safe, so that "not counted" is true for a unit that can take the child.
    why = func.coalesce(reason, "")
    counted_inside = why.in_(UNFIT_REASONS) if excluded_unfit == "count" else None
    counted_outside = why != "" if excluded_outside == "count" else counted_inside
    counted = []
    if counted_inside is not None and region != "outside":
        counted.append(and_(_unit.in_region == true(), counted_inside))
    if counted_outside is not None and region != "inside":
        counted.append(and_(_unit.in_region == false(), counted_outside))
    # A closed unit takes no new child: it is no candidate at all, not even one left out.
    of_care_type = [_unit.care_type == care_type, _unit.closed == false()]
    if region != "all":
        of_care_type.append(_unit.in_region == (region == "inside"))
    rows = (
        select(*(compact_columns(held_unit_id) if view == "compact" else FULL_COLUMNS), reason.label("reason"))
        .select_from(units.join(providers, providers.c.id == _unit.provider_id))
        .where(*of_care_type)
        # The compact view is for matching, which ranks the units itself: inside the region first is
        # enough, and sorting hundreds of names by the database's collation cost more than the query.
        .order_by(*((_unit.in_region.desc(),) if view == "compact" else (_unit.in_region.desc(), _unit.name, _unit.id)))
    )
    counts: Any | None = None
    if counted:
        rows = rows.where(not_(or_(*counted)))
        counts = (
            select(_unit.in_region, reason, func.count())
            .where(*of_care_type, or_(*counted))
            .group_by(_unit.in_region, reason)
        )
    if region == "inside":
        # Only the units outside that could take the child: a range of the covering index, no grouping.
        age = bindparam("age", type_=Integer)
        fitting = select(false(), null(), func.count()).where(
            _unit.care_type == care_type,
            _unit.closed == false(),
            _unit.in_region == false(),
            _unit.age_min <= age,
            _unit.age_max >= age,
            places_free(held_unit_id) > 0,
            _unit[f"serves_{target_group}"] == true(),
        )
        counts = fitting if counts is None else union_all(counts, fitting)
    return CandidateStatements(rows, counts)


@functools.cache
def group_statement(region: str) -> Any:
    """The stays that run in units of the care type (for the group profiles) and the production
    agreements of operational providers for the care type and year, in one statement: one round trip
    where nearly every answer is short. Rows are (kind, id, age, age_on, flags, care_days), `kind`
    `stay` (id: the unit) or `agreement` (id: the provider)."""
    stay, agreement = occupancies.c, production_agreements.c
    care_type = bindparam("care_type", type_=String)
    stays = (
        select(
            literal("stay").label("kind"),
            stay.unit_id.label("id"),
            stay.age,
            stay.age_on,
            cast(stay.flags, Text).label("flags"),
            null().label("care_days"),
        )
        .select_from(occupancies.join(units, _unit.id == stay.unit_id))
        .where(stay.end_date.is_(None), _unit.care_type == care_type)
    )
    if region != "all":
        stays = stays.where(_unit.in_region == (region == "inside"))
    agreements = (
        select(
            literal("agreement"),
            agreement.provider_id,
            null(),
            null(),
            null(),
            agreement.care_days,
        )
        .select_from(production_agreements.join(providers, providers.c.id == agreement.provider_id))
        .where(
            providers.c.role == "operational",
            agreement.year == bindparam("year", type_=Integer),
            agreement.care_type == care_type,
        )
    )
    return union_all(stays, agreements)
