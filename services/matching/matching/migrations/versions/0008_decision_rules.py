"""the group and production rules that applied in a decision, with their words

A decision keeps, by rule id, every group or production rule that left a unit out or ranked it lower,
with the reason it gives and its words in Dutch and English as they were configured at the time; each
unit weighed names the ids of the rules that applied to it. Decisions stored before name none.

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
    op.add_column("decisions", sa.Column("rules", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("rules")
