"""units whose own ages or target groups do not admit the child counted instead of listed

A decision in a large region used to list every unit of the care type inside the region, also the
hundreds that could never take the child by their own rules (its age, its target group). They are now
counted per reason, as the units outside the region already were. Decisions stored before keep them
listed and count none.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("decisions", sa.Column("unfit_counted", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("unfit_counted")
