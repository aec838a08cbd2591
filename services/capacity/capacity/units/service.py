"""Use cases of units: add one to a provider, list and read them, change their availability."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Integer, and_, bindparam, false, not_, or_, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.db import (
    AVAILABLE,
    Provider,
    Unit,
    count_of,
    latest_change,
    load_unit,
    new_id,
    next_change,
    raise_free_places_epoch,
    run_unit_change,
    serves,
    unit_change,
    unit_with_role,
    units,
)
from capacity.groups.store import profiles_of_units
from capacity.schemas import UnitCreate, UnitList, UnitOut
from common.clock import Clock, as_utc
from common.db import Database
from common.errors import Forbidden, PreconditionFailed
from contracts import lists
from contracts.vocabulary import Vocabulary


def unit_out(
    unit: Unit, provider_role: str, stale_before: datetime, group_profile: dict[str, Any] | None = None
) -> UnitOut:
    """`group_profile` only for a reader that may see it (groups.rules.sees_group_profile);
    `stale_before` the moment before which a confirmation of the free places is stale."""
    confirmed_at = as_utc(unit.availability_confirmed_at)
    return UnitOut(
        id=unit.id,
        provider_id=unit.provider_id,
        provider_role=provider_role,  # type: ignore[arg-type]
        name=unit.name,
        care_type=unit.care_type,  # type: ignore[arg-type]
        target_groups=unit.target_groups,  # type: ignore[arg-type]
        age_min=unit.age_min,
        age_max=unit.age_max,
        municipality_code=unit.municipality_code,
        in_region=unit.in_region,
        capacity=unit.capacity,
        occupied=unit.occupied,
        reserved=unit.reserved,
        blocked=unit.blocked,
        available=domain.available(unit.capacity, unit.occupied, unit.reserved, unit.blocked),
        specialisms=list(unit.specialisms),
        description=unit.description,
        part_time=unit.part_time,
        version=unit.version,
        created_at=as_utc(unit.created_at),
        updated_at=as_utc(unit.updated_at),
        group_profile=group_profile,  # type: ignore[arg-type]
        latitude=unit.latitude,
        longitude=unit.longitude,
        availability_confirmed_at=confirmed_at,
        availability_stale=domain.availability_stale(confirmed_at, unit.closed, stale_before),
        closed=unit.closed,
    )


_EMPTY_GROUP: dict[str, Any] = {"count": 0, "ages": [], "flags": {}}


async def _group_profiles(
    session: AsyncSession, units: list[Unit], today: date | None
) -> dict[str, dict[str, Any] | None]:
    """Each unit's group profile, or None for all when the reader may not see them (`today` None)."""
    if today is None:
        return {unit.id: None for unit in units}
    found = await profiles_of_units(session, [unit.id for unit in units], today)
    return {unit.id: found.get(unit.id, _EMPTY_GROUP) for unit in units}


async def create_unit(
    db: Database,
    clock: Clock,
    region: tuple[str, ...],
    vocabulary: Vocabulary,
    provider_id: str,
    data: UnitCreate,
    stale_before: datetime,
) -> UnitOut:
    now = clock.now()
    domain.check_age_range(data.age_min, data.age_max)
    domain.check_point(data.latitude, data.longitude)
    domain.check_specialisms(data.specialisms, vocabulary)
    groups = set(data.target_groups)
    unit = Unit(
        id=new_id(),
        provider_id=provider_id,
        name=data.name,
        care_type=data.care_type,
        serves_jo="jo" in groups,
        serves_lvb="lvb" in groups,
        serves_ggz="ggz" in groups,
        age_min=data.age_min,
        age_max=data.age_max,
        municipality_code=data.municipality_code,
        in_region=domain.in_region(data.municipality_code, region),
        capacity=data.capacity,
        occupied=0,
        reserved=0,
        blocked=0,
        specialisms=list(dict.fromkeys(data.specialisms)),
        description=data.description,
        part_time=data.part_time,
        latitude=data.latitude,
        longitude=data.longitude,
        version=1,
        created_at=now,
        updated_at=now,
        availability_confirmed_at=now,
        closed=False,
    )
    async with db.transaction() as session:
        provider = await session.get(Provider, provider_id)
        if provider is None:
            raise domain.ProviderNotFound(provider_id)
        unit.change_seq = await next_change(session)
        session.add(unit)
        await raise_free_places_epoch(session)
    return unit_out(unit, provider.role, stale_before)


@dataclass(frozen=True)
class UnitFilter:
    care_type: str | None = None
    target_group: str | None = None
    age: int | None = None
    in_region: bool | None = None
    available_only: bool = False
    provider_id: str | None = None
    # Only these units (a page that names the candidates of a decision).
    unit_ids: tuple[str, ...] | None = None
    # True: only the open units whose free places were last confirmed before the stale moment; False:
    # only the others.
    availability_stale: bool | None = None
    closed: bool | None = None


async def list_units(
    db: Database,
    filters: UnitFilter,
    limit: int,
    offset: int,
    stale_before: datetime,
    group_as_of: date | None = None,
) -> UnitList:
    """`group_as_of`: the day to give the group profiles' ages on, for a reader that may see them."""
    query = unit_with_role()
    if filters.care_type is not None:
        query = query.where(Unit.care_type == filters.care_type)
    if filters.target_group is not None:
        query = query.where(serves(filters.target_group) == true())
    if filters.age is not None:
        query = query.where(Unit.age_min <= filters.age, Unit.age_max >= filters.age)
    if filters.in_region is not None:
        query = query.where(Unit.in_region == filters.in_region)
    if filters.available_only:
        query = query.where(AVAILABLE > 0)
    if filters.provider_id is not None:
        query = query.where(Unit.provider_id == filters.provider_id)
    if filters.unit_ids is not None:
        query = query.where(Unit.id.in_(filters.unit_ids))
    if filters.closed is not None:
        query = query.where(Unit.closed == filters.closed)
    if filters.availability_stale is not None:
        stale = and_(Unit.closed == false(), Unit.availability_confirmed_at < stale_before)
        query = query.where(stale if filters.availability_stale else not_(stale))
    async with db.read() as session:
        total = await session.scalar(count_of(query))
        rows = (await session.execute(query.order_by(Unit.name, Unit.id).limit(limit).offset(offset))).all()
        groups = await _group_profiles(session, [u for u, _ in rows], group_as_of)
    items = [unit_out(u, role, stale_before, groups[u.id]) for u, role in rows]
    return UnitList(items=items, **lists.page(int(total or 0), limit, offset, len(items)))


# The open units whose free places were last confirmed before the stale moment: what intake's workers
# remind the providers of (GET /internal/stale-units), in the order GET /v1/units lists them.
_STALE = (
    select(units.c.id, units.c.provider_id, units.c.availability_confirmed_at)
    .where(units.c.closed == false(), units.c.availability_confirmed_at < bindparam("stale_before"))
    .order_by(units.c.name, units.c.id)
)
# Of those, the ones that can have turned stale since an earlier answer: confirmed after that answer's
# stale moment (stale by time since), or changed after its last change (opened again, confirmed and
# stale again). Any other stale unit was open and stale, as it is now, when that answer was read.
_STALE_SINCE = _STALE.where(
    or_(units.c.availability_confirmed_at >= bindparam("turned_after"), units.c.change_seq > bindparam("after"))
)


@dataclass(frozen=True)
class StaleSince:
    """An earlier answer of stale_units: its counter's generation, last change and stale moment."""

    generation: str
    after: int
    stale_before: datetime


async def stale_units(db: Database, stale_before: datetime, since: StaleSince | None) -> dict[str, Any]:
    """The open units stale at `stale_before`: all of them, or (`since` an earlier answer of the same
    generation) those that can have turned stale after it. JSON-ready, with what to send as `since`
    next time."""
    async with db.read() as session:
        # The counter first, as the change feed reads it (candidates.feed): every change numbered up to
        # it has committed, so the units read next show all of them.
        latest, generation = await latest_change(session)
        if since is not None and since.generation == generation:
            values = {"stale_before": stale_before, "turned_after": since.stale_before, "after": since.after}
            rows = (await session.execute(_STALE_SINCE, values)).all()
        else:
            rows = (await session.execute(_STALE, {"stale_before": stale_before})).all()
    return {
        "generation": generation,
        "upto": latest,
        "stale_before": stale_before.isoformat(),
        "units": [
            {"id": unit_id, "provider_id": provider_id, "availability_confirmed_at": as_utc(confirmed_at).isoformat()}
            for unit_id, provider_id, confirmed_at in rows
        ],
    }


async def get_unit(db: Database, unit_id: str, stale_before: datetime, group_as_of: date | None = None) -> UnitOut:
    async with db.read() as session:
        loaded = await load_unit(session, unit_id)
        if loaded is None:
            raise domain.UnitNotFound(unit_id)
        groups = await _group_profiles(session, [loaded[0]], group_as_of)
    return unit_out(*loaded, stale_before, groups[unit_id])


async def update_availability(
    db: Database,
    clock: Clock,
    unit_id: str,
    expected_version: int,
    capacity: int,
    blocked: int,
    stale_before: datetime,
    *,
    acting_provider_id: str | None,
) -> UnitOut:
    """acting_provider_id is None for a coordinator, who may change any unit."""
    now = clock.now()
    async with db.transaction() as session:
        loaded = await load_unit(session, unit_id)
        if loaded is None:
            raise domain.UnitNotFound(unit_id)
        unit, role = loaded
        if acting_provider_id is not None and acting_provider_id != unit.provider_id:
            raise Forbidden("Only the unit's own provider or a coordinator may change its availability.")
        if unit.version != expected_version:
            raise PreconditionFailed(f"The unit is at version {unit.version}, not {expected_version}; read it again.")
        places = domain.Places(unit.capacity, unit.occupied, unit.reserved, unit.blocked)
        places.check_new_availability(capacity, blocked)
        # The WHERE repeats both checks, so a reservation or another writer slipping in between loses here.
        values = {"expected_version": expected_version, "new_capacity": capacity, "new_blocked": blocked}
        changed = await run_unit_change(session, _NEW_AVAILABILITY, unit_id, now, **values)
        if not changed:
            raise PreconditionFailed("The unit changed while this update was made; read it again.")
        if places.may_free_places(capacity, blocked):
            await raise_free_places_epoch(session)
        reloaded = await reload_unit(session, unit_id)
    return unit_out(reloaded, role, stale_before)


# New free places, confirmed as they are now. The WHERE repeats both checks of update_availability.
_NEW_AVAILABILITY = unit_change(
    units.c.version == bindparam("expected_version"),
    units.c.occupied + units.c.reserved + bindparam("new_blocked", type_=Integer) <= bindparam("new_capacity"),
    capacity=bindparam("new_capacity"),
    blocked=bindparam("new_blocked"),
    availability_confirmed_at=bindparam("now"),
)
_RELOAD = select(Unit).where(Unit.id == bindparam("unit_id")).execution_options(populate_existing=True)


async def reload_unit(session: AsyncSession, unit_id: str) -> Unit:
    unit = await session.scalar(_RELOAD, {"unit_id": unit_id})
    assert unit is not None
    return unit
