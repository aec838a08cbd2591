"""When the outbox tries again, pure: the pause after a failed attempt doubles with each attempt, up to
a ceiling, so that a service that is down is not hammered and one that is back is soon used again."""

from __future__ import annotations

from datetime import timedelta

# The pause doubles for the first attempts only, and never exceeds this many seconds.
MAX_DOUBLINGS = 6
MAX_RETRY_SECONDS = 300


def retry_delay(base_seconds: float, attempts: int) -> timedelta:
    """The pause before the next attempt of an outbox row that has failed `attempts` times before."""
    return timedelta(seconds=min(base_seconds * (2 ** min(attempts, MAX_DOUBLINGS)), MAX_RETRY_SECONDS))
