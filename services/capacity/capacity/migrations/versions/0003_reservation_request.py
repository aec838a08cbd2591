"""a hold belongs to the match request that made it

Each reservation keeps the request_id of matching's request; at most one place is held per request,
so that a request sent again finds its own hold instead of taking a second place.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("reservations") as batch:
        batch.add_column(sa.Column("request_id", sa.String(200), nullable=True))
    op.create_index(
        "uq_reservations_held_request",
        "reservations",
        ["request_id"],
        unique=True,
        sqlite_where=sa.text("status = 'held'"),
        postgresql_where=sa.text("status = 'held'"),
    )


def downgrade() -> None:
    op.drop_index("uq_reservations_held_request", table_name="reservations")
    with op.batch_alter_table("reservations") as batch:
        batch.drop_column("request_id")
