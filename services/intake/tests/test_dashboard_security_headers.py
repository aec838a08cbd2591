"""The dashboard's pages tell the browser to run only the point's own files: a Content-Security-Policy
without 'unsafe-inline', no sniffing of content types, no referrer, no framing."""

from __future__ import annotations

import re

import httpx
from intake_support import COORDINATOR, REFERRER, referral_body, submitted

# A page needs nothing inline: its script and its styles are files of its own.
INLINE = re.compile(r"<script(?![^>]*\ssrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=", re.IGNORECASE)


def assert_locked_down(response: httpx.Response) -> None:
    policy = {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in response.headers["content-security-policy"].split(";"))
        if directive
    }
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


async def test_the_sign_in_page_sends_the_policy(intake: httpx.AsyncClient) -> None:
    response = await intake.get("/login")
    assert response.status_code == 200
    assert_locked_down(response)
    assert not INLINE.search(response.text)


async def test_the_overview_and_a_referral_page_send_the_policy_and_need_nothing_inline(
    intake: httpx.AsyncClient,
) -> None:
    referral = await submitted(intake, referral_body(), headers=REFERRER)
    for path in ("/dashboard", f"/dashboard/referrals/{referral['id']}"):
        response = await intake.get(path, headers=COORDINATOR)
        assert response.status_code == 200, response.text
        assert_locked_down(response)
        inline = INLINE.search(response.text)
        assert inline is None, f"{path} has {inline.group(0)!r}, which the policy blocks"


async def test_the_pages_own_files_are_not_sniffed(intake: httpx.AsyncClient) -> None:
    for name, kind in (("dashboard.js", "javascript"), ("dashboard.css", "text/css")):
        response = await intake.get(f"/dashboard/static/{name}")
        assert response.status_code == 200
        assert kind in response.headers["content-type"]
        assert response.headers["x-content-type-options"] == "nosniff"
