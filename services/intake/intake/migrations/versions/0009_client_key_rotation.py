"""the client key can be rotated: pseudonyms name the key that made them and are re-keyed

A pseudonym is now `<key id>.<keyed hash>` (73 characters), so the columns that hold one take 128, as
the contracts between the services do. The BSN is indexed: re-keying finds a child's referrals by it,
whatever key made their pseudonyms. `client_key_changes` holds the pairs of old and new pseudonyms on
their way to capacity and matching. On PostgreSQL the access log stays append-only, with one exception:
an entry's pseudonym may be brought in line with its referral's current one; who, when, what and which
referral stay as written.

SQLite does not enforce the length of a VARCHAR: there the columns are left as declared rather than
copying the largest tables for a declaration.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_COLUMNS = (("referrals", False), ("signals", False), ("access_log", True))

_APPEND_ONLY_BUT_REKEY = """
    CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE'
           AND to_jsonb(NEW) - 'client_key' = to_jsonb(OLD) - 'client_key'
           AND NEW.client_key IS NOT NULL
           AND NEW.client_key = (SELECT client_key FROM referrals WHERE id = NEW.referral_id)
        THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'access_log is append-only';
    END;
    $$ LANGUAGE plpgsql
"""

_APPEND_ONLY = """
    CREATE OR REPLACE FUNCTION access_log_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'access_log is append-only';
    END;
    $$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    if postgresql:
        # Widening a VARCHAR is a change of the catalogue only: no row and no index is rewritten.
        for table, nullable in _COLUMNS:
            op.alter_column(
                table, "client_key", existing_type=sa.String(64), type_=sa.String(128), existing_nullable=nullable
            )
        op.execute(_APPEND_ONLY_BUT_REKEY)
    op.create_index("ix_referrals_bsn", "referrals", ["bsn"])
    op.create_table(
        "client_key_changes",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("service", sa.String(16), nullable=False),
        sa.Column("old_key", sa.String(128), nullable=False),
        sa.Column("new_key", sa.String(128), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_client_key_changes")),
    )
    op.create_index("ix_client_key_changes_due", "client_key_changes", ["service", "next_attempt_at"])
    op.create_index("ix_client_key_changes_new_key", "client_key_changes", ["new_key"])


def downgrade() -> None:
    op.drop_index("ix_client_key_changes_new_key", table_name="client_key_changes")
    op.drop_index("ix_client_key_changes_due", table_name="client_key_changes")
    op.drop_table("client_key_changes")
    op.drop_index("ix_referrals_bsn", table_name="referrals")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY)
        # Fails while pseudonyms with a key id are stored: they do not fit the old columns.
        for table, nullable in _COLUMNS:
            op.alter_column(
                table, "client_key", existing_type=sa.String(128), type_=sa.String(64), existing_nullable=nullable
            )
