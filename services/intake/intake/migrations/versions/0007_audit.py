"""the security officer's access log: refusals and the auditor's own reads are logged without a referral,
the log is read by actor, action and period; idempotent answers are swept by age; decline reasons kept

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A refused read of an id that names no referral, and a read of the log itself, concern no child.
    with op.batch_alter_table("access_log") as batch:
        batch.alter_column("referral_id", existing_type=sa.String(36), nullable=True)
        batch.alter_column("client_key", existing_type=sa.String(64), nullable=True)
    op.create_index("ix_access_log_sub_at", "access_log", ["sub", "at"])
    op.create_index("ix_access_log_action_at", "access_log", ["action", "at"])
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_idempotency_keys_created_at", "idempotency_keys", ["created_at"])
    op.create_table(
        "proposal_declines",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("declined_by", sa.String(200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proposal_declines")),
    )
    op.create_index("ix_proposal_declines_referral_id", "proposal_declines", ["referral_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_proposal_declines_referral_id", table_name="proposal_declines")
    op.drop_table("proposal_declines")
    op.drop_index("ix_idempotency_keys_created_at", table_name="idempotency_keys")
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_index("ix_access_log_action_at", table_name="access_log")
    op.drop_index("ix_access_log_sub_at", table_name="access_log")
    # Rows without a referral cannot be kept under the old constraint; the log is append-only, so a
    # downgrade on a database that has them fails rather than losing them.
    with op.batch_alter_table("access_log") as batch:
        batch.alter_column("client_key", existing_type=sa.String(64), nullable=False)
        batch.alter_column("referral_id", existing_type=sa.String(36), nullable=False)
