"""the group a child joins, and production agreements

A hold and a stay keep the child as its group sees it: its age in years (and the day it had that age)
and its risk flags and vulnerabilities, codes only; a unit's group profile is derived from the stays
that run. Providers get their yearly production agreements per care type, and the stays of a provider
are indexed by period, so that the care days used in a year are counted from the index.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("age", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("flags", sa.JSON(), nullable=True))
    with op.batch_alter_table("occupancies") as batch:
        batch.add_column(sa.Column("age", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("age_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("flags", sa.JSON(), nullable=True))
    op.create_index("ix_occupancies_provider_period", "occupancies", ["provider_id", "start_date", "end_date"])
    op.create_table(
        "production_agreements",
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("care_type", sa.String(32), nullable=False),
        sa.Column("care_days", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["provider_id"], ["providers.id"], name=op.f("fk_production_agreements_provider_id_providers")
        ),
        sa.PrimaryKeyConstraint("provider_id", "year", "care_type", name=op.f("pk_production_agreements")),
    )


def downgrade() -> None:
    op.drop_table("production_agreements")
    op.drop_index("ix_occupancies_provider_period", table_name="occupancies")
    with op.batch_alter_table("occupancies") as batch:
        batch.drop_column("flags")
        batch.drop_column("age_on")
        batch.drop_column("age")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("flags")
        batch.drop_column("age")
