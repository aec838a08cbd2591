"""The change feed matching's read model follows: the units and providers changed after a number,
each in its current state as a candidate list reads it (docs/internal-api.md, the change feed)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Date, Integer, String, Text, bindparam, cast, literal, null, or_, select, union_all

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


def _wide(kind: str, of: Any, **columns: Any) -> Any:
    """One part of the statement of what goes with the units: every part has every column, typed, as a
    union wants, and fills its own (`kind` says which part a row is of)."""
    typed = {
        "start_date": Date,
        "end_date": Date,
        "age": Integer,
        "age_on": Date,
        "flags": Text,
        "request_id": String,
        "seq": Integer,
        "year": Integer,
        "care_type": String,
        "care_days": Integer,
    }
    values = [columns.get(name, cast(null(), type_)).label(name) for name, type_ in typed.items()]
    return select(literal(kind).label("kind"), of.label("of"), *values)


# The stays a unit's group profile (those that run) and its provider's production use (those that
# touch this year) read.
_STAYS = _wide(
    "stay",
    _stay.unit_id,
    start_date=_stay.start_date,
    end_date=_stay.end_date,
    age=_stay.age,
    age_on=_stay.age_on,
    flags=cast(_stay.flags, Text),
).where(_stay.unit_id.in_(_OF_UNITS), or_(_stay.end_date.is_(None), _stay.end_date > bindparam("first")))
# The match requests that hold a place on a unit: that place counts as free for its own request.
_HOLDS = _wide("hold", _hold.unit_id, request_id=_hold.request_id).where(
    _hold.unit_id.in_(_OF_UNITS), _hold.status == "held", _hold.request_id.is_not(None)
)
# The providers whose agreements changed, with them (one row without an agreement for one that has none).
_PROVIDERS = (
    _wide(
        "provider",
        providers.c.id,
        seq=providers.c.change_seq,
        year=_agreement.year,
        care_type=_agreement.care_type,
        care_days=_agreement.care_days,
    )
    .select_from(providers.outerjoin(production_agreements, _agreement.provider_id == providers.c.id))
    .where(providers.c.change_seq > bindparam("after"))
)
# One statement, one round trip: a decision's request for changes mostly finds one unit or none.
_WITH_UNITS = union_all(_STAYS, _HOLDS, _PROVIDERS)
_WITH_MORE_UNITS = union_all(_STAYS, _HOLDS)
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
        # Nothing numbered after `after` has committed: a change that commits now began after the
        # caller asked. (Another generation than the caller's makes it ask again from 0.)
        rows = (await session.execute(_UNITS_PAGE, values)).all() if latest > after else []
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
        agreements: dict[str, tuple[int, list[Any]]] = {}
        first = date(today.year, 1, 1)
        chunks = [unit_ids[start : start + _CHUNK] for start in range(0, len(unit_ids), _CHUNK)]
        for number, chunk in enumerate(chunks or ([[]] if latest > after else [])):
            statement = _PROVIDERS if not chunk else _WITH_UNITS if number == 0 else _WITH_MORE_UNITS
            found = await session.execute(statement, {"unit_ids": chunk, "first": first, "after": after})
            for kind, of, begin, end, age, age_on, flags, request_id, seq, year, care_type, care_days in found:
                if kind == "stay":
                    stays.setdefault(of, []).append(
                        (_day(begin), _day(end), age, _day(age_on), orjson.Fragment(flags) if flags else None)
                    )
                elif kind == "hold":
                    held.setdefault(of, []).append(request_id)
                else:
                    agreed = agreements.setdefault(of, (seq, []))[1]
                    if year is not None:
                        agreed.append((year, care_type, care_days))
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
