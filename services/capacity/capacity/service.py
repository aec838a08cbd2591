"""Use cases of the capacity service; each writing one runs in exactly one transaction.

Every change of a place count is a single conditional UPDATE whose WHERE clause carries the rule
(a free place exists, the version is the one the caller read, the reservation is still held), so
that concurrent requests and several replicas can never both win; the row count decides.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

import orjson
from fastapi import FastAPI
from sqlalchemy import (
    Integer,
    String,
    Text,
    and_,
    bindparam,
    cast,
    exists,
    false,
    func,
    insert,
    not_,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.db import (
    AVAILABLE,
    Occupancy,
    Provider,
    Reservation,
    Unit,
    change_unit,
    count_of,
    exclusion_reason,
    free_places_epoch,
    load_unit,
    places_free,
    providers,
    raise_free_places_epoch,
    reservations,
    rowcount,
    serves,
    unit_with_role,
    units,
)
from capacity.schemas import (
    CandidateRegion,
    CandidateView,
    ConfirmationOut,
    ExcludedOutside,
    ExcludedUnfit,
    OccupancyOut,
    ProviderCreate,
    ProviderList,
    ProviderOut,
    ReservationOut,
    UnitCreate,
    UnitList,
    UnitOut,
)
from common.clock import as_utc
from common.db import Database
from common.errors import Forbidden, PreconditionFailed
from common.logging import get_logger

log = get_logger("regiepunt.capacity")

SWEEP_BATCH = 500


def new_id() -> str:
    return str(uuid.uuid4())


# --- shaping ----------------------------------------------------------------------------------------


def provider_out(provider: Provider) -> ProviderOut:
    return ProviderOut(
        id=provider.id,
        name=provider.name,
        agb_code=provider.agb_code,
        role=provider.role,  # type: ignore[arg-type]
        created_at=as_utc(provider.created_at),
    )


def unit_out(unit: Unit, provider_role: str) -> UnitOut:
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
        part_time=unit.part_time,
        version=unit.version,
        created_at=as_utc(unit.created_at),
        updated_at=as_utc(unit.updated_at),
    )


def reservation_out(reservation: Reservation) -> ReservationOut:
    return ReservationOut(
        id=reservation.id,
        unit_id=reservation.unit_id,
        provider_id=reservation.provider_id,
        referral_id=reservation.referral_id,
        client_key=reservation.client_key,
        request_id=reservation.request_id,
        status=reservation.status,  # type: ignore[arg-type]
        expires_at=as_utc(reservation.expires_at),
        created_at=as_utc(reservation.created_at),
    )


def occupancy_out(occupancy: Occupancy) -> OccupancyOut:
    return OccupancyOut(
        id=occupancy.id,
        unit_id=occupancy.unit_id,
        provider_id=occupancy.provider_id,
        reservation_id=occupancy.reservation_id,
        referral_id=occupancy.referral_id,
        client_key=occupancy.client_key,
        start_date=occupancy.start_date,
        end_date=occupancy.end_date,
    )


# --- providers --------------------------------------------------------------------------------------


async def create_provider(db: Database, now: datetime, data: ProviderCreate) -> ProviderOut:
    provider = Provider(id=new_id(), name=data.name, agb_code=data.agb_code, role=data.role, created_at=now)
    try:
        async with db.transaction() as session:
            if await session.scalar(select(Provider.id).where(Provider.agb_code == data.agb_code)):
                raise domain.DuplicateAgbCode(data.agb_code)
            session.add(provider)
    except IntegrityError as exc:  # two coordinators registered the same provider at once
        raise domain.DuplicateAgbCode(data.agb_code) from exc
    return provider_out(provider)


async def list_providers(db: Database, limit: int, offset: int) -> ProviderList:
    query = select(Provider).order_by(Provider.name, Provider.id)
    async with db.read() as session:
        total = await session.scalar(count_of(query))
        rows = (await session.scalars(query.limit(limit).offset(offset))).all()
    return ProviderList(items=[provider_out(p) for p in rows], total=int(total or 0), limit=limit, offset=offset)


async def get_provider(db: Database, provider_id: str) -> ProviderOut:
    async with db.read() as session:
        provider = await session.get(Provider, provider_id)
    if provider is None:
        raise domain.ProviderNotFound(provider_id)
    return provider_out(provider)


# --- units ------------------------------------------------------------------------------------------


async def create_unit(
    db: Database, now: datetime, region: tuple[str, ...], provider_id: str, data: UnitCreate
) -> UnitOut:
    domain.check_age_range(data.age_min, data.age_max)
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
        part_time=data.part_time,
        version=1,
        created_at=now,
        updated_at=now,
    )
    async with db.transaction() as session:
        provider = await session.get(Provider, provider_id)
        if provider is None:
            raise domain.ProviderNotFound(provider_id)
        session.add(unit)
        await raise_free_places_epoch(session)
    return unit_out(unit, provider.role)


@dataclass(frozen=True)
class UnitFilter:
    care_type: str | None = None
    target_group: str | None = None
    age: int | None = None
    in_region: bool | None = None
    available_only: bool = False
    provider_id: str | None = None


async def list_units(db: Database, filters: UnitFilter, limit: int, offset: int) -> UnitList:
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
    async with db.read() as session:
        total = await session.scalar(count_of(query))
        rows = (await session.execute(query.order_by(Unit.name, Unit.id).limit(limit).offset(offset))).all()
    return UnitList(items=[unit_out(u, role) for u, role in rows], total=int(total or 0), limit=limit, offset=offset)


async def get_unit(db: Database, unit_id: str) -> UnitOut:
    async with db.read() as session:
        loaded = await load_unit(session, unit_id)
    if loaded is None:
        raise domain.UnitNotFound(unit_id)
    return unit_out(*loaded)


async def update_availability(
    db: Database,
    now: datetime,
    unit_id: str,
    expected_version: int,
    capacity: int,
    blocked: int,
    *,
    acting_provider_id: str | None,
) -> UnitOut:
    """acting_provider_id is None for a coordinator, who may change any unit."""
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
        changed = await change_unit(
            session,
            unit_id,
            now,
            Unit.version == expected_version,
            Unit.occupied + Unit.reserved + blocked <= capacity,
            capacity=capacity,
            blocked=blocked,
        )
        if not changed:
            raise PreconditionFailed("The unit changed while this update was made; read it again.")
        if places.may_free_places(capacity, blocked):
            await raise_free_places_epoch(session)
        reloaded = await _reload_unit(session, unit_id)
    return unit_out(reloaded, role)


async def _reload_unit(session: AsyncSession, unit_id: str) -> Unit:
    unit = await session.scalar(select(Unit).where(Unit.id == unit_id).execution_options(populate_existing=True))
    assert unit is not None
    return unit


# --- reservations and occupancies -------------------------------------------------------------------


async def _held_reservation(session: AsyncSession, unit_id: str, referral_id: str) -> Reservation | None:
    query = select(Reservation).where(
        Reservation.unit_id == unit_id, Reservation.referral_id == referral_id, Reservation.status == "held"
    )
    return await session.scalar(query)


@functools.cache
def _reserve_statements() -> tuple[Any, Any]:
    """Take a place and write the hold, built once. The UPDATE carries both rules in its WHERE: a
    free place, and no hold of this referral on this unit yet (the repeated request); the row it
    returns is the unit's provider for the reservation."""
    unit, held = units.c, reservations.c
    take = (
        update(units)
        .where(
            unit.id == bindparam("unit_id"),
            AVAILABLE > 0,
            ~exists().where(
                held.unit_id == unit.id, held.referral_id == bindparam("referral_id"), held.status == "held"
            ),
        )
        .values(reserved=unit.reserved + 1, version=unit.version + 1, updated_at=bindparam("now"))
        .returning(unit.provider_id)
    )
    return take, insert(reservations)


async def _request_hold(session: AsyncSession, request_id: str) -> Reservation | None:
    query = select(Reservation).where(Reservation.request_id == request_id, Reservation.status == "held")
    return await session.scalar(query)


async def _expire_hold(session: AsyncSession, reservation: Reservation, now: datetime) -> None:
    """A hold past its expiry that the sweep has not reached yet: expire it now, as the sweep would."""
    statement = (
        update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.status == "held")
        .values(status="expired", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(await session.execute(statement)) == 1:
        await _free_reserved_place(session, reservation.unit_id, now)


async def reserve_place(
    db: Database,
    now: datetime,
    unit_id: str,
    referral_id: str,
    client_key: str,
    expires_at: datetime,
    max_hold: timedelta,
    request_id: str | None = None,
) -> tuple[ReservationOut, bool]:
    """Hold one place for a referral. Returns the reservation and whether it is new.

    A hold belongs to the match request that made it: a request that holds a place already gets that
    hold back, on whichever unit it is, instead of a second place (matching may have stopped after
    holding it and before storing its decision). The common case is three statements: the look-up of
    the request's hold, the conditional UPDATE that takes the place and the INSERT of the hold. Only
    when the UPDATE changed nothing is the unit read, to say why."""
    expires_at = as_utc(expires_at)
    domain.check_hold_until(expires_at, now, max_hold)
    take, write = _reserve_statements()
    try:
        async with db.transaction() as session:
            if request_id is not None:
                held = await _request_hold(session, request_id)
                if held is not None and as_utc(held.expires_at) > now:
                    return reservation_out(held), False
                if held is not None:
                    await _expire_hold(session, held, now)
            provider_id = (
                await session.execute(take, {"unit_id": unit_id, "referral_id": referral_id, "now": now})
            ).scalar()
            if provider_id is None:
                existing = await _held_reservation(session, unit_id, referral_id)
                if existing is not None:
                    return reservation_out(existing), False
                if await session.get(Unit, unit_id) is None:
                    raise domain.UnitNotFound(unit_id)
                raise domain.NoFreePlace(unit_id)
            reservation = ReservationOut(
                id=new_id(),
                unit_id=unit_id,
                provider_id=provider_id,
                referral_id=referral_id,
                client_key=client_key,
                request_id=request_id,
                status="held",
                expires_at=expires_at,
                created_at=now,
            )
            await session.execute(write, [{**reservation.model_dump(), "updated_at": now}])
        return reservation, True
    except IntegrityError:
        # The same request or referral raced itself; the database kept one hold, answer with it.
        async with db.read() as session:
            existing = await _request_hold(session, request_id) if request_id is not None else None
            if existing is None:
                existing = await _held_reservation(session, unit_id, referral_id)
        if existing is None:
            raise
        return reservation_out(existing), False


async def get_reservation(db: Database, reservation_id: str) -> ReservationOut:
    async with db.read() as session:
        reservation = await session.get(Reservation, reservation_id)
    if reservation is None:
        raise domain.ReservationNotFound(reservation_id)
    return reservation_out(reservation)


async def _reload_reservation(session: AsyncSession, reservation_id: str) -> Reservation:
    query = select(Reservation).where(Reservation.id == reservation_id).execution_options(populate_existing=True)
    reservation = await session.scalar(query)
    if reservation is None:
        raise domain.ReservationNotFound(reservation_id)
    return reservation


async def _set_reservation_status(session: AsyncSession, reservation_id: str, status: str, now: datetime) -> bool:
    statement = (
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.status == "held")
        .values(status=status, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    return rowcount(await session.execute(statement)) == 1


async def _occupancy_of(session: AsyncSession, reservation_id: str) -> Occupancy:
    occupancy = await session.scalar(select(Occupancy).where(Occupancy.reservation_id == reservation_id))
    assert occupancy is not None, "a confirmed reservation always has its occupancy"
    return occupancy


async def confirm_reservation(db: Database, now: datetime, reservation_id: str, start_date: date) -> ConfirmationOut:
    async with db.transaction() as session:
        reservation = await _reload_reservation(session, reservation_id)
        if reservation.status != "confirmed":
            domain.check_confirmable(reservation_id, reservation.status, as_utc(reservation.expires_at), now)
            if await _set_reservation_status(session, reservation_id, "confirmed", now):
                await change_unit(
                    session,
                    reservation.unit_id,
                    now,
                    Unit.reserved > 0,
                    reserved=Unit.reserved - 1,
                    occupied=Unit.occupied + 1,
                )
                session.add(
                    Occupancy(
                        id=new_id(),
                        unit_id=reservation.unit_id,
                        provider_id=reservation.provider_id,
                        reservation_id=reservation_id,
                        referral_id=reservation.referral_id,
                        client_key=reservation.client_key,
                        start_date=start_date,
                        end_date=None,
                        created_at=now,
                        updated_at=now,
                    )
                )
                await session.flush()
            reservation = await _reload_reservation(session, reservation_id)
            if reservation.status != "confirmed":  # released or expired by someone else meanwhile
                raise domain.ReservationNotHeld(reservation_id, reservation.status, "confirmed")
        occupancy = await _occupancy_of(session, reservation_id)
        return ConfirmationOut(reservation=reservation_out(reservation), occupancy=occupancy_out(occupancy))


async def release_reservation(db: Database, now: datetime, reservation_id: str) -> ReservationOut:
    async with db.transaction() as session:
        reservation = await _reload_reservation(session, reservation_id)
        domain.check_releasable(reservation_id, reservation.status)
        if reservation.status == "held" and await _set_reservation_status(session, reservation_id, "released", now):
            await _free_reserved_place(session, reservation.unit_id, now)
        reservation = await _reload_reservation(session, reservation_id)
        domain.check_releasable(reservation_id, reservation.status)  # confirmed by someone else meanwhile
        return reservation_out(reservation)


async def release_holds(
    db: Database, now: datetime, referral_id: str, keep_reservation_id: str | None, request_ids: list[str] | None
) -> list[str]:
    """Release the places still held for a referral that nobody will take up: every hold, or (with
    `request_ids`) those the named match requests made, except the one kept. Returns the ids released.
    Idempotent: a hold released, expired or confirmed already is left as it is."""
    query = select(Reservation.id, Reservation.unit_id).where(
        Reservation.referral_id == referral_id, Reservation.status == "held"
    )
    if keep_reservation_id is not None:
        query = query.where(Reservation.id != keep_reservation_id)
    if request_ids is not None:
        query = query.where(Reservation.request_id.in_(request_ids))
    async with db.read() as session:
        held = (await session.execute(query.order_by(Reservation.created_at, Reservation.id))).all()
    released: list[str] = []
    # One transaction per hold, as the sweep does: no transaction holds the locks of several units.
    for reservation_id, unit_id in held:
        async with db.transaction() as session:
            if await _set_reservation_status(session, reservation_id, "released", now):
                await _free_reserved_place(session, unit_id, now)
                released.append(reservation_id)
    if released:
        log.info("holds_released", referral_id=referral_id, count=len(released))
    return released


async def _free_reserved_place(session: AsyncSession, unit_id: str, now: datetime) -> None:
    await change_unit(session, unit_id, now, Unit.reserved > 0, reserved=Unit.reserved - 1)
    await raise_free_places_epoch(session)


async def get_occupancy(db: Database, occupancy_id: str) -> OccupancyOut:
    async with db.read() as session:
        occupancy = await session.get(Occupancy, occupancy_id)
    if occupancy is None:
        raise domain.OccupancyNotFound(occupancy_id)
    return occupancy_out(occupancy)


async def end_occupancy(db: Database, now: datetime, occupancy_id: str, end_date: date) -> OccupancyOut:
    async with db.transaction() as session:
        occupancy = await session.get(Occupancy, occupancy_id)
        if occupancy is None:
            raise domain.OccupancyNotFound(occupancy_id)
        if occupancy.end_date is None:
            domain.check_end_date(occupancy.start_date, end_date)
            statement = (
                update(Occupancy)
                .where(Occupancy.id == occupancy_id, Occupancy.end_date.is_(None))
                .values(end_date=end_date, updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if rowcount(await session.execute(statement)) == 1:
                await change_unit(session, occupancy.unit_id, now, Unit.occupied > 0, occupied=Unit.occupied - 1)
                await raise_free_places_epoch(session)
            query = select(Occupancy).where(Occupancy.id == occupancy_id).execution_options(populate_existing=True)
            occupancy = await session.scalar(query)
            assert occupancy is not None
        return occupancy_out(occupancy)


# --- expiry -----------------------------------------------------------------------------------------


async def sweep_expired_reservations(app_or_db: FastAPI | Database, now: datetime) -> int:
    """Expire held reservations whose hold has passed and free their places. Safe to run on several
    replicas at once: a place is freed only by the sweep whose conditional UPDATE changed the row."""
    db: Database = app_or_db.state.database if isinstance(app_or_db, FastAPI) else app_or_db
    now = as_utc(now)
    async with db.read() as session:
        query = (
            select(Reservation.id, Reservation.unit_id)
            .where(Reservation.status == "held", Reservation.expires_at <= now)
            .order_by(Reservation.expires_at)
            .limit(SWEEP_BATCH)
        )
        due = (await session.execute(query)).all()
    expired = 0
    for reservation_id, unit_id in due:
        async with db.transaction() as session:
            statement = (
                update(Reservation)
                .where(Reservation.id == reservation_id, Reservation.status == "held", Reservation.expires_at <= now)
                .values(status="expired", updated_at=now)
                .execution_options(synchronize_session=False)
            )
            if rowcount(await session.execute(statement)) == 1:
                await _free_reserved_place(session, unit_id, now)
                expired += 1
    if expired:
        log.info("reservations_expired", count=expired)
    return expired


# --- matching support -------------------------------------------------------------------------------


_unit = units.c
# The specialisms are read as the JSON text they are stored as, and go into the answer as they are.
_SPECIALISMS = cast(_unit.specialisms, Text).label("specialisms")
_FULL_COLUMNS = (
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
    _unit.part_time,
    _unit.version,
    _unit.created_at,
    _unit.updated_at,
)
_COMPACT_COLUMNS = (
    _unit.id,
    _unit.provider_id,
    _unit.in_region,
    providers.c.role,
    _unit.municipality_code,
    _SPECIALISMS,
    _unit.part_time,
)


def _full_unit(row: Any) -> dict[str, Any]:
    """The unit shape of UnitOut, built straight from a row: a candidate list can hold thousands of
    units, and validating each through pydantic would cost more than the query."""
    (
        unit_id,
        provider_id,
        in_region,
        role,
        name,
        care_type,
        serves_jo,
        serves_lvb,
        serves_ggz,
        age_min,
        age_max,
        municipality_code,
        capacity,
        occupied,
        reserved,
        blocked,
        specialisms,
        part_time,
        version,
        created_at,
        updated_at,
        _reason,
    ) = row
    groups = [group for group, served in (("jo", serves_jo), ("lvb", serves_lvb), ("ggz", serves_ggz)) if served]
    return {
        "id": unit_id,
        "provider_id": provider_id,
        "provider_role": role,
        "name": name,
        "care_type": care_type,
        "target_groups": groups,
        "age_min": age_min,
        "age_max": age_max,
        "municipality_code": municipality_code,
        "in_region": bool(in_region),
        "capacity": capacity,
        "occupied": occupied,
        "reserved": reserved,
        "blocked": blocked,
        "available": capacity - occupied - reserved - blocked,
        "specialisms": orjson.Fragment(specialisms),
        "part_time": bool(part_time),
        "version": version,
        "created_at": as_utc(created_at),
        "updated_at": as_utc(updated_at),
    }


def _compact_unit(row: Any) -> tuple[Any, ...]:
    """A unit of the compact view: an array in the order of contracts.capacity.CompactUnit (a plain
    tuple, which orjson writes as it is)."""
    unit_id, provider_id, in_region, role, municipality_code, specialisms, part_time, _reason = row
    return unit_id, provider_id, role, municipality_code, bool(in_region), orjson.Fragment(specialisms), bool(part_time)


@dataclass(frozen=True)
class CandidateQuery:
    """Which units of a care type to list for a child (see schemas.Candidates)."""

    care_type: str
    target_group: str
    age: int
    region: CandidateRegion = "all"
    excluded_outside: ExcludedOutside = "list"
    view: CandidateView = "full"
    excluded_unfit: ExcludedUnfit = "list"
    # The match request asking: a place it holds already counts as free for it.
    request_id: str | None = None


# The reasons of a unit whose own rules do not admit the child, as opposed to one that is full.
UNFIT_REASONS = ("age_out_of_range", "target_group_not_served")


@dataclass(frozen=True)
class _CandidateStatements:
    rows: Any
    # Units counted instead of listed, as (in_region, reason, count); with region=inside also the
    # units outside that could take the child, as (false, NULL, count). None when nothing is counted.
    counts: Any | None


@functools.cache
def _candidate_statements(
    target_group: str, region: str, excluded_outside: str, excluded_unfit: str, view: str, held: bool = False
) -> _CandidateStatements:
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
    of_care_type = [_unit.care_type == care_type]
    if region != "all":
        of_care_type.append(_unit.in_region == (region == "inside"))
    rows = (
        select(*(_COMPACT_COLUMNS if view == "compact" else _FULL_COLUMNS), reason.label("reason"))
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
            _unit.in_region == false(),
            _unit.age_min <= age,
            _unit.age_max >= age,
            places_free(held_unit_id) > 0,
            _unit[f"serves_{target_group}"] == true(),
        )
        counts = fitting if counts is None else union_all(counts, fitting)
    return _CandidateStatements(rows, counts)


async def find_candidates(db: Database, query: CandidateQuery) -> dict[str, Any]:
    """The units of a care type that can take the child, and the first reason for each that cannot.

    All filtering is the database's: the reason is computed in SQL, and `region` narrows the rows to
    the units inside or outside the region, so that a decision without a ground to place outside
    never reads the rest of the country. What is counted instead of listed is counted in SQL, per
    reason: with region=inside the units outside that could take the child (what the region rule
    left out); with excluded_outside=count the units outside that cannot take the child; with
    excluded_unfit=count the units whose own ages or target groups do not admit the child.
    JSON-ready, in the shape of schemas.Candidates.
    """
    values: dict[str, Any] = {"care_type": query.care_type, "age": query.age}
    async with db.read() as session:
        held_unit_id = None
        if query.request_id is not None:
            held = await _request_hold(session, query.request_id)
            if held is not None:
                held_unit_id = values["held_unit_id"] = held.unit_id
        statements = _candidate_statements(
            query.target_group,
            query.region,
            query.excluded_outside,
            query.excluded_unfit,
            query.view,
            held_unit_id is not None,
        )
        rows: Sequence[Any] = (await session.execute(statements.rows, values)).all()
        counted = (await session.execute(statements.counts, values)).all() if statements.counts is not None else ()
    compact = query.view == "compact"
    shape = _compact_unit if compact else _full_unit
    units: list[Any] = []
    excluded: list[Any] = []
    for row in rows:
        why = row[-1]
        if why is None:
            units.append(shape(row))
        elif compact:
            # In the order of contracts.capacity.CompactExcluded.
            excluded.append((row[0], row[1], bool(row[2]), why))
        else:
            excluded.append({"unit_id": row[0], "provider_id": row[1], "in_region": bool(row[2]), "reason": why})
    found: dict[str, Any] = {"units": units, "excluded": excluded}
    if query.request_id is not None:
        found["held_unit_id"] = held_unit_id
    outside_fitting = 0
    outside_excluded: dict[str, int] = {}
    unfit_excluded: dict[str, int] = {}
    for in_region, why, count in counted:
        if why is None:
            outside_fitting = int(count)
        elif not in_region and query.excluded_outside == "count":
            outside_excluded[why] = int(count)
        else:
            unfit_excluded[why] = unfit_excluded.get(why, 0) + int(count)
    if query.region == "inside":
        found["outside_fitting"] = outside_fitting
    if query.excluded_outside == "count":
        found["outside_excluded"] = outside_excluded
    if query.excluded_unfit == "count":
        found["unfit_excluded"] = unfit_excluded
    return found


async def current_free_places_epoch(db: Database) -> int:
    async with db.read() as session:
        return await free_places_epoch(session)
