"""fresh availability, closed units and contracted providers

A unit records when its provider last confirmed its free places (`availability_confirmed_at`; units
that exist already count as confirmed at their last change) and whether it is closed (no new holds,
its stays run on). A provider records whether the region contracted it (`contracted`, true for the
providers that exist).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: SQLite would rebuild a table other tables refer to.
    op.add_column("units", sa.Column("availability_confirmed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("units", sa.Column("closed", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.execute("UPDATE units SET availability_confirmed_at = updated_at")
    if op.get_bind().dialect.name != "sqlite":
        # SQLite cannot add NOT NULL to a column in place; there the service always writes one.
        op.alter_column("units", "availability_confirmed_at", existing_type=sa.DateTime(timezone=True), nullable=False)
    op.create_index("ix_units_closed_confirmed_at", "units", ["closed", "availability_confirmed_at"])
    op.add_column("providers", sa.Column("contracted", sa.Boolean(), nullable=False, server_default=sa.true()))


def downgrade() -> None:
    op.drop_column("providers", "contracted")
    op.drop_index("ix_units_closed_confirmed_at", table_name="units")
    op.drop_column("units", "closed")
    op.drop_column("units", "availability_confirmed_at")
