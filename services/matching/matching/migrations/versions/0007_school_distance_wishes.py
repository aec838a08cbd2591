"""a decision keeps the child's school, how far it may travel and its wishes, the distances of the
proposed unit to home and school, and the words of the codes it used

Decisions stored before have none of them: no school, no limit, no wishes, distances unknown.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("school_municipality_code", sa.String(16), nullable=True))
        batch.add_column(sa.Column("max_travel_km", sa.Float(), nullable=True))
        batch.add_column(sa.Column("wishes", sa.JSON(), nullable=False, server_default="[]"))
        batch.add_column(sa.Column("proposed_distance_home_km", sa.Float(), nullable=True))
        batch.add_column(sa.Column("proposed_distance_school_km", sa.Float(), nullable=True))
        batch.add_column(sa.Column("labels", sa.JSON(), nullable=False, server_default="{}"))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        for column in (
            "labels",
            "proposed_distance_school_km",
            "proposed_distance_home_km",
            "wishes",
            "max_travel_km",
            "school_municipality_code",
        ):
            batch.drop_column(column)
