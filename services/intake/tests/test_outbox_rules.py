"""The outbox's retry pause, pure: it doubles with each failed attempt and stops growing."""

from datetime import timedelta

from intake.outbox.rules import MAX_RETRY_SECONDS, retry_delay


def test_the_pause_doubles_with_each_failed_attempt() -> None:
    assert [retry_delay(5, attempts) for attempts in range(4)] == [
        timedelta(seconds=5),
        timedelta(seconds=10),
        timedelta(seconds=20),
        timedelta(seconds=40),
    ]


def test_the_pause_stops_doubling_and_never_exceeds_its_ceiling() -> None:
    assert retry_delay(1, 6) == retry_delay(1, 60) == timedelta(seconds=64)
    assert retry_delay(5, 100) == timedelta(seconds=MAX_RETRY_SECONDS)
