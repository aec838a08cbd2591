"""Use cases of occupancies: read one, end a stay (which frees its place)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update

from capacity import domain
from capacity.db import Occupancy, Unit, change_unit, next_change, raise_free_places_epoch
from capacity.schemas import OccupancyOut
from common.clock import Clock
from common.db import Database


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
            # The row as the UPDATE left it comes back with it (RETURNING, refreshing the session's object).
            statement = (
                update(Occupancy)
                .where(Occupancy.id == occupancy_id, Occupancy.end_date.is_(None))
                .values(end_date=end_date, updated_at=now)
                .returning(Occupancy)
                .execution_options(synchronize_session=False, populate_existing=True)
            )
            ended = (await session.scalars(statement)).one_or_none()
            if ended is not None:
                await change_unit(session, occupancy.unit_id, now, Unit.occupied > 0, occupied=Unit.occupied - 1)
                await raise_free_places_epoch(session)
                occupancy = ended
            else:  # ended by someone else meanwhile
                query = select(Occupancy).where(Occupancy.id == occupancy_id).execution_options(populate_existing=True)
                occupancy = await session.scalar(query)
                assert occupancy is not None
        return occupancy_out(occupancy)
