"""A joint hold: several places held at once for a group of siblings, all or none.

One transaction takes every place with the same conditional UPDATE a single hold uses; when one of
them finds no free place the transaction is rolled back, so nothing is held. The places are taken in
the order of their unit ids, so that two groups racing for the same units lock them in the same order
and one waits for the other instead of deadlocking (PostgreSQL); SQLite runs writers one at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from capacity import domain
from capacity.db import Reservation, Unit, new_id, next_change
from capacity.reservations.service import reservation_out
from capacity.reservations.store import expire_hold, held_reservation, reserve_statements
from capacity.schemas import JointHold, ReservationOut
from common.clock import Clock, as_utc
from common.db import Database
from common.errors import InvalidInput
from common.logging import get_logger

log = get_logger("regiepunt.capacity")


async def reserve_places_together(
    db: Database, clock: Clock, holds: list[JointHold], expires_at: datetime, max_hold: timedelta
) -> tuple[list[ReservationOut], bool]:
    """Hold every place asked for, or none (NoFreePlace names the first unit without room). Returns the
    reservations in the order asked, and whether any is new.

    Each place belongs to its match request, as a single hold does: a request that holds its place on
    the unit asked for already keeps it (a joint request sent again gets its holds back); one that holds
    a place elsewhere gives it up first, since the group is now asked for elsewhere."""
    now = clock.now()
    expires_at = as_utc(expires_at)
    domain.check_hold_until(expires_at, now, max_hold)
    if len({hold.request_id for hold in holds}) != len(holds):
        raise InvalidInput("holds", "each place must be held for a request of its own")
    take, write = reserve_statements()
    made: dict[int, ReservationOut] = {}
    created = False
    async with db.transaction() as session:
        earlier = (
            await session.scalars(
                select(Reservation).where(
                    Reservation.request_id.in_([hold.request_id for hold in holds]), Reservation.status == "held"
                )
            )
        ).all()
        by_request = {reservation.request_id: reservation for reservation in earlier}
        for index, hold in enumerate(holds):
            prior = by_request.get(hold.request_id)
            if prior is None:
                continue
            if prior.unit_id == hold.unit_id and as_utc(prior.expires_at) > now:
                made[index] = reservation_out(prior)
            else:
                await expire_hold(session, prior, now)
        for index, hold in sorted(enumerate(holds), key=lambda item: (item[1].unit_id, item[1].referral_id)):
            if index in made:
                continue
            values = {
                "unit_id": hold.unit_id,
                "referral_id": hold.referral_id,
                "now": now,
                "change_seq": await next_change(session),
            }
            provider_id = (await session.execute(take, values)).scalar()
            if provider_id is None:
                adopted = await _adopt_referral_hold(session, hold, expires_at, now)
                if adopted is not None:
                    made[index] = adopted
                    continue
                if await session.get(Unit, hold.unit_id) is None:
                    raise domain.UnitNotFound(hold.unit_id)
                # Rolls the transaction back: the places taken for the other children are free again.
                raise domain.NoFreePlace(hold.unit_id)
            reservation = ReservationOut(
                id=new_id(),
                unit_id=hold.unit_id,
                provider_id=provider_id,
                referral_id=hold.referral_id,
                client_key=hold.client_key,
                request_id=hold.request_id,
                status="held",
                expires_at=expires_at,
                created_at=now,
            )
            # The child as its group will see it, kept with the stay, as a single hold keeps it.
            child = {"age": hold.age, "flags": sorted(set(hold.flags))}
            await session.execute(write, [{**reservation.model_dump(), "updated_at": now, **child}])
            made[index] = reservation
            created = True
    if created:
        log.info("places_held_together", count=len(holds))
    return [made[index] for index in range(len(holds))], created


async def _adopt_referral_hold(
    session: AsyncSession, hold: JointHold, expires_at: datetime, now: datetime
) -> ReservationOut | None:
    """A hold of the same referral on the unit, made by an earlier request nobody released yet: it
    becomes this request's, instead of a second place for the child."""
    existing = await held_reservation(session, hold.unit_id, hold.referral_id)
    if existing is None:
        return None
    await session.execute(
        update(Reservation)
        .where(Reservation.id == existing.id, Reservation.status == "held")
        .values(request_id=hold.request_id, expires_at=expires_at, updated_at=now, **_child_of(hold))
        .execution_options(synchronize_session=False)
    )
    existing.request_id = hold.request_id
    existing.expires_at = expires_at
    return reservation_out(existing)


def _child_of(hold: JointHold) -> dict[str, object]:
    """The child's age and flags for an adopted hold, when this request says them."""
    return {} if hold.age is None else {"age": hold.age, "flags": sorted(set(hold.flags))}
