"""per-day totals of what the indicators count, filled from the referrals there are; the stays an
earlier stay of the child reaches into, indexed

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None
# No older code is declared compatible: code before this revision changes stays without adding to the
# totals, which would then drift from the stays while it kept serving.

# The rules of intake.indicators.days in SQL, per dialect: the UTC day of a moment, the days between
# two dates, "is true", and the age in whole years at a date (29 February moved on as each database
# moves it: PostgreSQL to 28 February, SQLite to 1 March).
_POSTGRESQL = {
    "received_day": "CAST(timezone('UTC', created_at) AS DATE)",
    "days": "({later} - {earlier})",
    "true": "IS TRUE",
    "age": (
        "(CAST(extract(year FROM start_date) AS INTEGER) - CAST(extract(year FROM birth_date) AS INTEGER)"
        " - CASE WHEN CAST(birth_date + make_interval(CAST(extract(year FROM start_date) AS INTEGER)"
        " - CAST(extract(year FROM birth_date) AS INTEGER)) AS DATE) > start_date THEN 1 ELSE 0 END)"
    ),
}
_SQLITE = {
    "received_day": "date(created_at)",
    "days": "CAST(julianday({later}) - julianday({earlier}) AS INTEGER)",
    "true": "= 1",
    "age": (
        "(CAST(strftime('%Y', start_date) AS INTEGER) - CAST(strftime('%Y', birth_date) AS INTEGER)"
        " - CASE WHEN date(birth_date, '+' || (CAST(strftime('%Y', start_date) AS INTEGER)"
        " - CAST(strftime('%Y', birth_date) AS INTEGER)) || ' years') > start_date THEN 1 ELSE 0 END)"
    ),
}

# intake.indicators.days.YOUNGEST_YOUNG_ADULT and .RUNNING
_YOUNGEST_YOUNG_ADULT = 16
_RUNNING = -1


def fill_statements(dialect: str) -> list[str]:
    """The statements that fill the (empty) table from every referral."""
    sql = _POSTGRESQL if dialect == "postgresql" else _SQLITE
    true = sql["true"]

    def days(later: str, earlier: str) -> str:
        return sql["days"].format(later=later, earlier=earlier)

    to_place = days("start_date", sql["received_day"])
    parts = [
        f"SELECT 'received' AS measure, {sql['received_day']} AS day,"
        f" CASE WHEN child_heard {true} THEN 1 ELSE 0 END AS value, 0 AS detail, 0 AS total FROM referrals",
        "SELECT 'ended', end_date, CASE WHEN care_type = 'foster_care' THEN 1 ELSE 0 END, 0,"
        f" {days('end_date', 'start_date')} FROM referrals WHERE end_date IS NOT NULL",
        f"SELECT 'follow_on', end_date, {days('next_residential_start', 'end_date')}, 0, 0 FROM referrals"
        " WHERE end_date IS NOT NULL AND care_type = 'foster_care' AND next_residential_start IS NOT NULL",
        f"SELECT 'started', start_date, CASE WHEN {to_place} < 0 THEN 0 ELSE {to_place} END, 0, 0"
        " FROM referrals WHERE start_date IS NOT NULL",
        f"SELECT 'in_region', start_date, 0, 0, 0 FROM referrals"
        f" WHERE start_date IS NOT NULL AND placement_in_region {true}",
        f"SELECT 'part_time', start_date, 0, 0, 0 FROM referrals WHERE start_date IS NOT NULL AND part_time {true}",
        f"SELECT 'contracted', start_date, CASE WHEN placement_contracted {true} THEN 1 ELSE 0 END, 0, 0"
        " FROM referrals WHERE start_date IS NOT NULL AND placement_contracted IS NOT NULL",
        f"SELECT 'young', start_date, age, CASE WHEN end_date IS NULL THEN {_RUNNING}"
        f" ELSE {days('end_date', 'start_date')} END, 0"
        f" FROM (SELECT start_date, end_date, {sql['age']} AS age FROM referrals WHERE start_date IS NOT NULL)"
        f" AS stays WHERE age >= {_YOUNGEST_YOUNG_ADULT}",
    ]
    union = "\n    UNION ALL ".join(parts)
    return [
        "DELETE FROM indicator_days",
        "INSERT INTO indicator_days (measure, day, value, detail, stays, total_days)\n"
        "SELECT measure, day, value, detail, count(*), coalesce(sum(total), 0) FROM (\n"
        f"    {union}\n) AS parts GROUP BY measure, day, value, detail",
    ]


def upgrade() -> None:
    op.create_table(
        "indicator_days",
        sa.Column("measure", sa.String(16), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        sa.Column("value", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("detail", sa.Integer, nullable=False, autoincrement=False),
        sa.Column("stays", sa.Integer, nullable=False),
        sa.Column("total_days", sa.Integer, nullable=False),
        sa.PrimaryKeyConstraint("measure", "day", "value", "detail", name="pk_indicator_days"),
    )
    for statement in fill_statements(op.get_bind().dialect.name):
        op.execute(statement)
    op.create_index(
        "ix_referrals_later_stays", "referrals", ["earlier_stays_end", "start_date", "end_date", "client_key"]
    )


def downgrade() -> None:
    op.drop_index("ix_referrals_later_stays", table_name="referrals")
    op.drop_table("indicator_days")
