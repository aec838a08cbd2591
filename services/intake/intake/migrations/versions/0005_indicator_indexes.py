"""covering indexes for the indicators, so that they do not grow with the length of the history

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_referrals_stay_period", "referrals", ["end_date", "start_date", "client_key", "care_type", "id"]
    )
    op.create_index("ix_referrals_client_stays", "referrals", ["client_key", "care_type", "start_date"])


def downgrade() -> None:
    op.drop_index("ix_referrals_client_stays", table_name="referrals")
    op.drop_index("ix_referrals_stay_period", table_name="referrals")
