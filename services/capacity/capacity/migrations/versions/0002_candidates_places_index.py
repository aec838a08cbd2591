"""an index that answers "which units of this care type outside the region could take the child" alone

The candidates call counts the units outside the region per reason on every matching decision; with
the place counts, ages and target groups in the index the count reads no table rows.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "care_type",
    "in_region",
    "age_min",
    "age_max",
    "serves_jo",
    "serves_lvb",
    "serves_ggz",
    "capacity",
    "occupied",
    "reserved",
    "blocked",
]


def upgrade() -> None:
    op.create_index("ix_units_candidate_places", "units", COLUMNS)


def downgrade() -> None:
    op.drop_index("ix_units_candidate_places", table_name="units")
