"""The rules of a browser's sign-in, pure: where a browser may be sent after it, how long it lasts, and
the values its cookie and its forms carry."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

# Longest `next` kept; a real page of the point is far shorter.
MAX_NEXT_LENGTH = 2000
# Pages of the sign-in itself are never a place to come back to.
_NOT_A_DESTINATION = ("/login", "/logout", "/auth/")


def local_path(candidate: str | None) -> str | None:
    """`next` when it is a path on this site, None for anything that could send the browser elsewhere:
    an absolute URL, a scheme-relative `//host`, a backslash some browsers read as a slash, control
    characters, or a page of the sign-in itself."""
    if not candidate or len(candidate) > MAX_NEXT_LENGTH:
        return None
    if not candidate.startswith("/") or candidate.startswith("//") or "\\" in candidate:
        return None
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in candidate):
        return None
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return None
    if parts.path.startswith(_NOT_A_DESTINATION):
        return None
    return candidate


def landing_page(role: str) -> str:
    """Where a person goes after signing in without a page to come back to."""
    return "/dashboard" if role == "coordinator" else "/portal"


def session_lifetime(token_response: Mapping[str, Any], longest: timedelta) -> timedelta:
    """How long a session opened with this token response may last: as long as the identity provider's
    own session (`refresh_expires_in`, where it says so, as Keycloak does), else as long as the access
    token it issued (`expires_in`), and never longer than `longest`."""
    for name in ("refresh_expires_in", "expires_in"):
        seconds = token_response.get(name)
        if isinstance(seconds, int | float) and not isinstance(seconds, bool) and seconds > 0:
            return min(timedelta(seconds=seconds), longest)
    return longest


def session_id(cookie_value: str) -> str:
    """The key of a session's row: the cookie's SHA-256, so that the table alone signs nobody in."""
    return hashlib.sha256(cookie_value.encode()).hexdigest()


def csrf_token(secret: str, session_key: str) -> str:
    """A form's CSRF token: bound to the session, so it needs no state of its own and dies with it."""
    return hmac.new(secret.encode(), f"csrf:{session_key}".encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: str, session_key: str, submitted: str | None) -> bool:
    return submitted is not None and hmac.compare_digest(submitted, csrf_token(secret, session_key))
