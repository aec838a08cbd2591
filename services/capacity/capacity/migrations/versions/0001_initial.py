"""initial schema: providers, units, reservations, occupancies and the free-places epoch

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("agb_code", sa.String(8), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_providers")),
        sa.UniqueConstraint("agb_code", name=op.f("uq_providers_agb_code")),
    )
    op.create_table(
        "units",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("care_type", sa.String(32), nullable=False),
        sa.Column("serves_jo", sa.Boolean(), nullable=False),
        sa.Column("serves_lvb", sa.Boolean(), nullable=False),
        sa.Column("serves_ggz", sa.Boolean(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=False),
        sa.Column("age_max", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(6), nullable=False),
        sa.Column("in_region", sa.Boolean(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("occupied", sa.Integer(), nullable=False),
        sa.Column("reserved", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Integer(), nullable=False),
        sa.Column("specialisms", sa.JSON(), nullable=False),
        sa.Column("part_time", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "capacity >= 0 AND occupied >= 0 AND reserved >= 0 AND blocked >= 0",
            name=op.f("ck_units_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(["provider_id"], ["providers.id"], name=op.f("fk_units_provider_id_providers")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
    )
    op.create_index("ix_units_care_type_in_region", "units", ["care_type", "in_region", "age_min", "age_max"])
    op.create_index(op.f("ix_units_provider_id"), "units", ["provider_id"])
    op.create_table(
        "reservations",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("referral_id", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(128), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_reservations_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservations")),
    )
    op.create_index(
        "uq_reservations_held_referral",
        "reservations",
        ["unit_id", "referral_id"],
        unique=True,
        sqlite_where=sa.text("status = 'held'"),
        postgresql_where=sa.text("status = 'held'"),
    )
    op.create_index("ix_reservations_status_expires_at", "reservations", ["status", "expires_at"])
    op.create_index(op.f("ix_reservations_referral_id"), "reservations", ["referral_id"])
    op.create_table(
        "occupancies",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("reservation_id", sa.String(36), nullable=False),
        sa.Column("referral_id", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(128), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_occupancies_unit_id_units")),
        sa.ForeignKeyConstraint(
            ["reservation_id"], ["reservations.id"], name=op.f("fk_occupancies_reservation_id_reservations")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_occupancies")),
        sa.UniqueConstraint("reservation_id", name=op.f("uq_occupancies_reservation_id")),
    )
    op.create_index(op.f("ix_occupancies_referral_id"), "occupancies", ["referral_id"])
    op.create_index(op.f("ix_occupancies_unit_id"), "occupancies", ["unit_id"])
    op.create_table(
        "free_places_epoch",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("epoch", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_free_places_epoch")),
    )


def downgrade() -> None:
    op.drop_table("free_places_epoch")
    op.drop_index(op.f("ix_occupancies_unit_id"), table_name="occupancies")
    op.drop_index(op.f("ix_occupancies_referral_id"), table_name="occupancies")
    op.drop_table("occupancies")
    op.drop_index(op.f("ix_reservations_referral_id"), table_name="reservations")
    op.drop_index("ix_reservations_status_expires_at", table_name="reservations")
    op.drop_index("uq_reservations_held_referral", table_name="reservations")
    op.drop_table("reservations")
    op.drop_index(op.f("ix_units_provider_id"), table_name="units")
    op.drop_index("ix_units_care_type_in_region", table_name="units")
    op.drop_table("units")
    op.drop_table("providers")
