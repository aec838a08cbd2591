"""The security officer (role auditor): the access log across referrals, subject access requests, the
refused reads in the log, and nothing else of the point open to that role."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    OTHER_VALID_BSN,
    REFERRER,
    SERVICE,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
    with_client,
)

from common.auth import decode_token
from common.clock import ManualClock
from common.testing import TEST_SECRET, bearer
from intake import domain

AUDITOR = bearer("auditor", org="Regiepunt Haaglanden", sub="fg-officer")
UNKNOWN_ID = "00000000-0000-0000-0000-00000000beef"


async def log_page(intake: httpx.AsyncClient, **params: Any) -> dict[str, Any]:
    response = await intake.get("/v1/access-log", params=params, headers=AUDITOR)
    assert response.status_code == 200, response.text
    page: dict[str, Any] = response.json()
    return page


# --- the role ---------------------------------------------------------------------------------------


def test_the_token_helper_mints_an_auditor_token(capsys: pytest.CaptureFixture[str]) -> None:
    from common.tokens import main

    main(["--role", "auditor", "--sub", "fg-officer"])
    principal = decode_token(capsys.readouterr().out.strip(), TEST_SECRET)
    assert (principal.role, principal.sub) == ("auditor", "fg-officer")


def _calls(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) of an app's API that needs a token, with a made-up id in each path parameter."""
    found = []
    for path, operations in app.openapi()["paths"].items():
        if path in OPEN_PATHS:
            continue
        for method in operations:
            found.append((method.upper(), re.sub(r"\{[^}]+\}", UNKNOWN_ID, path)))
    return found


OPEN_PATHS = {"/healthz", "/readyz"}
AUDITOR_CALLS = {("GET", "/v1/access-log"), ("POST", "/v1/subject-access")}


async def test_every_other_call_of_every_service_refuses_the_auditor(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    matching: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
) -> None:
    answered: dict[str, int] = {}
    for client, app in ((intake, intake_app), (capacity, capacity_app), (matching, matching_app)):
        for method, path in _calls(app):
            if (method, path) in AUDITOR_CALLS and client is intake:
                continue
            response = await client.request(
                method, path, json={} if method in ("POST", "PUT") else None, headers=AUDITOR
            )
            answered[f"{client.base_url.host} {method} {path}"] = response.status_code
    assert len(answered) > 20
    assert {call: status for call, status in answered.items() if status != 403} == {}


async def test_the_dashboard_refuses_the_auditor(intake: httpx.AsyncClient) -> None:
    assert (await intake.get("/dashboard", headers=AUDITOR)).status_code == 403
    assert (await intake.get(f"/dashboard/referrals/{UNKNOWN_ID}", headers=AUDITOR)).status_code == 403


async def test_no_other_role_reads_the_access_log_or_asks_for_a_childs_data(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    for headers in (COORDINATOR, REFERRER, SERVICE, provider_headers(provider_id)):
        assert (await intake.get("/v1/access-log", headers=headers)).status_code == 403
        asked = await intake.post("/v1/subject-access", json={"bsn": OTHER_VALID_BSN}, headers=headers)
        assert asked.status_code == 403
    assert (await intake.get("/v1/access-log")).status_code == 401


# --- GET /v1/access-log -------------------------------------------------------------------------------


async def test_the_auditor_reads_the_access_log_across_referrals_newest_first(intake: httpx.AsyncClient) -> None:
    first = await submitted(intake)
    second = await submitted(intake, with_client(bsn=OTHER_VALID_BSN), headers=OTHER_REFERRER)
    await intake.get(f"/v1/referrals/{first['id']}", headers=REFERRER)
    page = await log_page(intake)
    rows = [(e["action"], e["actor"], e["actor_role"], e["referral_id"]) for e in page["items"]]
    assert rows == [
        ("read", "anna", "referrer", first["id"]),
        ("unmatched", "system:intake", "service", second["id"]),
        ("create", "bart", "referrer", second["id"]),
        ("unmatched", "system:intake", "service", first["id"]),
        ("create", "anna", "referrer", first["id"]),
    ]
    assert page["total"] == 5
    assert page["next_offset"] is None
    newest = page["items"][0]
    assert set(newest) == {"id", "at", "actor", "actor_role", "actor_org", "action", "referral_id"}
    assert newest["actor_org"] == "Wijkteam Delft"
    assert newest["at"] == "2026-11-02T09:00:00Z"


async def test_the_access_log_filters_by_actor_referral_action_and_period(
    intake: httpx.AsyncClient, clock: ManualClock
) -> None:
    first = await submitted(intake)
    clock.set(clock.now().replace(day=5, hour=14))
    second = await submitted(intake, with_client(bsn=OTHER_VALID_BSN), headers=OTHER_REFERRER)

    def ids(page: dict[str, Any]) -> list[tuple[str, str]]:
        return [(e["action"], e["referral_id"]) for e in page["items"]]

    assert ids(await log_page(intake, actor="bart")) == [("create", second["id"])]
    assert ids(await log_page(intake, referral_id=first["id"])) == [
        ("unmatched", first["id"]),
        ("create", first["id"]),
    ]
    assert ids(await log_page(intake, action="create")) == [("create", second["id"]), ("create", first["id"])]
    assert ids(await log_page(intake, action="create", **{"from": "2026-11-03"})) == [("create", second["id"])]
    assert ids(await log_page(intake, action="create", to="2026-11-02")) == [("create", first["id"])]
    moment = {"from": "2026-11-05T14:00:00Z", "to": "2026-11-05T14:00:00+00:00"}
    assert ids(await log_page(intake, action="create", **moment)) == [("create", second["id"])]
    assert ids(await log_page(intake, action="create", **{"from": "2026-11-05T14:00:01"})) == []


async def test_the_access_log_pages(intake: httpx.AsyncClient) -> None:
    for _ in range(3):
        await submitted(intake)
    first = await log_page(intake, action="create", limit=2)
    assert (first["total"], first["limit"], first["offset"], first["next_offset"]) == (3, 2, 0, 2)
    rest = await log_page(intake, action="create", limit=2, offset=2)
    assert (len(rest["items"]), rest["next_offset"]) == (1, None)
    seen = [e["id"] for e in first["items"] + rest["items"]]
    assert len(set(seen)) == 3


async def test_every_read_of_the_access_log_is_itself_logged(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    await log_page(intake)
    await log_page(intake, referral_id=referral["id"])
    reads = (await log_page(intake, action="audit_read"))["items"]
    # The third read lists the two before it; it is logged itself once it has read.
    assert [(e["actor"], e["actor_role"], e["referral_id"]) for e in reads] == [
        ("fg-officer", "auditor", referral["id"]),
        ("fg-officer", "auditor", None),
    ]
    assert (await log_page(intake, action="audit_read"))["total"] == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "yesterday"}, "from"),
        ({"to": "9999-12-31"}, "to"),
        ({"from": "0001-01-01"}, "from"),
        ({"from": "0001-01-01T00:00:00+01:00"}, "from"),
        ({"to": "9999-12-31T23:59:59.999999"}, "to"),
        ({"from": "2026-11-05", "to": "2026-11-01"}, "from"),
        ({"limit": "0"}, "limit"),
        ({"limit": "501"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"offset": "9223372036854775808"}, "offset"),
        ({"actor": "a\x00b"}, "actor"),
        ({"referral_id": "x" * 37}, "referral_id"),
    ],
)
async def test_bad_access_log_filters_are_422_naming_the_field(
    intake: httpx.AsyncClient, params: dict[str, str], field: str
) -> None:
    response = await intake.get("/v1/access-log", params=params, headers=AUDITOR)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in response.json()["errors"]] == [field]


# --- refused reads ------------------------------------------------------------------------------------


async def test_a_refused_read_is_404_and_in_the_access_log(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake)
    refused = await intake.get(f"/v1/referrals/{referral['id']}", headers=OTHER_REFERRER)
    assert refused.status_code == 404
    assert refused.headers["content-type"].startswith("application/problem+json")
    unknown = await intake.get(f"/v1/referrals/{UNKNOWN_ID}", headers=OTHER_REFERRER)
    assert unknown.status_code == 404
    # The same answer for a record that exists and one that does not: ids cannot be probed.
    assert refused.json()["title"] == unknown.json()["title"]
    probes = (await log_page(intake, action="read_refused"))["items"]
    assert [(e["actor"], e["actor_org"], e["referral_id"]) for e in probes] == [
        ("bart", "Huisartsenpraktijk Rijswijk", UNKNOWN_ID),
        ("bart", "Huisartsenpraktijk Rijswijk", referral["id"]),
    ]


async def test_refusals_on_every_path_to_a_referral_are_logged(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    referral = await submitted(intake)
    stranger = provider_headers((await provider_with_unit(capacity, role="operational", care_type="foster_care"))[0])
    attempts = [
        ("POST", f"/v1/referrals/{referral['id']}/withdraw", OTHER_REFERRER, None),
        ("POST", f"/v1/referrals/{referral['id']}/accept", stranger, {"start_date": "2026-11-02"}),
        ("POST", f"/v1/referrals/{referral['id']}/signals", stranger, {"type": "placement_at_risk", "note": "n"}),
        ("POST", f"/v1/referrals/{UNKNOWN_ID}/extend-crisis", COORDINATOR, {"days": 3, "reason": "Nog geen plek."}),
        ("GET", f"/v1/referrals/{UNKNOWN_ID}/access-log", COORDINATOR, None),
    ]
    for method, path, headers, body in attempts:
        response = await intake.request(method, path, json=body, headers=headers)
        assert response.status_code == 404, (path, response.text)
    probes = (await log_page(intake, action="read_refused"))["items"]
    assert [(e["actor_role"], e["referral_id"]) for e in reversed(probes)] == [
        ("referrer", referral["id"]),
        ("provider", referral["id"]),
        ("provider", referral["id"]),
        ("coordinator", UNKNOWN_ID),
        ("coordinator", UNKNOWN_ID),
    ]


async def test_a_refused_dashboard_page_is_logged(intake: httpx.AsyncClient) -> None:
    assert (await intake.get(f"/dashboard/referrals/{UNKNOWN_ID}", headers=COORDINATOR)).status_code == 404
    probes = (await log_page(intake, action="read_refused"))["items"]
    assert [(e["actor"], e["referral_id"]) for e in probes] == [("coco", UNKNOWN_ID)]


# --- POST /v1/subject-access --------------------------------------------------------------------------


async def test_subject_access_answers_everything_intake_holds_about_the_child(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    provider_id, unit = await provider_with_unit(capacity, role="strategic", care_type="crisis", capacity=2)
    body = referral_body(
        care_type="crisis",
        notes="Moeder vraagt om opvang.",
        out_of_region={"criterion": "safety", "justification": "Dreiging vanuit de wijk van de vader."},
    )
    referral = await submitted(intake, body)
    headers = provider_headers(provider_id)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    extended = await intake.post(
        f"/v1/referrals/{referral['id']}/extend-crisis",
        json={"days": 7, "reason": "Vervolgplek start later."},
        headers=COORDINATOR,
    )
    assert extended.status_code == 200, extended.text
    raised = await intake.post(
        f"/v1/referrals/{referral['id']}/signals",
        json={"type": "placement_at_risk", "note": "Loopt weg uit de groep."},
        headers=headers,
    )
    signal_id = raised.json()["id"]
    acknowledged = await intake.post(
        f"/v1/signals/{signal_id}/acknowledge", json={"analysis": "Besproken met de gezinsvoogd."}, headers=COORDINATOR
    )
    assert acknowledged.status_code == 200, acknowledged.text
    other_child = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))

    response = await intake.post("/v1/subject-access", json={"bsn": "111222333"}, headers=AUDITOR)
    assert response.status_code == 200, response.text
    answer = response.json()
    secret = intake_app.state.settings.client_key_secret
    assert answer["client_key"] == domain.client_key(secret, "111222333")
    [held] = answer["referrals"]
    assert held["id"] == referral["id"]
    assert held["client"] == {"bsn": "111222333", "birth_date": "2012-05-01", "municipality_code": "GM0518"}
    assert held["notes"] == "Moeder vraagt om opvang."
    assert held["out_of_region"]["justification"] == "Dreiging vanuit de wijk van de vader."
    assert (held["status"], held["referrer_org"], held["referrer_sub"]) == ("placed", "Wijkteam Delft", "anna")
    assert held["placement"]["unit_id"] == unit["id"]
    assert [e["reason"] for e in held["crisis_extensions"]] == ["Vervolgplek start later."]
    at_risk = [s for s in held["signals"] if s["type"] == "placement_at_risk"]
    assert [(s["status"], s["analysis"]) for s in at_risk] == [("acknowledged", "Besproken met de gezinsvoogd.")]
    assert at_risk[0]["detail"]["note"] == "Loopt weg uit de groep."
    actions = [e["action"] for e in answer["access_log"]]
    assert actions[:3] == ["create", "propose", "accept"]
    assert {e["referral_id"] for e in answer["access_log"]} == {referral["id"]}
    assert other_child["id"] not in response.text

    # The request itself is logged, once for each referral found.
    logged = (await log_page(intake, action="subject_access"))["items"]
    assert [(e["actor"], e["referral_id"]) for e in logged] == [("fg-officer", referral["id"])]


async def test_subject_access_lists_the_decline_reasons(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, unit = await provider_with_unit(capacity)
    referral = await submitted(intake)
    declined = await intake.post(
        f"/v1/referrals/{referral['id']}/decline",
        json={"reason": "Groep is te onrustig."},
        headers=provider_headers(provider_id),
    )
    assert declined.status_code == 200, declined.text
    answer = (await intake.post("/v1/subject-access", json={"bsn": "111222333"}, headers=AUDITOR)).json()
    [held] = answer["referrals"]
    assert [(d["provider_id"], d["unit_id"], d["reason"], d["declined_by"]) for d in held["declines"]] == [
        (provider_id, unit["id"], "Groep is te onrustig.", "piet")
    ]
    assert held["excluded_unit_ids"] == [unit["id"]]


async def test_subject_access_for_a_child_intake_does_not_know_is_empty_and_logged(
    intake: httpx.AsyncClient,
) -> None:
    await submitted(intake)
    response = await intake.post("/v1/subject-access", json={"bsn": OTHER_VALID_BSN}, headers=AUDITOR)
    assert response.status_code == 200
    assert response.json() == {"client_key": None, "referrals": [], "access_log": []}
    logged = (await log_page(intake, action="subject_access"))["items"]
    assert [(e["actor"], e["referral_id"]) for e in logged] == [("fg-officer", None)]


@pytest.mark.parametrize("bsn", ["111222334", "11122233", "1112223330", "٩٩٩٩٩٠٠١٩", "99999001²", " 11122233", ""])
async def test_subject_access_refuses_a_bsn_that_is_not_one_with_422_naming_it(
    intake: httpx.AsyncClient, bsn: str
) -> None:
    response = await intake.post("/v1/subject-access", json={"bsn": bsn}, headers=AUDITOR)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["bsn"]
