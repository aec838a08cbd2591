"""The statements of holds: find a hold, take a place, move a hold on and free its place.

Every change of a place count is a single conditional UPDATE whose WHERE clause carries the rule
(a free place exists, the reservation is still held), so that concurrent requests and several
replicas can never both win; the row count decides.
"""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, exists, false, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.db import (
    AVAILABLE,
    Occupancy,
    Provider,
    Reservation,
    next_change,
    raise_free_places_epoch,
    reservations,
    rowcount,
    run_unit_change,
    unit_change,
    units,
)

# The statements of every hold, confirmation and release, built once with their values bound.
# A hold given back or expired frees its place on the unit; a hold confirmed takes the place up.
FREE_HELD_PLACE = unit_change(units.c.reserved > 0, reserved=units.c.reserved - 1)
TAKE_UP_HELD_PLACE = unit_change(units.c.reserved > 0, reserved=units.c.reserved - 1, occupied=units.c.occupied + 1)
_HELD_ON_UNIT = select(Reservation).where(
    Reservation.unit_id == bindparam("unit_id"),
    Reservation.referral_id == bindparam("referral_id"),
    Reservation.status == "held",
)
_HELD_BY_REQUEST = select(Reservation).where(
    Reservation.request_id == bindparam("request_id"), Reservation.status == "held"
)
_RELOAD = (
    select(Reservation).where(Reservation.id == bindparam("reservation_id")).execution_options(populate_existing=True)
)
# Moving a hold on: only the writer whose UPDATE finds it still held wins.
_MOVE = (
    update(reservations)
    .where(reservations.c.id == bindparam("reservation_id"), reservations.c.status == "held")
    .values(status=bindparam("new_status"), updated_at=bindparam("now"))
)
# The same, answering the hold as the UPDATE left it and refreshing the session's object with it.
_MOVE_RETURNING = (
    update(Reservation)
    .where(Reservation.id == bindparam("reservation_id"), Reservation.status == "held")
    .values(status=bindparam("new_status"), updated_at=bindparam("now"))
    .returning(Reservation)
    .execution_options(synchronize_session=False, populate_existing=True)
)
_EXPIRE = _MOVE.values(status="expired")
_STAY_OF_HOLD = (
    select(Occupancy, Provider.contracted)
    .join(Provider, Provider.id == Occupancy.provider_id)
    .where(Occupancy.reservation_id == bindparam("reservation_id"))
)


async def held_reservation(session: AsyncSession, unit_id: str, referral_id: str) -> Reservation | None:
    return await session.scalar(_HELD_ON_UNIT, {"unit_id": unit_id, "referral_id": referral_id})


async def request_hold(session: AsyncSession, request_id: str) -> Reservation | None:
    """The place a match request holds, on whichever unit it is."""
    return await session.scalar(_HELD_BY_REQUEST, {"request_id": request_id})


@functools.cache
def reserve_statements() -> tuple[Any, Any]:
    """Take a place and write the hold, built once. The UPDATE carries both rules in its WHERE: a
    free place, and no hold of this referral on this unit yet (the repeated request); the row it
    returns is the unit's provider for the reservation. `change_seq` is bound from db.next_change."""
    unit, held = units.c, reservations.c
    take = (
        update(units)
        .where(
            unit.id == bindparam("unit_id"),
            AVAILABLE > 0,
            # A closed unit takes no new child: to the asking request it has no free place.
            unit.closed == false(),
            ~exists().where(
                held.unit_id == unit.id, held.referral_id == bindparam("referral_id"), held.status == "held"
            ),
        )
        .values(
            reserved=unit.reserved + 1,
            version=unit.version + 1,
            updated_at=bindparam("now"),
            change_seq=bindparam("change_seq"),
        )
        .returning(unit.provider_id)
    )
    return take, insert(reservations)


async def expire_hold(session: AsyncSession, reservation: Reservation, now: datetime) -> None:
    """A hold past its expiry that the sweep has not reached yet: expire it now, as the sweep would."""
    await next_change(session)
    if rowcount(await session.execute(_EXPIRE, {"reservation_id": reservation.id, "now": now})) == 1:
        await free_reserved_place(session, reservation.unit_id, now)


async def reload_reservation(session: AsyncSession, reservation_id: str) -> Reservation:
    reservation = await session.scalar(_RELOAD, {"reservation_id": reservation_id})
    if reservation is None:
        raise domain.ReservationNotFound(reservation_id)
    return reservation


async def set_reservation_status(session: AsyncSession, reservation_id: str, status: str, now: datetime) -> bool:
    """Move a hold on; True only for the writer whose UPDATE found it still held. Its unit changes
    with it: the change is numbered before the hold is locked (db.next_change)."""
    await next_change(session)
    values = {"reservation_id": reservation_id, "new_status": status, "now": now}
    return rowcount(await session.execute(_MOVE, values)) == 1


async def move_hold(session: AsyncSession, reservation_id: str, status: str, now: datetime) -> Reservation | None:
    """As set_reservation_status, answering the hold as the UPDATE left it (RETURNING; the session's
    object is refreshed with it), None when it was no longer held."""
    await next_change(session)
    values = {"reservation_id": reservation_id, "new_status": status, "now": now}
    return (await session.scalars(_MOVE_RETURNING, values)).one_or_none()


async def occupancy_of(session: AsyncSession, reservation_id: str) -> tuple[Occupancy, bool]:
    """A confirmed hold's stay, and whether the region contracts the stay's provider now."""
    found = (await session.execute(_STAY_OF_HOLD, {"reservation_id": reservation_id})).one_or_none()
    assert found is not None, "a confirmed reservation always has its occupancy"
    return found[0], found[1]


async def free_reserved_place(session: AsyncSession, unit_id: str, now: datetime) -> None:
    await run_unit_change(session, FREE_HELD_PLACE, unit_id, now)
    await raise_free_places_epoch(session)
