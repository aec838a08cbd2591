"""Use cases of reservations: hold a place, confirm or release the hold, release a referral's holds,
and the sweep that expires the holds nobody took up.

A hold or a confirmation runs in one transaction; releasing a referral's holds and the sweep take
one transaction per hold, so that no transaction holds the locks of several units.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from fastapi import FastAPI
from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from capacity import domain
from capacity.candidates.feed import changes_after
from capacity.db import (
    Occupancy,
    Reservation,
    Unit,
    new_id,
    next_change,
    reservations,
    rowcount,
    run_unit_change,
)
from capacity.occupancy.service import occupancy_out
from capacity.reservations.store import (
    TAKE_UP_HELD_PLACE,
    expire_hold,
    free_reserved_place,
    held_reservation,
    move_hold,
    occupancy_of,
    reload_reservation,
    request_hold,
    reserve_statements,
    set_reservation_status,
)
from capacity.schemas import ConfirmationOut, ReservationCreate, ReservationOut
from common.clock import Clock, as_utc
from common.db import Database
from common.logging import get_logger

log = get_logger("regiepunt.capacity")

SWEEP_BATCH = 500


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


async def reserve_place(
    db: Database,
    clock: Clock,
    unit_id: str,
    referral_id: str,
    client_key: str,
    expires_at: datetime,
    max_hold: timedelta,
    request_id: str | None = None,
    child: tuple[int | None, list[str]] = (None, []),
) -> tuple[ReservationOut, bool]:
    """Hold one place for a referral. Returns the reservation and whether it is new.

    A hold belongs to the match request that made it: a request that holds a place already gets that
    hold back, on whichever unit it is, instead of a second place (matching may have stopped after
    holding it and before storing its decision). The common case is three statements: the look-up of
    the request's hold, the conditional UPDATE that takes the place and the INSERT of the hold. Only
    when the UPDATE changed nothing is the unit read, to say why. `child` is the child's age and flags,
    kept with the hold for the group profile of the stay it may become."""
    now = clock.now()
    expires_at = as_utc(expires_at)
    domain.check_hold_until(expires_at, now, max_hold)
    take, write = reserve_statements()
    try:
        async with db.transaction() as session:
            if request_id is not None:
                held = await request_hold(session, request_id)
                if held is not None and as_utc(held.expires_at) > now:
                    return reservation_out(held), False
                if held is not None:
                    await expire_hold(session, held, now)
            values = {"unit_id": unit_id, "referral_id": referral_id, "now": now}
            provider_id = (await session.execute(take, {**values, "change_seq": await next_change(session)})).scalar()
            if provider_id is None:
                existing = await held_reservation(session, unit_id, referral_id)
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
            age, flags = child
            hold = {**reservation.model_dump(), "updated_at": now, "age": age, "flags": sorted(set(flags))}
            await session.execute(write, [hold])
        return reservation, True
    except IntegrityError:
        # The same request or referral raced itself; the database kept one hold, answer with it.
        async with db.read() as session:
            existing = await request_hold(session, request_id) if request_id is not None else None
            if existing is None:
                existing = await held_reservation(session, unit_id, referral_id)
        if existing is None:
            raise
        return reservation_out(existing), False


async def hold_place(
    db: Database, clock: Clock, unit_id: str, hold: ReservationCreate, max_hold: timedelta
) -> tuple[ReservationOut, bool]:
    """`reserve_place` for a hold as the API takes it (POST /v1/units/{id}/reservations)."""
    return await reserve_place(
        db,
        clock,
        unit_id,
        hold.referral_id,
        hold.client_key,
        hold.expires_at,
        max_hold,
        request_id=hold.request_id,
        child=(hold.age, list(hold.flags)),
    )


@dataclass(frozen=True)
class ToldHold:
    """A hold as matching asks for it: the hold or why it was refused, and the changes after a number."""

    reservation: ReservationOut | None
    created: bool
    refused: domain.NoFreePlace | domain.UnitNotFound | None
    changes: dict[str, Any]


async def reserve_place_telling_changes(
    db: Database,
    clock: Clock,
    unit_id: str,
    hold: ReservationCreate,
    max_hold: timedelta,
    after: int,
    limit: int,
    stale_before: datetime,
) -> ToldHold:
    """Hold a place (`reserve_place`), and tell the changes numbered after `after`, the hold's own
    among them, as the change feed tells them (candidates.feed): matching's read model learns in the
    same call what changed since it last looked, also when the hold is refused.

    The changes are read once the hold has committed or been refused, so that they hold every change
    numbered before the hold, and the hold's; a refused hold numbers nothing."""
    reservation: ReservationOut | None = None
    created = False
    refused: domain.NoFreePlace | domain.UnitNotFound | None = None
    try:
        reservation, created = await hold_place(db, clock, unit_id, hold, max_hold)
    except (domain.NoFreePlace, domain.UnitNotFound) as exc:
        refused = exc
    changes = await changes_after(db, after, limit, clock.now().date(), stale_before)
    return ToldHold(reservation, created, refused, changes)


async def get_reservation(db: Database, reservation_id: str) -> ReservationOut:
    async with db.read() as session:
        reservation = await session.get(Reservation, reservation_id)
    if reservation is None:
        raise domain.ReservationNotFound(reservation_id)
    return reservation_out(reservation)


async def confirm_reservation(db: Database, clock: Clock, reservation_id: str, start_date: date) -> ConfirmationOut:
    now = clock.now()
    async with db.transaction() as session:
        reservation = await reload_reservation(session, reservation_id)
        if reservation.status != "confirmed":
            domain.check_confirmable(reservation_id, reservation.status, as_utc(reservation.expires_at), now)
            confirmed = await move_hold(session, reservation_id, "confirmed", now)
            if confirmed is not None:
                await run_unit_change(session, TAKE_UP_HELD_PLACE, reservation.unit_id, now)
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
                        # The child joins the unit's group as it was told when the place was held.
                        age=reservation.age,
                        age_on=as_utc(reservation.created_at).date() if reservation.age is not None else None,
                        flags=reservation.flags,
                    )
                )
                await session.flush()
                reservation = confirmed
            else:
                reservation = await reload_reservation(session, reservation_id)
                if reservation.status != "confirmed":  # released or expired by someone else meanwhile
                    raise domain.ReservationNotHeld(reservation_id, reservation.status, "confirmed")
        occupancy, contracted = await occupancy_of(session, reservation_id)
        return ConfirmationOut(
            reservation=reservation_out(reservation), occupancy=occupancy_out(occupancy), provider_contracted=contracted
        )


async def release_reservation(db: Database, clock: Clock, reservation_id: str) -> ReservationOut:
    now = clock.now()
    async with db.transaction() as session:
        reservation = await reload_reservation(session, reservation_id)
        domain.check_releasable(reservation_id, reservation.status)
        if reservation.status == "held" and await set_reservation_status(session, reservation_id, "released", now):
            await free_reserved_place(session, reservation.unit_id, now)
        reservation = await reload_reservation(session, reservation_id)
        domain.check_releasable(reservation_id, reservation.status)  # confirmed by someone else meanwhile
        return reservation_out(reservation)


def _holds_to_release(keeping_one: bool, of_requests: bool) -> Any:
    hold = reservations.c
    query = select(hold.id, hold.unit_id).where(hold.referral_id == bindparam("referral_id"), hold.status == "held")
    if keeping_one:
        query = query.where(hold.id != bindparam("keep_reservation_id"))
    if of_requests:
        query = query.where(hold.request_id.in_(bindparam("request_ids", expanding=True)))
    return query.order_by(hold.created_at, hold.id)


# A referral's holds to release, built once for each shape of the request: with or without a hold it
# keeps, of every match request or of the named ones.
_HOLDS_TO_RELEASE = {
    (keeping, named): _holds_to_release(keeping, named) for keeping in (False, True) for named in (False, True)
}


async def release_holds(
    db: Database, clock: Clock, referral_id: str, keep_reservation_id: str | None, request_ids: list[str] | None
) -> list[str]:
    """Release the places still held for a referral that nobody will take up: every hold, or (with
    `request_ids`) those the named match requests made, except the one kept. Returns the ids released.
    Idempotent: a hold released, expired or confirmed already is left as it is."""
    now = clock.now()
    query = _HOLDS_TO_RELEASE[keep_reservation_id is not None, request_ids is not None]
    values = {"referral_id": referral_id, "keep_reservation_id": keep_reservation_id, "request_ids": request_ids}
    async with db.read() as session:
        held = (await session.execute(query, values)).all()
    released: list[str] = []
    # One transaction per hold, as the sweep does: no transaction holds the locks of several units.
    for reservation_id, unit_id in held:
        async with db.transaction() as session:
            if await set_reservation_status(session, reservation_id, "released", now):
                await free_reserved_place(session, unit_id, now)
                released.append(reservation_id)
    if released:
        log.info("holds_released", referral_id=referral_id, count=len(released))
    return released


_DUE_HOLDS = (
    select(reservations.c.id, reservations.c.unit_id)
    .where(reservations.c.status == "held", reservations.c.expires_at <= bindparam("now"))
    .order_by(reservations.c.expires_at)
    .limit(SWEEP_BATCH)
)
_EXPIRE_DUE = (
    update(reservations)
    .where(
        reservations.c.id == bindparam("reservation_id"),
        reservations.c.status == "held",
        reservations.c.expires_at <= bindparam("now"),
    )
    .values(status="expired", updated_at=bindparam("now"))
)


async def sweep_expired_reservations(app_or_db: FastAPI | Database, clock: Clock) -> int:
    """Expire held reservations whose hold has passed and free their places. Safe to run on several
    replicas at once: a place is freed only by the sweep whose conditional UPDATE changed the row."""
    now = as_utc(clock.now())
    db: Database = app_or_db.state.database if isinstance(app_or_db, FastAPI) else app_or_db
    async with db.read() as session:
        due = (await session.execute(_DUE_HOLDS, {"now": now})).all()
    expired = 0
    for reservation_id, unit_id in due:
        async with db.transaction() as session:
            await next_change(session)
            if rowcount(await session.execute(_EXPIRE_DUE, {"reservation_id": reservation_id, "now": now})) == 1:
                await free_reserved_place(session, unit_id, now)
                expired += 1
    if expired:
        log.info("reservations_expired", count=expired)
    return expired
