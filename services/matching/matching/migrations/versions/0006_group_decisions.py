"""group decisions: siblings kept together are decided as one group

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "group_decisions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=False),
        sa.Column("group_id", sa.String(36), nullable=False),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("children", sa.JSON(), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_group_decisions")),
        sa.UniqueConstraint("request_id", name=op.f("uq_group_decisions_request_id")),
    )
    op.create_index(op.f("ix_group_decisions_group_id"), "group_decisions", ["group_id"])
    op.create_index(op.f("ix_group_decisions_created_at"), "group_decisions", ["created_at"])


def downgrade() -> None:
    op.drop_table("group_decisions")
