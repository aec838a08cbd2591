"""The change feed matching's read model follows: the units and providers changed after a number,
each in its current state as a candidate list reads it (docs/internal-api.md, the change feed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Text, bindparam, cast, or_, select

from capacity.db import latest_change, occupancies, production_agreements, providers, reservations, units
from common.clock import as_utc
from common.db import Database

_unit, _stay, _hold, _agreement = units.c, occupancies.c, reservations.c, production_agreements.c

# In the order matching.replica reads a unit's array.
_UNITS = select(
    _unit.id,
    _unit.change_seq,
    _unit.provider_id,
    providers.c.role,
    _unit.care_type,
    _unit.serves_jo,
    _unit.serves_lvb,
    _unit.serves_ggz,
    _unit.age_min,
    _unit.age_max,
    _unit.municipality_code,
    _unit.in_region,
    _unit.capacity,
    _unit.occupied,
    _unit.reserved,
    _unit.blocked,
    cast(_unit.specialisms, Text),
    _unit.part_time,
    _unit.latitude,
    _unit.longitude,
    _unit.availability_confirmed_at,
    _unit.closed,
    _unit.version,
).select_from(units.join(providers, providers.c.id == _unit.provider_id))


# No upper bound but the page's: a row changed again meanwhile is sent in its newer state, never left
# out for having moved past the number the answer started from.
_AFTER = _unit.change_seq > bindparam("after")
_UNITS_PAGE = _UNITS.where(_AFTER).order_by(_unit.change_seq).limit(bindparam("limit"))
_UNITS_UPTO = _UNITS.where(_AFTER, _unit.change_seq <= bindparam("upto")).order_by(_unit.change_seq)
_OF_UNITS: Any = bindparam("unit_ids", expanding=True)
# The stays a unit's group profile (those that run) and its provider's production use (those that
# touch this year) read.
_STAYS = select(
    _stay.unit_id, _stay.start_date, _stay.end_date, _stay.age, _stay.age_on, cast(_stay.flags, Text)
).where(_stay.unit_id.in_(_OF_UNITS), or_(_stay.end_date.is_(None), _stay.end_date > bindparam("first")))
# The match requests that hold a place on a unit: that place counts as free for its own request.
_HOLDS = select(_hold.unit_id, _hold.request_id).where(
    _hold.unit_id.in_(_OF_UNITS), _hold.status == "held", _hold.request_id.is_not(None)
)
_PROVIDERS = (
    select(providers.c.id, providers.c.change_seq, _agreement.year, _agreement.care_type, _agreement.care_days)
    .select_from(providers.outerjoin(production_agreements, _agreement.provider_id == providers.c.id))
    .where(providers.c.change_seq > bindparam("after"))
)
# Bound lists stay well under the databases' limits on parameters.
_CHUNK = 1000


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


async def changes_after(db: Database, after: int, limit: int, today: date, stale_before: datetime) -> dict[str, Any]:
    """The units and providers whose last change is numbered after `after`, at most about `limit`
    units (all units of one change come together), oldest change first; `upto` is the number to ask
    after next, `more` whether there is more to read at once, `generation` the counter's (another one
    than before: read everything again). JSON-ready."""
    async with db.read() as session:
        # The counter first: a change numbered up to it has committed, and so has every earlier one,
        # since the counter's lock orders the writers (db.next_change). The units read next see all
        # of those, and any later change they see had every earlier one committed before it.
        latest, generation = await latest_change(session)
        values: dict[str, Any] = {"after": after, "limit": limit}
        rows = (await session.execute(_UNITS_PAGE, values)).all()
        more = len(rows) == limit
        if more:
            # The page may end inside a change that wrote several units: read that change whole.
            values["upto"] = rows[-1][1]
            rows = (await session.execute(_UNITS_UPTO, values)).all()
            upto = values["upto"]
        else:
            upto = max(latest, rows[-1][1]) if rows else latest
        unit_ids = [row[0] for row in rows]
        stays: dict[str, list[Any]] = {}
        held: dict[str, list[str]] = {}
        first = date(today.year, 1, 1)
        for start in range(0, len(unit_ids), _CHUNK):
            chunk = unit_ids[start : start + _CHUNK]
            for unit_id, begin, end, age, age_on, flags in await session.execute(
                _STAYS, {"unit_ids": chunk, "first": first}
            ):
                stays.setdefault(unit_id, []).append(
                    (_day(begin), _day(end), age, _day(age_on), orjson.Fragment(flags) if flags else None)
                )
            for unit_id, request_id in await session.execute(_HOLDS, {"unit_ids": chunk}):
                held.setdefault(unit_id, []).append(request_id)
        agreements: dict[str, tuple[int, list[Any]]] = {}
        for provider_id, seq, year, care_type, care_days in await session.execute(_PROVIDERS, values):
            found = agreements.setdefault(provider_id, (seq, []))[1]
            if year is not None:
                found.append((year, care_type, care_days))
    return {
        "generation": generation,
        "upto": upto,
        "latest": latest,
        "more": more,
        "today": today.isoformat(),
        "stale_before": stale_before.isoformat(),
        "units": [
            (
                *row[:16],
                orjson.Fragment(row[16]),
                *row[17:20],
                as_utc(row[20]).isoformat(),
                *row[21:],
                held.get(row[0], ()),
                stays.get(row[0], ()),
            )
            for row in rows
        ],
        "providers": [(provider_id, seq, found) for provider_id, (seq, found) in agreements.items()],
    }
