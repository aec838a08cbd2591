"""notifications: webhook and e-mail subscriptions, the events, their deliveries and attempts

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-05
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "webhook_subscriptions",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("scope", sa.String(16), nullable=False),
        sa.Column("provider_id", sa.String(36), nullable=True),
        sa.Column("referrer_org", sa.String(200), nullable=True),
        sa.Column("created_by", sa.String(200), nullable=False),
        sa.Column("url", sa.String(2000), nullable=True),
        sa.Column("email", sa.String(320), nullable=True),
        sa.Column("events", sa.JSON(), nullable=False),
        sa.Column("secret", sa.String(100), nullable=False),
        _when("created_at", nullable=False),
        _when("deleted_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_subscriptions")),
    )
    op.create_index("ix_webhook_subscriptions_provider_id", "webhook_subscriptions", ["provider_id"])
    op.create_index("ix_webhook_subscriptions_referrer_org", "webhook_subscriptions", ["referrer_org"])
    op.create_table(
        "notification_events",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("event_key", sa.String(200), nullable=True),
        sa.Column("provider_id", sa.String(36), nullable=True),
        sa.Column("referrer_org", sa.String(200), nullable=True),
        sa.Column("body", sa.JSON(), nullable=False),
        _when("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_events")),
        sa.UniqueConstraint("event_key", name=op.f("uq_notification_events_event_key")),
    )
    op.create_table(
        "notification_deliveries",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("subscription_id", sa.String(36), nullable=False),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _when("next_attempt_at"),
        _when("claimed_until"),
        _when("delivered_at"),
        _when("given_up_at"),
        _when("created_at", nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_deliveries")),
    )
    op.create_index("ix_notification_deliveries_next_attempt_at", "notification_deliveries", ["next_attempt_at"])
    op.create_index("ix_notification_deliveries_subscription_id", "notification_deliveries", ["subscription_id"])
    op.create_table(
        "notification_attempts",
        sa.Column("id", sa.String(36), nullable=False),
        sa.Column("delivery_id", sa.String(36), nullable=False),
        sa.Column("subscription_id", sa.String(36), nullable=False),
        sa.Column("message_id", sa.String(64), nullable=False),
        sa.Column("event_type", sa.String(64), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("error", sa.String(500), nullable=True),
        _when("attempted_at", nullable=False),
        _when("next_attempt_at"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification_attempts")),
    )
    op.create_index(
        "ix_notification_attempts_subscription_id", "notification_attempts", ["subscription_id", "attempted_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_notification_attempts_subscription_id", table_name="notification_attempts")
    op.drop_table("notification_attempts")
    op.drop_index("ix_notification_deliveries_subscription_id", table_name="notification_deliveries")
    op.drop_index("ix_notification_deliveries_next_attempt_at", table_name="notification_deliveries")
    op.drop_table("notification_deliveries")
    op.drop_table("notification_events")
    op.drop_index("ix_webhook_subscriptions_referrer_org", table_name="webhook_subscriptions")
    op.drop_index("ix_webhook_subscriptions_provider_id", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
