"""Idempotency-Key on POST /v1/referrals: a repeated request gets the first answer, nothing new."""

import httpx
from intake_support import COORDINATOR, OTHER_REFERRER, provider_with_unit, referral_body, submit, with_client


async def test_same_key_and_body_answers_the_first_answer_and_creates_nothing(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await provider_with_unit(capacity, capacity=3)
    first = await submit(intake, key="verwijzing-42")
    again = await submit(intake, key="verwijzing-42")
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    listed = (await intake.get("/v1/referrals", headers=COORDINATOR)).json()["items"]
    assert [item["id"] for item in listed] == [first.json()["id"]]
    units = (await capacity.get("/v1/units", headers=COORDINATOR)).json()["items"]
    assert [u["reserved"] for u in units] == [1]


async def test_same_key_with_another_body_is_409(intake: httpx.AsyncClient) -> None:
    first = await submit(intake, key="verwijzing-43")
    assert first.status_code == 201
    other = await submit(intake, with_client(birth_date="2013-05-01"), key="verwijzing-43")
    assert other.status_code == 409
    assert other.headers["content-type"].startswith("application/problem+json")


async def test_keys_of_different_referrers_do_not_collide(intake: httpx.AsyncClient) -> None:
    first = await submit(intake, key="1")
    second = await submit(intake, referral_body(care_type="secure"), key="1", headers=OTHER_REFERRER)
    assert second.status_code == 201
    assert second.json()["id"] != first.json()["id"]


async def test_without_a_key_every_post_creates_a_referral(intake: httpx.AsyncClient) -> None:
    first = await submit(intake)
    second = await submit(intake)
    assert first.json()["id"] != second.json()["id"]
