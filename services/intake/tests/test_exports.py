"""CSV exports over real HTTP: the header, one row per stay or signal, the pseudonymous client key and
never a BSN, not even one typed into free text."""

import csv
import io
import json

import httpx
from intake_support import (
    COORDINATOR,
    OTHER_VALID_BSN,
    REFERRER,
    VALID_BSN,
    provider_headers,
    provider_with_unit,
    submitted,
    with_client,
)

from intake.domain import CLIENT_KEY_LENGTH

THIRD_BSN = "100000009"


def rows_of(response: httpx.Response) -> list[list[str]]:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.text)))


async def region_with_signals(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> tuple[str, str]:
    """A placed child reported at risk (with its BSN in the note), a stay ended in a breakdown, and a
    waiting child. Returns (placed referral id, ended referral id)."""
    provider_id, _unit = await provider_with_unit(capacity, capacity=2)
    headers = provider_headers(provider_id)
    placed = await submitted(intake, with_client(bsn=VALID_BSN))
    await intake.post(f"/v1/referrals/{placed['id']}/accept", json={"start_date": "2026-10-20"}, headers=headers)
    note = f"Moeder belt over kind met BSN {VALID_BSN}; dreigt weg te lopen."
    raised = await intake.post(
        f"/v1/referrals/{placed['id']}/signals", json={"type": "placement_at_risk", "note": note}, headers=headers
    )
    assert raised.status_code == 201
    ended = await submitted(intake, with_client(bsn=OTHER_VALID_BSN))
    await intake.post(f"/v1/referrals/{ended['id']}/accept", json={"start_date": "2026-10-01"}, headers=headers)
    await intake.post(
        f"/v1/referrals/{ended['id']}/end", json={"end_date": "2026-10-30", "reason": "breakdown"}, headers=headers
    )
    waiting = await submitted(intake, with_client(bsn=THIRD_BSN, birth_date="2020-01-01"))
    assert waiting["status"] == "unmatched"
    return str(placed["id"]), str(ended["id"])


async def test_placements_export_has_one_row_per_stay_by_client_key(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    placed_id, ended_id = await region_with_signals(intake, capacity)
    response = await intake.get("/v1/exports/placements.csv", headers=COORDINATOR)
    header, *rows = rows_of(response)
    assert 'filename="placements.csv"' in response.headers["content-disposition"]
    assert header == [
        "referral_id",
        "client_key",
        "status",
        "care_type",
        "target_group",
        "part_time",
        "municipality_code",
        "age_at_start",
        "referral_date",
        "provider_id",
        "unit_id",
        "in_region",
        "out_of_region_criterion",
        "start_date",
        "end_date",
        "end_reason",
        "crisis_end_date",
        "child_heard",
        "contracted",
    ]
    by_id = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    # Oldest start first; the waiting child has no stay and no row.
    assert [row[0] for row in rows] == [ended_id, placed_id]
    ended = by_id[ended_id]
    assert (ended["status"], ended["start_date"], ended["end_date"], ended["end_reason"]) == (
        "ended",
        "2026-10-01",
        "2026-10-30",
        "breakdown",
    )
    assert (ended["age_at_start"], ended["in_region"], ended["part_time"]) == ("14", "true", "false")
    assert ended["contracted"] == "true"
    placed = by_id[placed_id]
    assert (placed["status"], placed["end_date"], placed["referral_date"]) == ("placed", "", "2026-11-02")
    # The client key is the pseudonym the signals carry, the same for every export.
    signals = (await intake.get("/v1/signals", headers=COORDINATOR)).json()["items"]
    keys = {s["referral_id"]: s["client_key"] for s in signals}
    assert placed["client_key"] == keys[placed_id]
    assert len(placed["client_key"]) == CLIENT_KEY_LENGTH
    assert placed["client_key"] != ended["client_key"]
    for bsn in (VALID_BSN, OTHER_VALID_BSN, THIRD_BSN):
        assert bsn not in response.text


async def test_signals_export_has_every_signal_without_free_text_or_bsn(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    placed_id, ended_id = await region_with_signals(intake, capacity)
    response = await intake.get("/v1/exports/signals.csv", headers=COORDINATOR)
    header, *rows = rows_of(response)
    assert header == [
        "signal_id",
        "type",
        "status",
        "referral_id",
        "client_key",
        "created_at",
        "acknowledged_by",
        "acknowledged_at",
        "detail",
    ]
    listed = (await intake.get("/v1/signals", headers=COORDINATOR)).json()["items"]
    assert sorted(row[0] for row in rows) == sorted(s["id"] for s in listed)
    exported = {row[1]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(exported) == {"placement_at_risk", "placement_breakdown", "unmatched"}
    at_risk = exported["placement_at_risk"]
    assert at_risk["referral_id"] == placed_id
    assert at_risk["status"] == "open"
    assert "note" not in json.loads(at_risk["detail"])
    assert "notes" not in json.loads(at_risk["detail"])
    assert json.loads(exported["placement_breakdown"]["detail"])["end_date"] == "2026-10-30"
    assert exported["placement_breakdown"]["referral_id"] == ended_id
    for bsn in (VALID_BSN, OTHER_VALID_BSN, THIRD_BSN):
        assert bsn not in response.text


async def test_acknowledged_signals_are_exported_with_who_and_when(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    await submitted(intake)
    [signal] = (await intake.get("/v1/signals", headers=COORDINATOR)).json()["items"]
    await intake.post(
        f"/v1/signals/{signal['id']}/acknowledge",
        json={"analysis": "Partners zoeken samen een plek."},
        headers=COORDINATOR,
    )
    header, row = rows_of(await intake.get("/v1/exports/signals.csv", headers=COORDINATOR))
    exported = dict(zip(header, row, strict=True))
    assert (exported["status"], exported["acknowledged_by"], exported["acknowledged_at"]) == (
        "acknowledged",
        "coco",
        "2026-11-02T09:00:00+00:00",
    )


async def test_exports_are_written_to_the_access_log(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    placed_id, _ended_id = await region_with_signals(intake, capacity)
    await intake.get("/v1/exports/placements.csv", headers=COORDINATOR)
    await intake.get("/v1/exports/signals.csv", headers=COORDINATOR)
    log = (await intake.get(f"/v1/referrals/{placed_id}/access-log", headers=COORDINATOR)).json()["items"]
    actions = [e["action"] for e in log if e["sub"] == "coco"]
    assert "export_placements" in actions
    assert "export_signals" in actions


async def test_exports_are_for_coordinators(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    provider_id, _unit = await provider_with_unit(capacity)
    for path in ("/v1/exports/placements.csv", "/v1/exports/signals.csv"):
        assert (await intake.get(path, headers=REFERRER)).status_code == 403
        assert (await intake.get(path, headers=provider_headers(provider_id))).status_code == 403
        assert (await intake.get(path)).status_code == 401
