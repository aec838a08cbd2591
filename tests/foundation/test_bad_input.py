"""Input that used to reach the code unchecked is refused with a 422 naming the field, never a 500."""

from __future__ import annotations

import httpx
import pytest

from common.testing import bearer, service_bearer
from services.capacity.tests.factories import COORDINATOR, create_provider, create_provider_with_unit, unit_body

REFERRER = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")


def referral(**client: str) -> dict[str, object]:
    return {
        "client": {"bsn": "999990019", "birth_date": "2012-05-01", "municipality_code": "GM0518", **client},
        "care_type": "residential",
        "target_group": "jo",
    }


def refused_fields(response: httpx.Response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("bsn", ["٩٩٩٩٩٠٠١٩", "99999001²", "９９９９９００１９", "99999001٩"])
async def test_a_bsn_of_other_than_ascii_digits_is_refused(intake: httpx.AsyncClient, bsn: str) -> None:
    response = await intake.post("/v1/referrals", json=referral(bsn=bsn), headers=REFERRER)
    assert refused_fields(response) == ["client.bsn"]


# Header bytes are read as latin-1: "²" and "³" are the digits str.isdigit() takes there.
@pytest.mark.parametrize("version", ["²", '"³"', "1²", 'W/"¹"', "1" * 19])
async def test_an_if_match_of_other_than_a_few_ascii_digits_is_refused(
    capacity: httpx.AsyncClient, version: str
) -> None:
    _, unit = await create_provider_with_unit(capacity)
    response = await capacity.put(
        f"/v1/units/{unit['id']}/availability",
        json={"capacity": 4, "blocked": 0},
        headers={**COORDINATOR, "If-Match": version.encode("latin-1")},  # type: ignore[dict-item]
    )
    assert refused_fields(response) == ["If-Match"]


@pytest.mark.parametrize("agb_code", ["١٢٣٤٥٦٧٨", "1234567²", "１２３４５６７８"])
async def test_an_agb_code_of_other_than_ascii_digits_is_refused(capacity: httpx.AsyncClient, agb_code: str) -> None:
    response = await capacity.post(
        "/v1/providers", json={"name": "Horizon", "agb_code": agb_code, "role": "tactical"}, headers=COORDINATOR
    )
    assert refused_fields(response) == ["agb_code"]


@pytest.mark.parametrize("code", ["GM٠٥١٨", "GM051²"])
async def test_a_municipality_code_of_other_than_ascii_digits_is_refused(
    capacity: httpx.AsyncClient, intake: httpx.AsyncClient, code: str
) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(municipality_code=code), headers=COORDINATOR
    )
    assert refused_fields(response) == ["municipality_code"]
    response = await intake.post("/v1/referrals", json=referral(municipality_code=code), headers=REFERRER)
    assert refused_fields(response) == ["client.municipality_code"]


# --- NUL characters: PostgreSQL cannot store them, and answered 500 ---------------------------------

NUL_MESSAGE = "must not contain a NUL character"


def refused_nul(response: httpx.Response) -> str:
    [field] = refused_fields(response)
    assert NUL_MESSAGE in response.json()["errors"][0]["message"]
    return field


@pytest.mark.parametrize(
    ("path", "headers"),
    [
        ("/v1/referrals/abc%00def", bearer("coordinator")),
        ("/v1/referrals/abc%00def/access-log", bearer("coordinator")),
    ],
)
async def test_a_nul_in_an_intake_id_is_refused(intake: httpx.AsyncClient, path: str, headers: dict[str, str]) -> None:
    assert refused_nul(await intake.get(path, headers=headers)) == "id"


async def test_a_nul_in_a_capacity_or_matching_id_is_refused(
    capacity: httpx.AsyncClient, matching: httpx.AsyncClient
) -> None:
    assert refused_nul(await capacity.get("/v1/units/u%00", headers=COORDINATOR)) == "id"
    assert refused_nul(await capacity.get("/v1/providers/p%00", headers=COORDINATOR)) == "id"
    assert refused_nul(await matching.get("/v1/decisions/d%00", headers=service_bearer("intake"))) == "decision_id"


async def test_a_nul_in_a_filter_is_refused(matching: httpx.AsyncClient) -> None:
    response = await matching.get("/v1/decisions", params={"referral_id": "r\x00"}, headers=service_bearer("intake"))
    assert refused_nul(response) == "referral_id"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"notes": "bel\x00moeder"}, "notes"),
        ({"needs": ["trauma", "\x00"]}, "needs.1"),
        ({"out_of_region": {"criterion": "safety", "justification": "x" * 30 + "\x00"}}, "out_of_region.justification"),
    ],
)
async def test_a_nul_in_a_json_string_is_refused_naming_the_field(
    intake: httpx.AsyncClient, change: dict[str, object], field: str
) -> None:
    response = await intake.post("/v1/referrals", json={**referral(), **change}, headers=REFERRER)
    assert refused_nul(response) == field


async def test_a_nul_in_a_name_is_refused(capacity: httpx.AsyncClient) -> None:
    response = await capacity.post(
        "/v1/providers", json={"name": "Hori\x00zon", "agb_code": "12345678", "role": "tactical"}, headers=COORDINATOR
    )
    assert refused_nul(response) == "name"


async def test_a_nul_in_an_idempotency_key_is_refused(intake: httpx.AsyncClient) -> None:
    headers = {**REFERRER, "Idempotency-Key": b"key\x00one"}  # type: ignore[dict-item]
    response = await intake.post("/v1/referrals", json=referral(), headers=headers)
    assert refused_nul(response) == "Idempotency-Key"


async def test_a_nul_in_a_token_claim_is_refused(intake: httpx.AsyncClient) -> None:
    headers = bearer("referrer", org="Wijkteam\x00Delft", referrer_type="local_team")
    response = await intake.post("/v1/referrals", json=referral(), headers=headers)
    assert response.status_code == 401, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert "not valid" in response.json()["detail"]


async def test_a_nul_in_a_dashboard_form_is_refused(intake: httpx.AsyncClient) -> None:
    response = await intake.post(
        "/dashboard/signals/s-1/acknowledge",
        content=b"analysis=bel%00moeder&csrf=x",
        headers={**bearer("coordinator"), "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert refused_nul(response) == "analysis"
