"""siblings referred together: referral groups, a referral's group, group match requests and keys

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "referral_groups",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("referrer_org", sa.String(200), nullable=False),
        sa.Column("referrer_sub", sa.String(200), nullable=False),
        sa.Column("keep_together", sa.Boolean(), nullable=False),
        sa.Column("referral_ids", sa.JSON(), nullable=False),
        sa.Column("split_code", sa.String(64), nullable=True),
        sa.Column("split_justification", sa.Text(), nullable=True),
        sa.Column("split_by", sa.String(200), nullable=True),
        sa.Column("split_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("match_attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_referral_groups")),
    )
    op.create_index("ix_referral_groups_referrer_org_created_at", "referral_groups", ["referrer_org", "created_at"])
    op.add_column("referrals", sa.Column("group_id", sa.String(36), nullable=True))
    op.create_index("ix_referrals_group_id", "referrals", ["group_id"])
    op.add_column("match_requests", sa.Column("group_id", sa.String(36), nullable=True))
    op.add_column("idempotency_keys", sa.Column("group_id", sa.String(36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("group_id")
    with op.batch_alter_table("match_requests") as batch:
        batch.drop_column("group_id")
    op.drop_index("ix_referrals_group_id", table_name="referrals")
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("group_id")
    op.drop_index("ix_referral_groups_referrer_org_created_at", table_name="referral_groups")
    op.drop_table("referral_groups")
