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
    Unit,
    change_unit,
    next_change,
    raise_free_places_epoch,
    reservations,
    rowcount,
    units,
)


async def held_reservation(session: AsyncSession, unit_id: str, referral_id: str) -> Reservation | None:
    query = select(Reservation).where(
        Reservation.unit_id == unit_id, Reservation.referral_id == referral_id, Reservation.status == "held"
    )
    return await session.scalar(query)


async def request_hold(session: AsyncSession, request_id: str) -> Reservation | None:
    """The place a match request holds, on whichever unit it is."""
    query = select(Reservation).where(Reservation.request_id == request_id, Reservation.status == "held")
    return await session.scalar(query)


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
    statement = (
        update(Reservation)
        .where(Reservation.id == reservation.id, Reservation.status == "held")
        .values(status="expired", updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(await session.execute(statement)) == 1:
        await free_reserved_place(session, reservation.unit_id, now)


async def reload_reservation(session: AsyncSession, reservation_id: str) -> Reservation:
    query = select(Reservation).where(Reservation.id == reservation_id).execution_options(populate_existing=True)
    reservation = await session.scalar(query)
    if reservation is None:
        raise domain.ReservationNotFound(reservation_id)
    return reservation


async def set_reservation_status(session: AsyncSession, reservation_id: str, status: str, now: datetime) -> bool:
    """Move a hold on; True only for the writer whose UPDATE found it still held. Its unit changes
    with it: the change is numbered before the hold is locked (db.next_change)."""
    await next_change(session)
    statement = _moving_hold(reservation_id, status, now).execution_options(synchronize_session=False)
    return rowcount(await session.execute(statement)) == 1


async def move_hold(session: AsyncSession, reservation_id: str, status: str, now: datetime) -> Reservation | None:
    """As set_reservation_status, answering the hold as the UPDATE left it (RETURNING; the session's
    object is refreshed with it), None when it was no longer held."""
    await next_change(session)
    statement = (
        _moving_hold(reservation_id, status, now)
        .returning(Reservation)
        .execution_options(synchronize_session=False, populate_existing=True)
    )
    return (await session.scalars(statement)).one_or_none()


def _moving_hold(reservation_id: str, status: str, now: datetime) -> Any:
    return (
        update(Reservation)
        .where(Reservation.id == reservation_id, Reservation.status == "held")
        .values(status=status, updated_at=now)
    )


async def occupancy_of(session: AsyncSession, reservation_id: str) -> tuple[Occupancy, bool]:
    """A confirmed hold's stay, and whether the region contracts the stay's provider now."""
    query = (
        select(Occupancy, Provider.contracted)
        .join(Provider, Provider.id == Occupancy.provider_id)
        .where(Occupancy.reservation_id == reservation_id)
    )
    found = (await session.execute(query)).one_or_none()
    assert found is not None, "a confirmed reservation always has its occupancy"
    return found[0], found[1]


async def free_reserved_place(session: AsyncSession, unit_id: str, now: datetime) -> None:
    await change_unit(session, unit_id, now, Unit.reserved > 0, reserved=Unit.reserved - 1)
    await raise_free_places_epoch(session)
