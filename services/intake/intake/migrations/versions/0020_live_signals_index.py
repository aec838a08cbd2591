"""the live signals, indexed by type

Every read of the signal list and every indicator call first checks the live signals whose condition
may have gone (signals.resolution). Event-only signals (a placement breakdown, a sibling split) are never
resolved, so in a national history the live signals are tens of thousands of those and a few hundred
others; the check read all of them through `ix_signals_resolved_at` only to drop the event-only ones by
type. A partial index of the live signals by type lets it read the types it checks and nothing else.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# An index only: the code of revision 0019 runs unchanged against it.
compatible_with_code_from: str | None = "0019"

LIVE = sa.text("resolved_at IS NULL")


def upgrade() -> None:
    op.create_index(
        "ix_signals_live_type",
        "signals",
        ["type", "referral_id"],
        postgresql_where=LIVE,
        sqlite_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index("ix_signals_live_type", table_name="signals")
