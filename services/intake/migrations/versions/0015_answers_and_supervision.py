"""answers with reasons, one-on-one supervision, placements with contracted providers

A decline carries a reason code of the vocabulary's decline_reasons (declines stored before count as
`other`) and its free-text reason becomes optional. A provider records the hours of one-on-one
supervision per placed child per ISO week. A placement keeps whether its provider was contracted by
the region when the child was placed (placements made before: contracted, as every provider was).

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
    with op.batch_alter_table("proposal_declines") as batch:
        batch.add_column(sa.Column("reason_code", sa.String(64), nullable=False, server_default="other"))
        batch.alter_column("reason", existing_type=sa.Text(), nullable=True)
    op.create_index(
        "ix_proposal_declines_created_at", "proposal_declines", ["created_at", "provider_id", "reason_code"]
    )
    op.add_column("referrals", sa.Column("placement_contracted", sa.Boolean(), nullable=True))
    op.execute("UPDATE referrals SET placement_contracted = true WHERE placement_provider_id IS NOT NULL")
    op.create_table(
        "one_on_one_hours",
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("week", sa.String(8), nullable=False),
        sa.Column("week_start", sa.Date(), nullable=False),
        sa.Column("hours", sa.Float(), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("recorded_by", sa.String(200), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("referral_id", "week", name=op.f("pk_one_on_one_hours")),
    )
    op.create_index("ix_one_on_one_hours_week_start", "one_on_one_hours", ["week_start", "hours", "referral_id"])


def downgrade() -> None:
    op.drop_index("ix_one_on_one_hours_week_start", table_name="one_on_one_hours")
    op.drop_table("one_on_one_hours")
    op.drop_column("referrals", "placement_contracted")
    op.drop_index("ix_proposal_declines_created_at", table_name="proposal_declines")
    with op.batch_alter_table("proposal_declines") as batch:
        batch.alter_column("reason", existing_type=sa.Text(), nullable=False)
        batch.drop_column("reason_code")
