"""A unit's specialisms are codes of the vocabulary's needs; what a provider says about a unit in words is
its description."""

from __future__ import annotations

import httpx
import pytest
from factories import COORDINATOR, SERVICE, create_provider, create_unit, get_unit, unit_body


@pytest.mark.parametrize(
    ("specialisms", "field", "says"),
    [
        (["trauma", "traumasensitief"], "specialisms.1", "'traumasensitief' is not a code of the vocabulary's needs"),
        (["hechting", "autism", "paardrijden"], "specialisms.0", "'hechting' is not a code"),
        (["Trauma sensitive care"], "specialisms.0", "should match pattern"),
    ],
)
async def test_a_specialism_that_is_no_code_of_the_vocabulary_is_refused_naming_the_field(
    capacity: httpx.AsyncClient, specialisms: list[str], field: str, says: str
) -> None:
    provider = await create_provider(capacity)
    response = await capacity.post(
        f"/v1/providers/{provider['id']}/units", json=unit_body(specialisms=specialisms), headers=COORDINATOR
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    errors = response.json()["errors"]
    assert errors[0]["field"] == field
    assert says in errors[0]["message"]
    listed = await capacity.get("/v1/units", params={"provider_id": provider["id"]}, headers=COORDINATOR)
    assert listed.json()["total"] == 0


async def test_every_unknown_specialism_is_named(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    body = unit_body(specialisms=["paardrijden", "autism", "sport"])
    response = await capacity.post(f"/v1/providers/{provider['id']}/units", json=body, headers=COORDINATOR)
    assert [error["field"] for error in response.json()["errors"]] == ["specialisms.0", "specialisms.2"]


async def test_a_unit_carries_codes_and_a_description_in_words(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    unit = await create_unit(
        capacity,
        provider["id"],
        specialisms=["trauma", "attachment", "trauma"],
        description="  Kleinschalig woonhuis met paarden op het erf.  ",
    )
    assert unit["specialisms"] == ["trauma", "attachment"]
    assert unit["description"] == "Kleinschalig woonhuis met paarden op het erf."
    assert (await get_unit(capacity, unit["id"]))["description"] == unit["description"]
    listed = await capacity.get("/v1/units", params={"provider_id": provider["id"]}, headers=COORDINATOR)
    assert [item["description"] for item in listed.json()["items"]] == [unit["description"]]
    full = await capacity.get(
        "/v1/candidates", params={"care_type": "residential", "target_group": "jo", "age": 14}, headers=SERVICE
    )
    assert [candidate["description"] for candidate in full.json()["units"]] == [unit["description"]]
    plain = await create_unit(capacity, provider["id"], name="Groep De Eik")
    assert plain["description"] is None


async def test_a_description_is_bounded(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity)
    body = unit_body(description="x" * 2001)
    response = await capacity.post(f"/v1/providers/{provider['id']}/units", json=body, headers=COORDINATOR)
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == ["description"]
