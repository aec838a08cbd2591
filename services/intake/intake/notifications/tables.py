"""Tables of the notifications: subscriptions, the events written with the change that caused them,
one delivery per event and subscription channel, and every attempt of a delivery."""

import sqlalchemy as sa

from intake.db import metadata

webhook_subscriptions = sa.Table(
    "webhook_subscriptions",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    # Whose events: `provider` (provider_id), `organisation` (referrer_org) or `all` (coordinators).
    sa.Column("scope", sa.String(16), nullable=False),
    sa.Column("provider_id", sa.String(36), nullable=True),
    sa.Column("referrer_org", sa.String(200), nullable=True),
    sa.Column("created_by", sa.String(200), nullable=False),
    sa.Column("url", sa.String(2000), nullable=True),
    sa.Column("email", sa.String(320), nullable=True),
    sa.Column("events", sa.JSON, nullable=False),
    # The signing key (whsec_…), kept as it is: signing needs it in the clear (see docs/architecture.md).
    sa.Column("secret", sa.String(100), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_webhook_subscriptions_provider_id", "provider_id"),
    sa.Index("ix_webhook_subscriptions_referrer_org", "referrer_org"),
)

notification_events = sa.Table(
    "notification_events",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("event_type", sa.String(64), nullable=False),
    # Set for an event that must be raised once per condition (a proposal's expiry notice).
    sa.Column("event_key", sa.String(200), nullable=True, unique=True),
    sa.Column("provider_id", sa.String(36), nullable=True),
    sa.Column("referrer_org", sa.String(200), nullable=True),
    # {"type", "timestamp", "data"}: ids, statuses and times only.
    sa.Column("body", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)

notification_deliveries = sa.Table(
    "notification_deliveries",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    # The webhook-id: the same over every attempt of this delivery.
    sa.Column("message_id", sa.String(64), nullable=False),
    sa.Column("subscription_id", sa.String(36), nullable=False),
    sa.Column("event_id", sa.String(36), nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("given_up_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_notification_deliveries_next_attempt_at", "next_attempt_at"),
    sa.Index("ix_notification_deliveries_subscription_id", "subscription_id"),
)

notification_attempts = sa.Table(
    "notification_attempts",
    metadata,
    sa.Column("id", sa.String(36), primary_key=True),
    sa.Column("delivery_id", sa.String(36), nullable=False),
    sa.Column("subscription_id", sa.String(36), nullable=False),
    sa.Column("message_id", sa.String(64), nullable=False),
    sa.Column("event_type", sa.String(64), nullable=False),
    sa.Column("attempt", sa.Integer, nullable=False),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("error", sa.String(500), nullable=True),
    sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_notification_attempts_subscription_id", "subscription_id", "attempted_at"),
)
