"""The pure rules of a browser's sign-in: where it may be sent after, how long it lasts, its CSRF token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from intake.sessions import rules

TWELVE_HOURS = timedelta(hours=12)


@pytest.mark.parametrize(
    "candidate",
    ["/dashboard", "/dashboard?from=2026-01-05&to=2026-03-01", "/dashboard/referrals/abc#history", "/portal"],
)
def test_a_path_on_this_site_is_kept(candidate: str) -> None:
    assert rules.local_path(candidate) == candidate


@pytest.mark.parametrize(
    "candidate",
    [
        None,
        "",
        "dashboard",
        "https://evil.example/",
        "http:/evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "\\\\evil.example",
        "/dash\nboard",
        "/dash\x7fboard",
        "javascript:alert(1)",
        "/login?next=/dashboard",
        "/logout",
        "/auth/callback?code=x",
        "/" + "a" * rules.MAX_NEXT_LENGTH,
    ],
)
def test_anything_that_could_leave_the_site_or_loop_is_dropped(candidate: str | None) -> None:
    assert rules.local_path(candidate) is None


def test_coordinators_land_on_the_dashboard_and_everyone_else_on_the_portal() -> None:
    assert rules.landing_page("coordinator") == "/dashboard"
    assert {rules.landing_page(role) for role in ("referrer", "provider", "auditor")} == {"/portal"}


def test_the_session_lasts_as_long_as_the_providers_session_where_it_says_so() -> None:
    assert rules.session_lifetime({"expires_in": 300, "refresh_expires_in": 1800}, TWELVE_HOURS) == timedelta(
        minutes=30
    )


def test_else_as_long_as_the_access_token_and_never_longer_than_the_cap() -> None:
    assert rules.session_lifetime({"expires_in": 3600}, TWELVE_HOURS) == timedelta(hours=1)
    assert rules.session_lifetime({"expires_in": 86_400 * 30}, TWELVE_HOURS) == TWELVE_HOURS
    # Keycloak's offline sessions say 0: no end of their own, so the cap applies.
    assert rules.session_lifetime({"refresh_expires_in": 0, "expires_in": 600}, TWELVE_HOURS) == timedelta(minutes=10)
    assert rules.session_lifetime({"expires_in": True}, TWELVE_HOURS) == TWELVE_HOURS
    assert rules.session_lifetime({}, TWELVE_HOURS) == TWELVE_HOURS


def test_the_csrf_token_belongs_to_one_session_and_one_secret() -> None:
    token = rules.csrf_token("secret", "session-a")
    assert rules.csrf_ok("secret", "session-a", token)
    assert not rules.csrf_ok("secret", "session-b", token)
    assert not rules.csrf_ok("other-secret", "session-a", token)
    assert not rules.csrf_ok("secret", "session-a", None)


def test_the_session_key_is_the_cookies_hash_not_the_cookie() -> None:
    key = rules.session_id("cookie-value")
    assert key != "cookie-value" and len(key) == 64 and key == rules.session_id("cookie-value")
