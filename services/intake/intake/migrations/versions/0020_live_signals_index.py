"""the live signals whose condition can go, indexed

Every read of the signal list and every indicator call first checks the live signals whose condition
may have gone (signals.resolution). Event-only signals (a placement breakdown, a sibling split) are never
resolved, so in a national history the live signals are tens of thousands of those and a few hundred
others; the check read all of them through `ix_signals_resolved_at` only to drop the event-only ones by
type. A partial index with the check's own condition holds the few it reads (on PostgreSQL with 48,000
live event-only signals: 0.1 ms instead of 6 ms). Its predicate names the event-only types
(signals.rules.EVENT_ONLY_TYPES); a new one needs a new index.

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

LIVE_CONDITIONS = sa.text("resolved_at IS NULL AND type NOT IN ('placement_breakdown', 'siblings_split')")


def upgrade() -> None:
    op.create_index(
        "ix_signals_live_conditions",
        "signals",
        ["type"],
        postgresql_where=LIVE_CONDITIONS,
        sqlite_where=LIVE_CONDITIONS,
    )


def downgrade() -> None:
    op.drop_index("ix_signals_live_conditions", table_name="signals")
