"""The child's voice through the whole point: whether it was heard, its wishes in the ranking with their
reasons and shown to the provider, its own words kept for its referrer, and the share of referrals in
which the child was heard."""

from __future__ import annotations

import csv
import io
from typing import Any

import httpx
import pytest
from intake_support import (
    COORDINATOR,
    OTHER_REFERRER,
    OTHER_VALID_BSN,
    create_provider,
    create_unit,
    provider_headers,
    referral_body,
    submit,
    submitted,
)

from common.clock import ManualClock

NOTE = "Ik wil graag bij mijn zus in de buurt blijven."


def voiced(*wishes: str, heard: bool = True, note: str | None = NOTE, **fields: Any) -> dict[str, Any]:
    return referral_body(child_voice={"heard": heard, "wishes": list(wishes), "note": note}, **fields)


async def test_the_wish_for_a_small_group_picks_the_smaller_unit_with_its_reason(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider = await create_provider(capacity)
    await create_unit(capacity, provider, name="Groot", capacity=12)
    small = await create_unit(capacity, provider, name="Klein", capacity=3)

    referral = await submitted(intake, voiced("small_group"))

    assert referral["proposal"]["unit_id"] == small["id"]
    assert "the child wished a small group: 3 places" in referral["proposal"]["reasons"]
    stored = (await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=COORDINATOR)).json()["items"][0]
    parts = {c["unit_id"]: c["parts"] for c in stored["candidates"]}
    assert parts[small["id"]]["wish_small_group"] == 10.0
    assert stored["labels"]["wish_small_group"] == {
        "nl": "Wens van het kind: een kleine groep",
        "en": "The child's wish: a small group",
    }
    assert stored["labels"]["small_group"] == {"nl": "Een kleine groep", "en": "A small group"}


async def test_without_the_wish_the_group_size_does_not_count(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider = await create_provider(capacity)
    await create_unit(capacity, provider, name="Groot", capacity=12)
    await create_unit(capacity, provider, name="Klein", capacity=3)

    referral = await submitted(intake, voiced("with_siblings"))

    stored = (await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=COORDINATOR)).json()["items"][0]
    assert all("wish_small_group" not in c["parts"] for c in stored["candidates"])
    assert len({c["score"] for c in stored["candidates"]}) == 1


async def test_the_wish_to_be_near_family_and_school_count_with_their_reasons(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider = await create_provider(capacity)
    home = await create_unit(capacity, provider, municipality_code="GM0518")
    school = await create_unit(capacity, provider, municipality_code="GM0637")
    body = voiced("near_school", "near_family")
    body["client"]["school_municipality_code"] = "GM0637"

    referral = await submitted(intake, body)

    stored = (await intake.get(f"/v1/referrals/{referral['id']}/decision", headers=COORDINATOR)).json()["items"][0]
    parts = {c["unit_id"]: c["parts"] for c in stored["candidates"]}
    assert parts[home["id"]]["wish_near_family"] == 10.0
    assert parts[school["id"]]["wish_near_school"] == 10.0
    reasons = referral["proposal"]["reasons"]
    assert any(reason.startswith("the child wished to be near school: ") for reason in reasons)
    assert any(reason.startswith("the child wished to be near family: ") for reason in reasons)


async def test_the_provider_sees_the_wishes_but_not_the_childs_words(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider = await create_provider(capacity)
    await create_unit(capacity, provider)

    referral = await submitted(intake, voiced("same_language", "faith"))

    assert "wishes passed on to the provider: faith, same language" in referral["proposal"]["reasons"]
    as_referrer = referral["child_voice"]
    as_provider = (await intake.get(f"/v1/referrals/{referral['id']}", headers=provider_headers(provider))).json()
    as_coordinator = (await intake.get(f"/v1/referrals/{referral['id']}", headers=COORDINATOR)).json()
    assert as_referrer == {"heard": True, "wishes": ["same_language", "faith"], "note": NOTE}
    assert as_provider["child_voice"] == {"heard": True, "wishes": ["same_language", "faith"], "note": None}
    assert as_coordinator["child_voice"]["note"] == NOTE


async def test_another_referrer_does_not_see_the_childs_words(intake: httpx.AsyncClient) -> None:
    referral = await submitted(intake, voiced("near_family"))
    other = await intake.get(f"/v1/referrals/{referral['id']}", headers=OTHER_REFERRER)
    assert other.status_code == 404


@pytest.mark.parametrize(
    ("voice", "field"),
    [
        ({"heard": True, "wishes": ["near_the_sea"]}, "child_voice.wishes.0"),
        ({"heard": True, "wishes": ["near_school", "Near School"]}, "child_voice.wishes.1"),
        ({"wishes": ["near_school"]}, "child_voice.heard"),
        ({"heard": "ja", "wishes": []}, "child_voice.heard"),
        ({"heard": True, "note": "x" * 4001}, "child_voice.note"),
        ({"heard": True, "feelings": "blij"}, "child_voice.feelings"),
    ],
)
async def test_a_bad_voice_is_refused_naming_the_field(
    intake: httpx.AsyncClient, voice: dict[str, Any], field: str
) -> None:
    response = await submit(intake, referral_body(child_voice=voice))

    assert response.status_code == 422, response.text
    assert [error["field"] for error in response.json()["errors"]] == [field]


async def test_the_share_of_referrals_in_which_the_child_was_heard(
    intake: httpx.AsyncClient, clock: ManualClock
) -> None:
    await submitted(intake, voiced("near_family"))
    await submitted(
        intake, voiced(heard=False, note=None, client={**referral_body()["client"], "bsn": OTHER_VALID_BSN})
    )
    await submitted(intake, referral_body(client={**referral_body()["client"], "bsn": "100000009"}))
    await submitted(intake, voiced(note=None, client={**referral_body()["client"], "bsn": "100000010"}))

    today = clock.now().date().isoformat()
    report = (await intake.get("/v1/kpis", params={"from": today, "to": today}, headers=COORDINATOR)).json()
    heard = next(indicator for indicator in report["indicators"] if indicator["name"] == "child_heard")
    assert (heard["value"], heard["numerator"], heard["denominator"], heard["unit"]) == (50.0, 2, 4, "percent")
    earlier = (
        await intake.get("/v1/kpis", params={"from": "2026-01-01", "to": "2026-01-31"}, headers=COORDINATOR)
    ).json()
    assert next(i for i in earlier["indicators"] if i["name"] == "child_heard")["value"] is None


async def test_the_placements_export_says_whether_the_child_was_heard(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider = await create_provider(capacity)
    await create_unit(capacity, provider, capacity=2)
    heard = await submitted(intake, voiced("near_family"))
    silent = await submitted(intake, referral_body(client={**referral_body()["client"], "bsn": OTHER_VALID_BSN}))
    for referral in (heard, silent):
        accepted = await intake.post(
            f"/v1/referrals/{referral['id']}/accept",
            json={"start_date": "2026-11-02"},
            headers=provider_headers(provider),
        )
        assert accepted.status_code == 200, accepted.text

    export = await intake.get("/v1/exports/placements.csv", headers=COORDINATOR)

    rows = {row["referral_id"]: row for row in csv.DictReader(io.StringIO(export.text))}
    assert rows[heard["id"]]["child_heard"] == "true"
    assert rows[silent["id"]]["child_heard"] == ""
    assert NOTE not in export.text
