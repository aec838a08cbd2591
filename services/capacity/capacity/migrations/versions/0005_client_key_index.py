"""reservations and occupancies by client key: intake re-keys the pseudonyms after a key rotation

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reservations_client_key", "reservations", ["client_key"])
    op.create_index("ix_occupancies_client_key", "occupancies", ["client_key"])


def downgrade() -> None:
    op.drop_index("ix_occupancies_client_key", table_name="occupancies")
    op.drop_index("ix_reservations_client_key", table_name="reservations")
