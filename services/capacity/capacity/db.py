"""Tables of the capacity service and the queries that enforce the place counts in the database."""

from __future__ import annotations

import functools
import uuid
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    CursorResult,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    bindparam,
    case,
    false,
    func,
    or_,
    select,
    text,
    true,
    update,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.sql.elements import ColumnElement

from common.db import dialect_insert, new_metadata

metadata = new_metadata()


class Base(DeclarativeBase):
    metadata = metadata


class Provider(Base):
    __tablename__ = "providers"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    agb_code: Mapped[str] = mapped_column(String(8), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Whether the region contracted the provider (migration 0008); a place found elsewhere counts against it.
    contracted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    # The change (ChangeCounter) that last replaced the provider's production agreements (migration 0010).
    change_seq: Mapped[int] = mapped_column(Integer, default=1, server_default="1", index=True)


def _last_change(context: Any) -> Any:
    """A unit written without a confirmation counts as confirmed at its last change."""
    return context.get_current_parameters()["updated_at"]


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (
        # The candidates query and the unit list filter on care type first, then region and age.
        Index("ix_units_care_type_in_region", "care_type", "in_region", "age_min", "age_max"),
        # Covers the candidates call's count of units outside the region per reason (migration 0002).
        Index(
            "ix_units_candidate_places",
            "care_type",
            "in_region",
            "age_min",
            "age_max",
            "serves_jo",
            "serves_lvb",
            "serves_ggz",
            "capacity",
            "occupied",
            "reserved",
            "blocked",
        ),
        # The units turned stale: open units by the moment their availability was last confirmed (0008).
        Index("ix_units_closed_confirmed_at", "closed", "availability_confirmed_at"),
        CheckConstraint(
            "capacity >= 0 AND occupied >= 0 AND reserved >= 0 AND blocked >= 0", name="counts_not_negative"
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    provider_id: Mapped[str] = mapped_column(String(36), ForeignKey("providers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    care_type: Mapped[str] = mapped_column(String(32))
    # One column per target group, so that "serves lvb" is a plain indexed predicate on both databases.
    serves_jo: Mapped[bool] = mapped_column(Boolean)
    serves_lvb: Mapped[bool] = mapped_column(Boolean)
    serves_ggz: Mapped[bool] = mapped_column(Boolean)
    age_min: Mapped[int] = mapped_column(Integer)
    age_max: Mapped[int] = mapped_column(Integer)
    municipality_code: Mapped[str] = mapped_column(String(6))
    in_region: Mapped[bool] = mapped_column(Boolean)
    capacity: Mapped[int] = mapped_column(Integer)
    occupied: Mapped[int] = mapped_column(Integer, default=0)
    reserved: Mapped[int] = mapped_column(Integer, default=0)
    blocked: Mapped[int] = mapped_column(Integer, default=0)
    specialisms: Mapped[list[str]] = mapped_column(JSON)
    # Text about the unit, never about a child (migration 0004 moved free-text specialisms here).
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    part_time: Mapped[bool] = mapped_column(Boolean)
    # The unit's own point (migration 0006); without it, its municipality's point counts.
    latitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    longitude: Mapped[float | None] = mapped_column(Float, nullable=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # When the provider last set or confirmed the free places (migration 0008): stale after
    # REGIEPUNT_AVAILABILITY_STALE_HOURS. A closed unit takes no new child; its stays run on.
    availability_confirmed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_last_change)
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # The change (ChangeCounter) that last touched what a candidate list reads of the unit: its row,
    # its holds or its stays (migration 0010). Matching's read model follows the units by it.
    change_seq: Mapped[int] = mapped_column(Integer, default=1, server_default="1", index=True)

    @property
    def target_groups(self) -> list[str]:
        return [group for group in ("jo", "lvb", "ggz") if getattr(self, f"serves_{group}")]


class Reservation(Base):
    __tablename__ = "reservations"
    __table_args__ = (
        # One held place per referral per unit: the database refuses a second one even when two
        # identical requests race, and the loser answers with the winner's reservation.
        Index(
            "uq_reservations_held_referral",
            "unit_id",
            "referral_id",
            unique=True,
            sqlite_where=text("status = 'held'"),
            postgresql_where=text("status = 'held'"),
        ),
        # One held place per match request (migration 0003): a request sent again finds its hold.
        Index(
            "uq_reservations_held_request",
            "request_id",
            unique=True,
            sqlite_where=text("status = 'held'"),
            postgresql_where=text("status = 'held'"),
        ),
        Index("ix_reservations_status_expires_at", "status", "expires_at"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(36), ForeignKey("units.id"))
    provider_id: Mapped[str] = mapped_column(String(36))
    referral_id: Mapped[str] = mapped_column(String(64), index=True)
    # Indexed for re-keying after the client key was rotated (client_keys, migration 0004).
    client_key: Mapped[str] = mapped_column(String(128), index=True)
    # The match request that made the hold (null for holds made before it was kept).
    request_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The child as the group sees it, passed on to the stay (migration 0007): age in years when held,
    # and its risk flags and vulnerabilities. Null for holds made before.
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    flags: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class Occupancy(Base):
    __tablename__ = "occupancies"
    __table_args__ = (
        # The care days of a provider's stays in a year (production agreements, migration 0007).
        Index("ix_occupancies_provider_period", "provider_id", "start_date", "end_date"),
        # The stays that run, for the group profiles a decision reads (migration 0008): a few per unit,
        # where all stays ever recorded are hundreds.
        Index(
            "ix_occupancies_running_unit_id",
            "unit_id",
            postgresql_where=text("end_date IS NULL"),
            sqlite_where=text("end_date IS NULL"),
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    unit_id: Mapped[str] = mapped_column(String(36), ForeignKey("units.id"), index=True)
    provider_id: Mapped[str] = mapped_column(String(36))
    reservation_id: Mapped[str] = mapped_column(String(36), ForeignKey("reservations.id"), unique=True)
    referral_id: Mapped[str] = mapped_column(String(64), index=True)
    # Indexed for re-keying after the client key was rotated (client_keys, migration 0004).
    client_key: Mapped[str] = mapped_column(String(128), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # The child in the unit's group profile (migration 0007): its age in years on `age_on`, and its
    # risk flags and vulnerabilities. Null for stays begun before they were kept.
    age: Mapped[int | None] = mapped_column(Integer, nullable=True)
    age_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    flags: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)


class ProductionAgreementRow(Base):
    """A provider's agreed care days ("P x Q") for one care type in one year."""

    __tablename__ = "production_agreements"

    provider_id: Mapped[str] = mapped_column(String(36), ForeignKey("providers.id"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    care_type: Mapped[str] = mapped_column(String(32), primary_key=True)
    care_days: Mapped[int] = mapped_column(Integer)


class FreePlacesEpoch(Base):
    """One row: a counter raised whenever a place may have come free, so intake knows to match again."""

    __tablename__ = "free_places_epoch"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[int] = mapped_column(Integer)


class ChangeCounter(Base):
    """One row: the number of the last change a candidate list can see (docs/internal-api.md, the
    change feed). Raised first in every transaction that changes a unit or a provider's agreements:
    its row lock orders those transactions, so a change is visible before any later-numbered one."""

    __tablename__ = "change_counter"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    # Drawn when the row is written first: a register restored or built anew numbers its changes
    # from the start again, and a read model that sees another generation reads it all again.
    generation: Mapped[str] = mapped_column(String(36))


# --- expressions ----------------------------------------------------------------------------------

units = cast(Table, Unit.__table__)
providers = cast(Table, Provider.__table__)
reservations = cast(Table, Reservation.__table__)
occupancies = cast(Table, Occupancy.__table__)
production_agreements = cast(Table, ProductionAgreementRow.__table__)
change_counter = cast(Table, ChangeCounter.__table__)


def available_sql(
    capacity: ColumnElement[int],
    occupied: ColumnElement[int],
    reserved: ColumnElement[int],
    blocked: ColumnElement[int],
) -> ColumnElement[int]:
    """The SQL twin of domain.available, for the queries that filter or sum free places in the
    database: free places, never below zero."""
    free = capacity - occupied - reserved - blocked
    return case((free > 0, free), else_=0)


AVAILABLE: ColumnElement[int] = available_sql(units.c.capacity, units.c.occupied, units.c.reserved, units.c.blocked)


def serves(target_group: str) -> ColumnElement[bool]:
    column: ColumnElement[bool] = getattr(Unit, f"serves_{target_group}")
    return column


def places_free(held_unit_id: ColumnElement[str] | None = None) -> ColumnElement[int]:
    """The free places of a unit; with `held_unit_id`, the place a request holds there counts as free
    for that request, which may take it again: for it, the unit has one reserved place fewer."""
    unit = units.c
    reserved: ColumnElement[int] = unit.reserved
    if held_unit_id is not None:
        reserved = reserved - case((unit.id == held_unit_id, 1), else_=0)
    return available_sql(unit.capacity, unit.occupied, reserved, unit.blocked)


def exclusion_reason(
    target_group: str, age: int | ColumnElement[int], held_unit_id: ColumnElement[str] | None = None
) -> ColumnElement[str | None]:
    """The first reason a unit of the asked care type cannot take the child, or NULL when it can;
    the order is the one of docs/internal-api.md (and of domain.exclusion_reason).

    Built on the table's columns rather than the mapped attributes, so that a query made of it stays
    a plain Core query: the candidates list is read as rows, not loaded as ORM objects."""
    unit = units.c
    return case(
        (places_free(held_unit_id) <= 0, "no_free_place"),
        (or_(unit.age_min > age, unit.age_max < age), "age_out_of_range"),
        (unit[f"serves_{target_group}"] == false(), "target_group_not_served"),
        else_=None,
    )


def new_id() -> str:
    return str(uuid.uuid4())


def rowcount(result: Any) -> int:
    return cast(CursorResult[Any], result).rowcount


# --- queries --------------------------------------------------------------------------------------


def unit_with_role() -> Any:
    return select(Unit, Provider.role).join(Provider, Provider.id == Unit.provider_id)


_UNIT_WITH_ROLE_BY_ID = unit_with_role().where(Unit.id == bindparam("unit_id"))


async def load_unit(session: AsyncSession, unit_id: str) -> tuple[Unit, str] | None:
    row = (await session.execute(_UNIT_WITH_ROLE_BY_ID, {"unit_id": unit_id})).first()
    return None if row is None else (row[0], row[1])


async def next_change(session: AsyncSession) -> int:
    """The number of a new change. Taken before the unit's own row is written, in every transaction
    (a joint hold writes several units): the counter is then always the first lock, and no two
    writers wait on each other the other way round. One number per transaction: the units it writes
    become visible together. A transaction that locks another row before it writes a unit (a hold it
    moves on, a provider) takes its number first, for the same reason."""
    taken = session.info.get("change_seq")
    if taken is not None:
        return int(taken)
    statement = _take_change_statement(session.get_bind().dialect.name)
    taken = session.info["change_seq"] = int(
        (await session.execute(statement, {"new_generation": new_id()})).scalar_one()
    )
    return taken


@functools.cache
def _take_change_statement(dialect: str) -> Any:
    """Built once per dialect (every change runs it); the generation of a counter it starts is bound."""
    counter = change_counter.c
    return (
        dialect_insert(dialect, change_counter)
        .values(id=1, seq=1, generation=bindparam("new_generation"))
        .on_conflict_do_update(index_elements=[counter.id], set_={"seq": counter.seq + 1})
        .returning(counter.seq)
    )


_LATEST_CHANGE = select(change_counter.c.seq, change_counter.c.generation).where(change_counter.c.id == 1)


async def latest_change(session: AsyncSession) -> tuple[int, str | None]:
    """The number of the last change and the counter's generation; (0, None) before any change."""
    row = (await session.execute(_LATEST_CHANGE)).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def unit_change(*conditions: Any, **values: Any) -> Any:
    """change_unit's UPDATE, for a statement built once: also raises the unit's version and numbers the
    change. `unit_id`, `now`, `change_seq` and the bindparams of `conditions` and `values` are bound
    at execution (run_unit_change)."""
    unit = units.c
    return (
        update(units)
        .where(unit.id == bindparam("unit_id"), *conditions)
        .values(**values, version=unit.version + 1, updated_at=bindparam("now"), change_seq=bindparam("change_seq"))
    )


async def run_unit_change(session: AsyncSession, statement: Any, unit_id: str, now: datetime, **bound: Any) -> bool:
    """Run a unit_change on one unit, numbered first (next_change); True when the row changed."""
    values = {"unit_id": unit_id, "now": now, "change_seq": await next_change(session), **bound}
    return rowcount(await session.execute(statement, values)) == 1


async def change_unit(session: AsyncSession, unit_id: str, now: datetime, *conditions: Any, **values: Any) -> bool:
    """One conditional UPDATE of a unit that also raises its version and numbers the change; True
    when the row changed. Built on every call: a change made often has its unit_change built once."""
    return await run_unit_change(session, unit_change(*conditions, **values), unit_id, now)


async def raise_free_places_epoch(session: AsyncSession) -> None:
    """Upsert, so that it works on an empty table too and two writers never both insert the row."""
    await session.execute(_raise_epoch_statement(session.get_bind().dialect.name))


@functools.cache
def _raise_epoch_statement(dialect: str) -> Any:
    epoch = cast(Table, FreePlacesEpoch.__table__)
    statement = dialect_insert(dialect, epoch).values(id=1, epoch=1)
    return statement.on_conflict_do_update(index_elements=[epoch.c.id], set_={"epoch": epoch.c.epoch + 1})


async def free_places_epoch(session: AsyncSession) -> int:
    value = await session.scalar(select(FreePlacesEpoch.epoch).where(FreePlacesEpoch.id == 1))
    return int(value or 0)


def count_of(query: Any) -> Any:
    return select(func.count()).select_from(query.order_by(None).subquery())
