"""a signal records when its condition went; a referral gets a readable reference per year

`signals.resolved_at` is null while the condition that raised a signal holds and is set when it has
gone (intake, signals.resolution); signals stored before are resolved by the workers' first sweep.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_signals_resolved_at", ["resolved_at"])


def downgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.drop_index("ix_signals_resolved_at")
        batch.drop_column("resolved_at")
