"""the change feed: every change a candidate list can see is numbered

Matching keeps its own read model of the units and follows it by these numbers (docs/internal-api.md,
the change feed). One counter row numbers the changes; a unit carries the number of its last change
(its row, its holds, its stays), a provider that of its last replaced production agreements. What
exists already counts as change 1, so that a read model built from nothing reads it all.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "change_counter",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("generation", sa.String(36), nullable=False),
    )
    counter = sa.table("change_counter", sa.column("id"), sa.column("seq"), sa.column("generation"))
    op.bulk_insert(counter, [{"id": 1, "seq": 1, "generation": str(uuid.uuid4())}])
    for table in ("units", "providers"):
        # Every write from now on numbers its change itself; the default numbers the rows there are.
        op.add_column(table, sa.Column("change_seq", sa.Integer(), nullable=False, server_default="1"))
        op.create_index(f"ix_{table}_change_seq", table, ["change_seq"])


def downgrade() -> None:
    for table in ("units", "providers"):
        op.drop_index(f"ix_{table}_change_seq", table_name=table)
        with op.batch_alter_table(table) as batch:
            batch.drop_column("change_seq")
    op.drop_table("change_counter")
