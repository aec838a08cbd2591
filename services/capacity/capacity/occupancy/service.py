"""Use cases of occupancies: read one, end a stay (which frees its place)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, select, update

from capacity import domain
from capacity.db import Occupancy, next_change, raise_free_places_epoch, run_unit_change, unit_change, units
from capacity.schemas import OccupancyOut
from common.clock import Clock
from common.db import Database

# Ending a stay, built once: only the writer whose UPDATE finds it still running wins, and the row as
# the UPDATE left it comes back with it (RETURNING, refreshing the session's object).
_END = (
    update(Occupancy)
    .where(Occupancy.id == bindparam("occupancy_id"), Occupancy.end_date.is_(None))
    .values(end_date=bindparam("new_end_date"), updated_at=bindparam("now"))
    .returning(Occupancy)
    .execution_options(synchronize_session=False, populate_existing=True)
)
# A stay ended frees its place on the unit.
_FREE_OCCUPIED_PLACE = unit_change(units.c.occupied > 0, occupied=units.c.occupied - 1)
_RELOAD = select(Occupancy).where(Occupancy.id == bindparam("occupancy_id")).execution_options(populate_existing=True)


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


async def get_occupancy(db: Database, occupancy_id: str) -> OccupancyOut:
    async with db.read() as session:
        occupancy = await session.get(Occupancy, occupancy_id)
    if occupancy is None:
        raise domain.OccupancyNotFound(occupancy_id)
    return occupancy_out(occupancy)


async def end_occupancy(db: Database, clock: Clock, occupancy_id: str, end_date: date) -> OccupancyOut:
    now = clock.now()
    async with db.transaction() as session:
        occupancy = await session.get(Occupancy, occupancy_id)
        if occupancy is None:
            raise domain.OccupancyNotFound(occupancy_id)
        if occupancy.end_date is None:
            domain.check_end_date(occupancy.start_date, end_date)
            await next_change(session)
            values = {"occupancy_id": occupancy_id, "new_end_date": end_date, "now": now}
            ended = (await session.scalars(_END, values)).one_or_none()
            if ended is not None:
                await run_unit_change(session, _FREE_OCCUPIED_PLACE, occupancy.unit_id, now)
                await raise_free_places_epoch(session)
                occupancy = ended
            else:  # ended by someone else meanwhile
                occupancy = await session.scalar(_RELOAD, {"occupancy_id": occupancy_id})
                assert occupancy is not None
        return occupancy_out(occupancy)
