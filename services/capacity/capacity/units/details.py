"""Use cases of a unit's own account by its provider: confirm the free places as they are, change the
unit's details, close it (no new child; its stays run on) or open it again."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam

from capacity import domain
from capacity.db import Unit, change_unit, load_unit, raise_free_places_epoch, run_unit_change, unit_change
from capacity.schemas import UnitOut, UnitUpdate
from capacity.units.service import reload_unit, unit_out
from common.clock import Clock
from common.db import Database
from common.errors import Forbidden, PreconditionFailed
from contracts.vocabulary import Vocabulary

# The free places confirmed as they are: the unit is fresh again.
_CONFIRMED = unit_change(availability_confirmed_at=bindparam("now"))


async def confirm_availability(
    db: Database, clock: Clock, unit_id: str, stale_before: datetime, *, acting_provider_id: str | None
) -> UnitOut:
    """The provider says the free places are right as they stand: the unit is fresh again."""
    now = clock.now()
    async with db.transaction() as session:
        loaded = await load_unit(session, unit_id)
        if loaded is None:
            raise domain.UnitNotFound(unit_id)
        unit, role = loaded
        _check_own(unit, acting_provider_id, "confirm its availability")
        await run_unit_change(session, _CONFIRMED, unit_id, now)
        reloaded = await reload_unit(session, unit_id)
    return unit_out(reloaded, role, stale_before)


def _check_own(unit: Unit, acting_provider_id: str | None, action: str) -> None:
    """acting_provider_id is None for a coordinator, who may act on any unit."""
    if acting_provider_id is not None and acting_provider_id != unit.provider_id:
        raise Forbidden(f"Only the unit's own provider or a coordinator may {action}.")


def _changes(unit: Unit, data: UnitUpdate, region: tuple[str, ...], vocabulary: Vocabulary) -> dict[str, Any]:
    """The columns the update changes, after the same checks a new unit passes, on the unit as it
    would be afterwards."""
    given = data.model_dump(exclude_unset=True)
    age_min = given.get("age_min", unit.age_min)
    age_max = given.get("age_max", unit.age_max)
    domain.check_age_range(age_min, age_max)
    if "latitude" in given or "longitude" in given:
        domain.check_point(given.get("latitude", unit.latitude), given.get("longitude", unit.longitude))
    values: dict[str, Any] = {}
    for name in ("name", "age_min", "age_max", "description", "part_time", "latitude", "longitude", "closed"):
        if name in given:
            values[name] = given[name]
    if "specialisms" in given:
        domain.check_specialisms(given["specialisms"], vocabulary)
        values["specialisms"] = list(dict.fromkeys(given["specialisms"]))
    if "target_groups" in given:
        groups = set(given["target_groups"])
        values.update({f"serves_{group}": group in groups for group in ("jo", "lvb", "ggz")})
    if "municipality_code" in given:
        values["municipality_code"] = given["municipality_code"]
        values["in_region"] = domain.in_region(given["municipality_code"], region)
    return values


async def update_unit(
    db: Database,
    clock: Clock,
    region: tuple[str, ...],
    vocabulary: Vocabulary,
    unit_id: str,
    data: UnitUpdate,
    expected_version: int,
    stale_before: datetime,
    *,
    acting_provider_id: str | None,
) -> UnitOut:
    """Change what the update names, of the unit as it was read (`expected_version`, from If-Match).
    Any change may let a waiting child in (a unit opened again, wider ages), so intake is told to
    look again."""
    now = clock.now()
    async with db.transaction() as session:
        loaded = await load_unit(session, unit_id)
        if loaded is None:
            raise domain.UnitNotFound(unit_id)
        unit, role = loaded
        _check_own(unit, acting_provider_id, "change its details")
        if unit.version != expected_version:
            raise PreconditionFailed(f"The unit is at version {unit.version}, not {expected_version}; read it again.")
        values = _changes(unit, data, region, vocabulary)
        if values:
            if not await change_unit(session, unit_id, now, Unit.version == expected_version, **values):
                raise PreconditionFailed("The unit changed while this update was made; read it again.")
            await raise_free_places_epoch(session)
        reloaded = await reload_unit(session, unit_id)
    return unit_out(reloaded, role, stale_before)
