"""decisions by client key: intake re-keys the pseudonyms after a key rotation

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
    op.create_index("ix_decisions_client_key", "decisions", ["client_key"])


def downgrade() -> None:
    op.drop_index("ix_decisions_client_key", table_name="decisions")
