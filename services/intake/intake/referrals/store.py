"""A referral's rows: loading one (locked with the child's other stays when a stay changes), the
providers that may see it, and the child's recent stays that continuity and onward placement read."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import insert_or_skip
from intake import domain
from intake.context import Row
from intake.db import referral_providers, referrals
from intake.indicators import stays

# The statements every submission runs, built once with their values bound at execution: building an
# INSERT or UPDATE of a referral's thirty columns costs more than the database takes to run it. An
# UPDATE sets the columns named in the values it is given.
_LOAD = sa.select(referrals).where(referrals.c.id == sa.bindparam("referral_id"))

_LOAD_LOCKED = _LOAD.with_for_update()

_CLIENT_KEY = sa.select(referrals.c.client_key).where(referrals.c.id == sa.bindparam("referral_id"))

# The child's other stays, current or ended within the continuity window (a placed referral has its
# provider and no end date yet).
_RECENT_STAYS = sa.select(referrals).where(
    referrals.c.client_key == sa.bindparam("client_key"),
    referrals.c.id != sa.bindparam("referral_id"),
    referrals.c.placement_provider_id.is_not(None),
    sa.or_(referrals.c.end_date.is_(None), referrals.c.end_date >= sa.bindparam("since")),
)


async def load(session: AsyncSession, referral_id: str, *, lock: bool = False) -> Row | None:
    query = _LOAD_LOCKED if lock else _LOAD
    return (await session.execute(query, {"referral_id": referral_id})).mappings().first()


async def load_for_stay_change(session: AsyncSession, referral_id: str) -> Row | None:
    """The referral, locked with every other referral of the child: a stay that starts or ends changes
    what the indicators derive from the child's other stays (intake.indicators.stays)."""
    while True:
        client_key = await session.scalar(_CLIENT_KEY, {"referral_id": referral_id})
        if client_key is None:
            return None
        await stays.lock_child(session, client_key)  # this referral among them
        row = await load(session, referral_id)
        if row is None or row["client_key"] == client_key:
            return row
        # The child was re-keyed between the two reads (client_keys): lock it under its new key.


async def remember_provider(session: AsyncSession, referral_id: str, provider_id: str, now: datetime) -> None:
    """The provider may see the referral from now on; kept once, however often it is proposed."""
    await session.execute(
        insert_or_skip(session, referral_providers, "referral_id", "provider_id"),
        {"referral_id": referral_id, "provider_id": provider_id, "created_at": now},
    )


async def recent_stays(session: AsyncSession, client_key: str, referral_id: str, today: date) -> list[Row]:
    """The child's other stays that are current or ended within the continuity window."""
    since = today - timedelta(days=domain.CONTINUITY_DAYS)
    found = await session.execute(_RECENT_STAYS, {"client_key": client_key, "referral_id": referral_id, "since": since})
    return list(found.mappings().all())


def providers_of(recent: list[Row]) -> list[str]:
    """Continuity: the providers that had this child in a current stay or one ended within a year."""
    return sorted({str(stay["placement_provider_id"]) for stay in recent})


async def known_provider_ids(session: AsyncSession, client_key: str, referral_id: str, today: date) -> list[str]:
    return providers_of(await recent_stays(session, client_key, referral_id, today))


NO_PROPOSAL: dict[str, Any] = {
    "proposal_unit_id": None,
    "proposal_provider_id": None,
    "proposal_in_region": None,
    "proposal_expires_at": None,
    "proposal_reasons": None,
    "proposal_reservation_id": None,
    "proposal_decision_id": None,
    "proposal_distance_home_km": None,
    "proposal_distance_school_km": None,
}
