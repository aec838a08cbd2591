"""Tables of the intake service: the only place in the point where a child's BSN is stored."""

from typing import Any

import sqlalchemy as sa

from common.db import new_metadata

metadata = new_metadata()


def _id(name: str = "id", **kwargs: Any) -> sa.Column[str]:
    return sa.Column(name, sa.String(36), **kwargs)


def _partial_index(name: str, column: str, where: str) -> sa.Index:
    return sa.Index(name, column, postgresql_where=sa.text(where), sqlite_where=sa.text(where))


referrals = sa.Table(
    "referrals",
    metadata,
    _id(primary_key=True),
    # The readable reference people use for the child's referral: the year it was received and its
    # number in that year, `2026-0042` (intake.referrals.numbering, migration 0015). Null only for rows
    # written outside a submission (bulk loads of history).
    sa.Column("reference", sa.String(16), nullable=True, unique=True),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("referrer_org", sa.String(200), nullable=False),
    sa.Column("referrer_sub", sa.String(200), nullable=False),
    # The submitting referrer's type (local_team, gp, ...), for its iJw code (migration 0015; null before).
    sa.Column("referrer_type", sa.String(32), nullable=True),
    sa.Column("bsn", sa.String(9), nullable=False),
    # `<key id>.<keyed hash of the BSN>` (domain.client_key); 128 as in the contracts (migration 0008).
    sa.Column("client_key", sa.String(128), nullable=False),
    sa.Column("birth_date", sa.Date, nullable=False),
    sa.Column("municipality_code", sa.String(16), nullable=False),
    sa.Column("care_type", sa.String(32), nullable=False),
    sa.Column("target_group", sa.String(16), nullable=False),
    sa.Column("needs", sa.JSON, nullable=False),
    # Needs stored as words before needs were codes, that map to no code (migration 0008): read by
    # intake only, never sent to another service.
    sa.Column("needs_free_text", sa.JSON, nullable=True),
    sa.Column("part_time", sa.Boolean, nullable=False),
    sa.Column("requested_start", sa.Date, nullable=True),
    sa.Column("out_of_region_criterion", sa.String(16), nullable=True),
    sa.Column("out_of_region_justification", sa.Text, nullable=True),
    sa.Column("notes", sa.Text, nullable=True),
    sa.Column("excluded_unit_ids", sa.JSON, nullable=False),
    # Each match request gets the next attempt number, which makes matching's request_id unique.
    sa.Column("match_attempts", sa.Integer, nullable=False),
    sa.Column("proposal_unit_id", sa.String(36), nullable=True),
    sa.Column("proposal_provider_id", sa.String(36), nullable=True),
    sa.Column("proposal_in_region", sa.Boolean, nullable=True),
    sa.Column("proposal_expires_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("proposal_reasons", sa.JSON, nullable=True),
    sa.Column("proposal_reservation_id", sa.String(36), nullable=True),
    sa.Column("proposal_decision_id", sa.String(36), nullable=True),
    sa.Column("placement_unit_id", sa.String(36), nullable=True),
    sa.Column("placement_provider_id", sa.String(36), nullable=True),
    sa.Column("placement_in_region", sa.Boolean, nullable=True),
    # Whether the region contracted the provider when the child was placed (migration 0015); null when
    # capacity could not say at that moment.
    sa.Column("placement_contracted", sa.Boolean, nullable=True),
    sa.Column("placement_reservation_id", sa.String(36), nullable=True),
    sa.Column("placement_occupancy_id", sa.String(36), nullable=True),
    sa.Column("start_date", sa.Date, nullable=True),
    sa.Column("end_date", sa.Date, nullable=True),
    sa.Column("end_reason", sa.String(32), nullable=True),
    sa.Column("crisis_end_date", sa.Date, nullable=True),
    # Derived from the child's other stays and kept up to date with every stay change (intake.indicators.stays),
    # so that the indicators need no window or correlated look-up over the history: the latest end
    # among the child's stays begun before this one (9999-12-31 while one of them runs), and the first
    # start of a residential stay of the child begun after this one.
    sa.Column("earlier_stays_end", sa.Date, nullable=True),
    sa.Column("next_residential_start", sa.Date, nullable=True),
    sa.Column("unmatched_reasons", sa.JSON, nullable=True),
    # The group of siblings the child was referred with (referral_groups), null when referred alone.
    _id("group_id", nullable=True),
    # The child's risk flags and vulnerabilities, codes only (migration 0014; null before).
    sa.Column("risk_flags", sa.JSON, nullable=True),
    sa.Column("vulnerabilities", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    # School, distance, the child's voice and the court's authorisation (intake.referrals.suitability,
    # migration 0012); the note is the child's words and never leaves intake.
    sa.Column("school_municipality_code", sa.String(16), nullable=True),
    sa.Column("max_travel_km", sa.Float, nullable=True),
    sa.Column("child_heard", sa.Boolean, nullable=True),
    sa.Column("child_wishes", sa.JSON, nullable=True),
    sa.Column("child_voice_note", sa.Text, nullable=True),
    sa.Column("court_authorisation_kind", sa.String(16), nullable=True),
    sa.Column("court_authorisation_decided_on", sa.Date, nullable=True),
    sa.Column("court_authorisation_valid_until", sa.Date, nullable=True),
    sa.Column("proposal_distance_home_km", sa.Float, nullable=True),
    sa.Column("proposal_distance_school_km", sa.Float, nullable=True),
    sa.Index("ix_referrals_referrer_org_created_at", "referrer_org", "created_at"),
    sa.Index("ix_referrals_group_id", "group_id"),
    sa.Index("ix_referrals_status_created_at", "status", "created_at"),
    sa.Index("ix_referrals_client_key", "client_key"),
    # A child's referrals under whatever key made their pseudonym: re-keying after a rotation.
    sa.Index("ix_referrals_bsn", "bsn"),
    sa.Index("ix_referrals_status_proposal_expires_at", "status", "proposal_expires_at"),
    # The crisis-cap evaluation and the indicators read stays by these.
    sa.Index("ix_referrals_status_crisis_end_date", "status", "crisis_end_date"),
    sa.Index("ix_referrals_start_date", "start_date"),
    sa.Index("ix_referrals_end_date", "end_date"),
    sa.Index("ix_referrals_created_at", "created_at"),
    # Covering indexes of the indicators: the stays ended in or touching a period, and those begun in it,
    # are read from the index alone instead of from rows spread over ten years of history.
    sa.Index(
        "ix_referrals_stay_period",
        "end_date",
        "start_date",
        "earlier_stays_end",
        "care_type",
        "next_residential_start",
        "client_key",
    ),
    sa.Index(
        "ix_referrals_stay_start",
        "start_date",
        "end_date",
        "birth_date",
        "created_at",
        "placement_in_region",
        "part_time",
    ),
    sa.Index("ix_referrals_client_stays", "client_key", "care_type", "start_date"),
    # The stays an earlier stay of the child reaches into a period: the children in care and the stacked
    # ones are counted from these and the per-day totals (intake.indicators.kpis, migration 0019).
    sa.Index("ix_referrals_later_stays", "earlier_stays_end", "start_date", "end_date", "client_key"),
    # The sweep of court authorisations about to lapse reads the placed stays by their end.
    sa.Index("ix_referrals_status_authorisation", "status", "court_authorisation_valid_until"),
)

# What the indicators count, added up per day and kept in the transaction of every change that alters
# it (intake.indicators.days, migration 0019): a period's indicators read a row per day and figure.
indicator_days = sa.Table(
    "indicator_days",
    metadata,
    sa.Column("measure", sa.String(16), primary_key=True),
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("value", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("detail", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("stays", sa.Integer, nullable=False),
    sa.Column("total_days", sa.Integer, nullable=False),
    # With the sums, so a period's rows are read from the index alone (migration 0021).
    sa.Index("ix_indicator_days_sums", "measure", "day", "value", "detail", "stays", "total_days"),
)

# The last reference number given out per year: the next submission takes it plus one under the row's
# lock, so that concurrent submissions get distinct numbers (intake.referrals.numbering).
referral_numbers = sa.Table(
    "referral_numbers",
    metadata,
    sa.Column("year", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("last_number", sa.Integer, nullable=False),
)

# Every provider a referral was ever proposed to or placed with: what that provider may see.
referral_providers = sa.Table(
    "referral_providers",
    metadata,
    _id("referral_id", primary_key=True),
    _id("provider_id", primary_key=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_referral_providers_provider_id", "provider_id", "created_at"),
)

# Siblings referred together ("broers en zussen samen"): kept together unless a split is recorded, with
# its reason (a code) and justification (free text: it stays here).
referral_groups = sa.Table(
    "referral_groups",
    metadata,
    _id(primary_key=True),
    sa.Column("referrer_org", sa.String(200), nullable=False),
    sa.Column("referrer_sub", sa.String(200), nullable=False),
    sa.Column("keep_together", sa.Boolean, nullable=False),
    # The children's referrals in the order they were submitted.
    sa.Column("referral_ids", sa.JSON, nullable=False),
    sa.Column("split_code", sa.String(64), nullable=True),
    sa.Column("split_justification", sa.Text, nullable=True),
    sa.Column("split_by", sa.String(200), nullable=True),
    sa.Column("split_at", sa.DateTime(timezone=True), nullable=True),
    # Each match request of the group gets the next attempt number, as a referral's do.
    sa.Column("match_attempts", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_referral_groups_referrer_org_created_at", "referrer_org", "created_at"),
)

crisis_extensions = sa.Table(
    "crisis_extensions",
    metadata,
    _id(primary_key=True),
    _id("referral_id", nullable=False),
    sa.Column("days", sa.Integer, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    sa.Column("previous_end_date", sa.Date, nullable=False),
    sa.Column("new_end_date", sa.Date, nullable=False),
    sa.Column("extended_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_crisis_extensions_referral_id", "referral_id", "created_at"),
)

# The durable outbox of match requests: a referral is stored first and matched when matching answers.
match_requests = sa.Table(
    "match_requests",
    metadata,
    _id(primary_key=True),
    _id("referral_id", nullable=False),
    sa.Column("request_id", sa.String(80), nullable=False, unique=True),
    # Set for a provider's offer of one unit; such a request is answered at once, never retried.
    sa.Column("unit_id", sa.String(36), nullable=True),
    # Set for a request about a group of siblings kept together; its referral_id is then the group's id.
    _id("group_id", nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("claimed_by", sa.String(64), nullable=True),
    sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Index("ix_match_requests_open", "done_at", "next_attempt_at"),
    sa.Index("ix_match_requests_referral_id", "referral_id"),
)

# Calls to capacity due after a change stored here (a stay ended here frees the place there): written in
# the change's transaction, sent at once, retried by the workers; capacity's calls are idempotent.
capacity_commands = sa.Table(
    "capacity_commands",
    metadata,
    _id(primary_key=True),
    _id("referral_id", nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    _id("target_id", nullable=False),
    sa.Column("payload", sa.JSON, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Index("ix_capacity_commands_open", "done_at", "next_attempt_at"),
)

# Re-keyed pseudonyms on their way to capacity and matching after a key rotation, written as the child
# is re-keyed, sent in batches, deleted once taken (client_keys.service); one re-keyed again leads to the newest key.
client_key_changes = sa.Table(
    "client_key_changes",
    metadata,
    _id(primary_key=True),
    sa.Column("service", sa.String(16), nullable=False),
    sa.Column("old_key", sa.String(128), nullable=False),
    sa.Column("new_key", sa.String(128), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_error", sa.Text, nullable=True),
    sa.Index("ix_client_key_changes_due", "service", "next_attempt_at"),
    sa.Index("ix_client_key_changes_new_key", "new_key"),
)

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("referrer_org", sa.String(200), primary_key=True),
    sa.Column("key", sa.String(200), primary_key=True),
    sa.Column("body_hash", sa.String(64), nullable=False),
    _id("referral_id", nullable=False),
    # Set for a group of siblings submitted under the key (referral_id is then its first child).
    _id("group_id", nullable=True),
    sa.Column("status_code", sa.Integer, nullable=True),
    sa.Column("response", sa.JSON, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # The answers hold the child's BSN: keys expire and are swept by age (intake.idempotency).
    sa.Index("ix_idempotency_keys_created_at", "created_at"),
)

# Append-only (NEN 7513): who read or changed which child's referral, and when; also who was refused a
# referral (the id as asked, which may name none) and who read the log itself (no referral).
access_log = sa.Table(
    "access_log",
    metadata,
    # A sequence, not a uuid: entries written in the same instant keep the order they were written in.
    sa.Column("seq", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True, autoincrement=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("sub", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("org", sa.String(200), nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    _id("referral_id", nullable=True),
    sa.Column("client_key", sa.String(128), nullable=True),
    sa.Index("ix_access_log_referral_id_at", "referral_id", "at"),
    # The security officer reads the log by actor, by action and by period (GET /v1/access-log).
    sa.Index("ix_access_log_sub_at", "sub", "at"),
    sa.Index("ix_access_log_action_at", "action", "at"),
    sa.Index("ix_access_log_at", "at"),
)

# A provider's reason for declining a proposal: free text, so it stays here and goes to no log line.
proposal_declines = sa.Table(
    "proposal_declines",
    metadata,
    _id(primary_key=True),
    _id("referral_id", nullable=False),
    _id("provider_id", nullable=False),
    _id("unit_id", nullable=False),
    # A code of the vocabulary's decline_reasons (migration 0015), which the region reads for purchasing.
    sa.Column("reason_code", sa.String(64), nullable=False, server_default="other"),
    sa.Column("reason", sa.Text, nullable=True),
    sa.Column("declined_by", sa.String(200), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_proposal_declines_referral_id", "referral_id", "created_at"),
    # The indicators count the declines of a period per reason code and per provider.
    sa.Index("ix_proposal_declines_created_at", "created_at", "provider_id", "reason_code"),
)

# Hours of one-on-one supervision ("1-op-1 begeleiding") of a placed child in an ISO week, recorded by
# the provider of the placement (migration 0015); one row per child and week, written again to correct.
one_on_one_hours = sa.Table(
    "one_on_one_hours",
    metadata,
    _id("referral_id", primary_key=True),
    # ISO week as `2026-W49`, and its Monday, by which the indicators read a period.
    sa.Column("week", sa.String(8), primary_key=True),
    sa.Column("week_start", sa.Date, nullable=False),
    sa.Column("hours", sa.Float, nullable=False),
    _id("provider_id", nullable=False),
    sa.Column("recorded_by", sa.String(200), nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_one_on_one_hours_week_start", "week_start", "hours", "referral_id"),
)

# A coordinator's task about one child: open until acknowledged with an explanatory analysis.
# The predicate of ix_signals_live_conditions, word for word as the resolution check asks it.
LIVE_CONDITIONS = "resolved_at IS NULL AND type NOT IN ('placement_breakdown', 'siblings_split')"

signals = sa.Table(
    "signals",
    metadata,
    _id(primary_key=True),
    sa.Column("type", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    _id("referral_id", nullable=False),
    sa.Column("client_key", sa.String(128), nullable=False),
    # The condition that raised it (type, child, and what about the child); kept after acknowledgement
    # so that a time-driven condition that still holds is not raised again.
    sa.Column("condition_key", sa.String(255), nullable=False),
    # The condition key while the signal is open, null once acknowledged: the unique index is what
    # keeps a second open signal for the same condition out, also under concurrent writers.
    sa.Column("open_key", sa.String(255), nullable=True, unique=True),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("analysis", sa.Text, nullable=True),
    sa.Column("acknowledged_by", sa.String(200), nullable=True),
    sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    # When the condition that raised it had gone (the stay ended, the cap was moved, ...): null while it
    # holds (intake.signals.resolution, migration 0015). Independent of the status: a coordinator still
    # acknowledges a resolved signal with an analysis.
    sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
    sa.Index("ix_signals_status_created_at", "status", "created_at"),
    sa.Index("ix_signals_type_status_created_at", "type", "status", "created_at"),
    sa.Index("ix_signals_client_key_status", "client_key", "status"),
    sa.Index("ix_signals_referral_id", "referral_id"),
    sa.Index("ix_signals_condition_key", "condition_key"),
    sa.Index("ix_signals_created_at", "created_at"),
    # Live signals by type, counted by the overview from the index alone; partial, so that only the
    # narrower index below can serve the resolution check (migration 0021).
    _partial_index("ix_signals_live", "type", "resolved_at IS NULL"),
    # Live signals whose condition can go, read by signals.resolution: not the event-only types of
    # rules.EVENT_ONLY_TYPES, which stay live for ever; follows that list (migration 0020).
    _partial_index("ix_signals_live_conditions", "type", LIVE_CONDITIONS),
)

worker_state = sa.Table(
    "worker_state",
    metadata,
    sa.Column("name", sa.String(64), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)

# A browser's sign-in (GET /login): the cookie holds a random value, the table only its SHA-256, so that a
# copy of the database signs nobody in. The person is kept as the identity provider's token named them.
browser_sessions = sa.Table(
    "browser_sessions",
    metadata,
    sa.Column("id", sa.String(64), primary_key=True),
    sa.Column("sub", sa.String(200), nullable=False),
    sa.Column("role", sa.String(16), nullable=False),
    sa.Column("org", sa.String(200), nullable=False),
    sa.Column("referrer_type", sa.String(32), nullable=True),
    sa.Column("provider_id", sa.String(64), nullable=True),
    # The identity provider's ID token, sent back as the hint when the browser signs out there too.
    sa.Column("id_token", sa.Text, nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
    sa.Index("ix_browser_sessions_expires_at", "expires_at"),
)
