"""a referral carries the child's risk flags and vulnerabilities

Codes of the vocabulary's risk_flags and vulnerabilities only, passed to matching with the client key for the group
the child would join. Referrals stored before carry none.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("risk_flags", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("vulnerabilities", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("vulnerabilities")
        batch.drop_column("risk_flags")
