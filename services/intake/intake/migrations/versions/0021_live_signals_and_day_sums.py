"""the live signals by type instead of every signal by resolved_at; the per-day totals with their sums

`ix_signals_resolved_at` held every signal, resolved or not. Its only use was finding the live ones
(`resolved_at IS NULL`), and in a national history those are tens of thousands of event-only signals
(never resolved) and a few hundred others: PostgreSQL, misjudging how few of the live signals the
resolution check wants, read the check through it (48,000 rows, 20 to 60 ms) instead of through
`ix_signals_live_conditions` (237 rows, 0.2 ms). A partial index of the live signals by type replaces
it: the overview's count of live signals per type reads it alone, and a plan for the resolution check
has only the narrower index to choose.

`ix_indicator_days_sums` is the key of `indicator_days` with the sums: a period's rows of a measure
(a year of the days-to-placement histogram at 500,000 referrals is 6,800 rows, spread over every page
of the table) are read from the index alone: 10.6 ms became 2.4 ms.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# Indexes only: the code of revision 0020 runs unchanged against them.
compatible_with_code_from: str | None = "0020"

LIVE = sa.text("resolved_at IS NULL")


def upgrade() -> None:
    op.create_index("ix_signals_live", "signals", ["type"], postgresql_where=LIVE, sqlite_where=LIVE)
    op.drop_index("ix_signals_resolved_at", table_name="signals")
    op.create_index(
        "ix_indicator_days_sums", "indicator_days", ["measure", "day", "value", "detail", "stays", "total_days"]
    )


def downgrade() -> None:
    op.drop_index("ix_indicator_days_sums", table_name="indicator_days")
    op.create_index("ix_signals_resolved_at", "signals", ["resolved_at"])
    op.drop_index("ix_signals_live", table_name="signals")
