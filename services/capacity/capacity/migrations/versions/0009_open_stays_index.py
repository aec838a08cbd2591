"""the stays that run, indexed by unit

A decision reads the stays that run in the units of a care type, for their group profiles. Without an
index of its own that read went through every stay ever recorded (half a million in a national
history: about 30 ms a decision); a partial index holds only the stays that run, a few per unit.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RUNNING = sa.text("end_date IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_occupancies_running_unit_id",
        "occupancies",
        ["unit_id"],
        postgresql_where=RUNNING,
        sqlite_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("ix_occupancies_running_unit_id", table_name="occupancies")
