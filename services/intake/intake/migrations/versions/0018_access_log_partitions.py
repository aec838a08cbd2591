"""the access log is partitioned by month on PostgreSQL

It is kept five years (NEN 7513) and then removed a month at a time by dropping that month's partition
(intake.access_log.retention), never row by row: the append-only trigger stays on every row. The rows
move into the partitioned table as they are, with their sequence; the primary key becomes (seq, at),
as PostgreSQL requires the partition key in it. SQLite keeps one table, from which old rows are
deleted.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# The columns stay as they were: code of 0017 reads and writes the partitioned table alike.
compatible_with_code_from: str | None = "0017"

_INDEXES = {
    "ix_access_log_referral_id_at": "(referral_id, at)",
    "ix_access_log_sub_at": "(sub, at)",
    "ix_access_log_action_at": "(action, at)",
    "ix_access_log_at": "(at)",
}

_TRIGGER = (
    "CREATE TRIGGER access_log_append_only BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION access_log_append_only()"
)

# A partition for every month from the oldest entry to two months ahead; intake's workers keep adding
# the months ahead (intake.access_log.retention). The default partition catches an entry of a month
# that has none yet, so that no access is ever left unlogged.
_MONTHLY_PARTITIONS = """
DO $$
DECLARE
    oldest timestamptz := coalesce((SELECT min(at) FROM access_log_unpartitioned), now());
    month date := date_trunc('month', oldest AT TIME ZONE 'UTC');
    last date := date_trunc('month', now() AT TIME ZONE 'UTC') + interval '2 months';
BEGIN
    WHILE month <= last LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF access_log FOR VALUES FROM (%L) TO (%L)',
            'access_log_y' || to_char(month, 'YYYY') || 'm' || to_char(month, 'MM'),
            month::timestamp AT TIME ZONE 'UTC',
            (month + interval '1 month')::timestamp AT TIME ZONE 'UTC'
        );
        month := month + interval '1 month';
    END LOOP;
END $$
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE access_log RENAME TO access_log_unpartitioned")
    op.execute("ALTER TABLE access_log_unpartitioned RENAME CONSTRAINT pk_access_log TO pk_access_log_unpartitioned")
    for name in _INDEXES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_unpartitioned")
    op.execute(
        """
        CREATE TABLE access_log (
            seq bigint NOT NULL DEFAULT nextval('access_log_seq_seq'),
            at timestamp with time zone NOT NULL,
            sub varchar(200) NOT NULL,
            role varchar(16) NOT NULL,
            org varchar(200) NOT NULL,
            action varchar(32) NOT NULL,
            referral_id varchar(36),
            client_key varchar(128),
            CONSTRAINT pk_access_log PRIMARY KEY (seq, at)
        ) PARTITION BY RANGE (at)
        """
    )
    op.execute(_MONTHLY_PARTITIONS)
    op.execute("CREATE TABLE access_log_default PARTITION OF access_log DEFAULT")
    op.execute(
        "INSERT INTO access_log (seq, at, sub, role, org, action, referral_id, client_key) "
        "SELECT seq, at, sub, role, org, action, referral_id, client_key FROM access_log_unpartitioned"
    )
    # The sequence belongs to the new table before the old one, which owned it, is dropped.
    op.execute("ALTER SEQUENCE access_log_seq_seq OWNED BY access_log.seq")
    op.execute("DROP TABLE access_log_unpartitioned")
    for name, columns in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON access_log {columns}")
    op.execute(_TRIGGER)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE access_log RENAME TO access_log_partitioned")
    op.execute("ALTER TABLE access_log_partitioned RENAME CONSTRAINT pk_access_log TO pk_access_log_partitioned")
    for name in _INDEXES:
        op.execute(f"ALTER INDEX {name} RENAME TO {name}_partitioned")
    op.execute(
        """
        CREATE TABLE access_log (
            seq bigint NOT NULL DEFAULT nextval('access_log_seq_seq'),
            at timestamp with time zone NOT NULL,
            sub varchar(200) NOT NULL,
            role varchar(16) NOT NULL,
            org varchar(200) NOT NULL,
            action varchar(32) NOT NULL,
            referral_id varchar(36),
            client_key varchar(128),
            CONSTRAINT pk_access_log PRIMARY KEY (seq)
        )
        """
    )
    op.execute(
        "INSERT INTO access_log SELECT seq, at, sub, role, org, action, referral_id, client_key "
        "FROM access_log_partitioned"
    )
    op.execute("ALTER SEQUENCE access_log_seq_seq OWNED BY access_log.seq")
    op.execute("DROP TABLE access_log_partitioned")
    for name, columns in _INDEXES.items():
        op.execute(f"CREATE INDEX {name} ON access_log {columns}")
    op.execute(_TRIGGER)
