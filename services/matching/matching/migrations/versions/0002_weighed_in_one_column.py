"""the units weighed for a decision in one JSON column; units outside counted instead of listed

A decision over a national capacity register weighs hundreds of units; one row per unit made storing
a decision cost more than taking it. Existing candidate rows are carried over in their read order.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CANDIDATE_FIELDS = ("unit_id", "provider_id", "in_region", "eligible", "excluded_reason", "score", "parts", "rank")

decisions = sa.table(
    "decisions", sa.column("id", sa.String), sa.column("weighed", sa.Text), sa.column("outside_counted", sa.JSON)
)
candidates = sa.table(
    "decision_candidates",
    sa.column("id", sa.Integer),
    sa.column("decision_id", sa.String),
    sa.column("unit_id", sa.String),
    sa.column("provider_id", sa.String),
    sa.column("in_region", sa.Boolean),
    sa.column("eligible", sa.Boolean),
    sa.column("excluded_reason", sa.String),
    sa.column("score", sa.Float),
    sa.column("parts", sa.JSON),
    sa.column("rank", sa.Integer),
    sa.column("chosen", sa.Boolean),
)


def upgrade() -> None:
    op.add_column("decisions", sa.Column("weighed", sa.Text(), nullable=False, server_default="[]"))
    op.add_column("decisions", sa.Column("outside_counted", sa.JSON(), nullable=False, server_default="{}"))
    connection = op.get_bind()
    grouped: dict[str, list[dict[str, Any]]] = {}
    rows = connection.execute(
        sa.select(candidates).order_by(
            candidates.c.decision_id, candidates.c.rank.is_(None), candidates.c.rank, candidates.c.id
        )
    )
    for row in rows.mappings():
        weighed = {name: row[name] for name in (*CANDIDATE_FIELDS, "chosen")}
        grouped.setdefault(row["decision_id"], []).append(weighed)
    for decision_id, weighed_units in grouped.items():
        connection.execute(
            decisions.update().where(decisions.c.id == decision_id).values(weighed=json.dumps(weighed_units))
        )
    op.drop_table("decision_candidates")


def downgrade() -> None:
    op.create_table(
        "decision_candidates",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("decision_id", sa.String(36), nullable=False),
        sa.Column("unit_id", sa.String(36), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=False),
        sa.Column("in_region", sa.Boolean(), nullable=False),
        sa.Column("eligible", sa.Boolean(), nullable=False),
        sa.Column("excluded_reason", sa.String(64), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("parts", sa.JSON(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("chosen", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decisions.id"],
            name=op.f("fk_decision_candidates_decision_id_decisions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decision_candidates")),
    )
    op.create_index(op.f("ix_decision_candidates_decision_id"), "decision_candidates", ["decision_id"])
    connection = op.get_bind()
    for decision_id, weighed in connection.execute(sa.select(decisions.c.id, decisions.c.weighed)):
        rows = [{"decision_id": decision_id, **unit} for unit in json.loads(weighed)]
        if rows:
            connection.execute(candidates.insert(), rows)
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("outside_counted")
        batch.drop_column("weighed")
