"""signals with their open-condition guard, and indexes for the crisis cap and the indicators

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signals",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("referral_id", sa.String(length=36), nullable=False),
        sa.Column("client_key", sa.String(length=64), nullable=False),
        sa.Column("condition_key", sa.String(length=255), nullable=False),
        sa.Column("open_key", sa.String(length=255), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("analysis", sa.Text(), nullable=True),
        sa.Column("acknowledged_by", sa.String(length=200), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signals")),
        sa.UniqueConstraint("open_key", name=op.f("uq_signals_open_key")),
    )
    with op.batch_alter_table("signals", schema=None) as batch_op:
        batch_op.create_index("ix_signals_status_created_at", ["status", "created_at"], unique=False)
        batch_op.create_index("ix_signals_type_status_created_at", ["type", "status", "created_at"], unique=False)
        batch_op.create_index("ix_signals_client_key_status", ["client_key", "status"], unique=False)
        batch_op.create_index("ix_signals_referral_id", ["referral_id"], unique=False)
        batch_op.create_index("ix_signals_condition_key", ["condition_key"], unique=False)
        batch_op.create_index("ix_signals_created_at", ["created_at"], unique=False)

    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.create_index("ix_referrals_status_crisis_end_date", ["status", "crisis_end_date"], unique=False)
        batch_op.create_index("ix_referrals_start_date", ["start_date"], unique=False)
        batch_op.create_index("ix_referrals_end_date", ["end_date"], unique=False)
        batch_op.create_index("ix_referrals_created_at", ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("referrals", schema=None) as batch_op:
        batch_op.drop_index("ix_referrals_created_at")
        batch_op.drop_index("ix_referrals_end_date")
        batch_op.drop_index("ix_referrals_start_date")
        batch_op.drop_index("ix_referrals_status_crisis_end_date")
    op.drop_table("signals")
