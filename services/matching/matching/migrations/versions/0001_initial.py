"""decisions and the units weighed for each

Revision ID: 0001
Revises:
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decisions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("request_id", sa.String(200), nullable=False),
        sa.Column("referral_id", sa.String(36), nullable=False),
        sa.Column("client_key", sa.String(200), nullable=False),
        sa.Column("care_type", sa.String(32), nullable=False),
        sa.Column("target_group", sa.String(16), nullable=False),
        sa.Column("age", sa.Integer(), nullable=False),
        sa.Column("municipality_code", sa.String(16), nullable=False),
        sa.Column("needs", sa.JSON(), nullable=False),
        sa.Column("part_time", sa.Boolean(), nullable=False),
        sa.Column("out_of_region", sa.String(16), nullable=True),
        sa.Column("known_provider_ids", sa.JSON(), nullable=False),
        sa.Column("excluded_unit_ids", sa.JSON(), nullable=False),
        sa.Column("offered_unit_id", sa.String(36), nullable=True),
        sa.Column("hold_until", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("proposed_unit_id", sa.String(36), nullable=True),
        sa.Column("proposed_provider_id", sa.String(36), nullable=True),
        sa.Column("proposed_in_region", sa.Boolean(), nullable=True),
        sa.Column("reservation_id", sa.String(36), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("proposal_reasons", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_decisions")),
        sa.UniqueConstraint("request_id", name=op.f("uq_decisions_request_id")),
    )
    op.create_index(op.f("ix_decisions_referral_id"), "decisions", ["referral_id"])
    op.create_index(op.f("ix_decisions_created_at"), "decisions", ["created_at"])
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


def downgrade() -> None:
    op.drop_table("decision_candidates")
    op.drop_table("decisions")
