"""each stay carries what the indicators need from the child's other stays, filled from the stays there are

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# As intake.stays derives them for each stay that changes from now on: the latest end among the child's
# stays begun before this one (in the order of start date, then id; a running stay ends in 9999), and
# the first start of a residential stay of the child begun after this one.
FILL = """
UPDATE referrals SET
    earlier_stays_end = (
        SELECT max(coalesce(earlier.end_date, '9999-12-31')) FROM referrals AS earlier
        WHERE earlier.client_key = referrals.client_key
          AND earlier.start_date IS NOT NULL
          AND (earlier.start_date < referrals.start_date
               OR (earlier.start_date = referrals.start_date AND earlier.id < referrals.id))
    ),
    next_residential_start = (
        SELECT min(later.start_date) FROM referrals AS later
        WHERE later.client_key = referrals.client_key
          AND later.care_type IN ('residential', 'secure', 'clinical')
          AND later.start_date > referrals.start_date
    )
WHERE start_date IS NOT NULL
"""


def upgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("earlier_stays_end", sa.Date, nullable=True))
        batch.add_column(sa.Column("next_residential_start", sa.Date, nullable=True))
    op.execute(FILL)
    op.drop_index("ix_referrals_stay_period", table_name="referrals")
    op.create_index(
        "ix_referrals_stay_period",
        "referrals",
        ["end_date", "start_date", "earlier_stays_end", "care_type", "next_residential_start", "client_key"],
    )
    op.create_index(
        "ix_referrals_stay_start",
        "referrals",
        ["start_date", "end_date", "birth_date", "created_at", "placement_in_region", "part_time"],
    )


def downgrade() -> None:
    op.drop_index("ix_referrals_stay_start", table_name="referrals")
    op.drop_index("ix_referrals_stay_period", table_name="referrals")
    op.create_index(
        "ix_referrals_stay_period", "referrals", ["end_date", "start_date", "client_key", "care_type", "id"]
    )
    with op.batch_alter_table("referrals") as batch:
        batch.drop_column("next_residential_start")
        batch.drop_column("earlier_stays_end")
