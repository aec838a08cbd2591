"""a referral keeps the child's school and how far it may travel, the child's voice (heard, wishes, its
words), the court's authorisation of closed youth care, and the proposed unit's distances

Referrals stored before have none of them.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("school_municipality_code", sa.String(16)),
    ("max_travel_km", sa.Float()),
    ("child_heard", sa.Boolean()),
    ("child_wishes", sa.JSON()),
    ("child_voice_note", sa.Text()),
    ("court_authorisation_kind", sa.String(16)),
    ("court_authorisation_decided_on", sa.Date()),
    ("court_authorisation_valid_until", sa.Date()),
    ("proposal_distance_home_km", sa.Float()),
    ("proposal_distance_school_km", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        for name, type_ in COLUMNS:
            batch.add_column(sa.Column(name, type_, nullable=True))
    op.create_index("ix_referrals_status_authorisation", "referrals", ["status", "court_authorisation_valid_until"])


def downgrade() -> None:
    op.drop_index("ix_referrals_status_authorisation", table_name="referrals")
    with op.batch_alter_table("referrals") as batch:
        for name, _type in reversed(COLUMNS):
            batch.drop_column(name)
