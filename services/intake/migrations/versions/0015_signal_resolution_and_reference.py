"""a signal records when its condition went; a referral gets a readable reference per year

`signals.resolved_at` is null while the condition that raised a signal holds and is set when it has
gone (intake, signals.resolution); signals stored before are resolved by the workers' first sweep.

`referrals.reference` is `<year>-<number>` (`2026-0042`), numbered per year of receipt;
`referral_numbers` keeps the last number given out per year. Referrals stored before are numbered
here in the order they were received.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_BATCH = 5_000


def _backfill_references() -> dict[int, int]:
    """Number the stored referrals per year of receipt, oldest first; the last number of each year."""
    bind = op.get_bind()
    referrals = sa.table("referrals", sa.column("id", sa.String), sa.column("created_at", sa.DateTime(timezone=True)))
    rows = bind.execute(
        sa.select(referrals.c.id, referrals.c.created_at).order_by(referrals.c.created_at, referrals.c.id)
    )
    last: dict[int, int] = {}
    pending: list[dict[str, str]] = []
    update = sa.text("UPDATE referrals SET reference = :reference WHERE id = :referral_id")
    for referral_id, created_at in rows.all():
        year = created_at.year
        last[year] = last.get(year, 0) + 1
        pending.append({"referral_id": referral_id, "reference": f"{year}-{last[year]:04d}"})
        if len(pending) >= _BATCH:
            bind.execute(update, pending)
            pending = []
    if pending:
        bind.execute(update, pending)
    return last


def upgrade() -> None:
    with op.batch_alter_table("signals") as batch:
        batch.add_column(sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_index("ix_signals_resolved_at", ["resolved_at"])
    numbers = op.create_table(
        "referral_numbers",
        sa.Column("year", sa.Integer(), nullable=False, autoincrement=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name="pk_referral_numbers"),
    )
    with op.batch_alter_table("referrals") as batch:
        batch.add_column(sa.Column("reference", sa.String(16), nullable=True))
    last = _backfill_references()
    if last:
        op.bulk_insert(numbers, [{"year": year, "last_number": number} for year, number in sorted(last.items())])
    with op.batch_alter_table("referrals") as batch:
        batch.create_unique_constraint("uq_referrals_reference", ["reference"])


def downgrade() -> None:
    with op.batch_alter_table("referrals") as batch:
        batch.drop_constraint("uq_referrals_reference", type_="unique")
        batch.drop_column("reference")
    op.drop_table("referral_numbers")
    with op.batch_alter_table("signals") as batch:
        batch.drop_index("ix_signals_resolved_at")
        batch.drop_column("resolved_at")
