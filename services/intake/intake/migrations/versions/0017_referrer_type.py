"""a referral keeps its referrer's type

The referrer type of the submitting token (local_team, gp, ...), kept so that the referral's answer
and the placements export can give its iJw code (COD327). Referrals stored before have none.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("referrer_type", sa.String(32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("referrer_type")
