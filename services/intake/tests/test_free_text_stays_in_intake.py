"""Free text typed by a person (notes, justifications, reasons, notes of a signal, analyses, what the child
said, needs written as words before needs were codes) stays in intake: it reaches neither capacity nor
matching, no log line and no export; what leaves is codes."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest
import sqlalchemy as sa
import structlog
from fastapi import FastAPI
from intake_support import (
    COORDINATOR,
    OTHER_VALID_BSN,
    REFERRER,
    fresh_bsn,
    peer_replaced,
    provider_headers,
    provider_with_unit,
    referral_body,
    submitted,
)

from common.logging import configure_logging
from intake import workers
from intake.db import referrals

MARKER = "Vrije-tekst-7QX4"


@pytest.fixture
def service_logs(caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]) -> Iterator[Callable[[], str]]:
    """Everything the services log, at the most talkative level, as they log it when they run."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("DEBUG", json=True)
    root.addHandler(caplog.handler)
    caplog.set_level(logging.DEBUG)

    def written() -> str:
        out, err = capfd.readouterr()
        return out + err + caplog.text + "".join(repr(r.__dict__) for r in caplog.records)

    yield written
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


class Recorder(httpx.AsyncBaseTransport):
    """The real service behind it, with a copy of every request intake sends it."""

    def __init__(self, app: FastAPI) -> None:
        self.inner = httpx.ASGITransport(app=app)
        self.sent: list[str] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(f"{request.method} {request.url} {request.content.decode()}")
        return await self.inner.handle_async_request(request)


async def _every_value(app: FastAPI, metadata: sa.MetaData) -> str:
    """Every row of every table of a service's database, as text."""
    seen = []
    async with app.state.database.engine.connect() as connection:
        for table in metadata.sorted_tables:
            seen += [repr(tuple(row)) for row in (await connection.execute(sa.select(table))).all()]
    return "\n".join(seen)


async def test_free_text_reaches_no_other_service_no_log_and_no_export(
    intake: httpx.AsyncClient,
    capacity: httpx.AsyncClient,
    intake_app: FastAPI,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    service_logs: Callable[[], str],
) -> None:
    from capacity.db import metadata as capacity_tables
    from intake.db import metadata as intake_tables
    from matching.db import metadata as matching_tables

    to_capacity, to_matching = Recorder(capacity_app), Recorder(matching_app)
    async with peer_replaced(intake_app, "capacity", to_capacity), peer_replaced(intake_app, "matching", to_matching):
        await _use_every_free_text_field(intake, capacity, intake_app)
    exports = [
        await intake.get(f"/v1/exports/{name}", headers=COORDINATOR) for name in ("placements.csv", "signals.csv")
    ]
    assert [response.status_code for response in exports] == [200, 200]
    assert exports[1].text.count("\n") > 3  # the exports did carry the child's records

    logs = service_logs()
    assert "proposal_declined" in logs  # the logs were captured, as the services write them
    assert MARKER not in logs
    assert any("/v1/decisions" in sent for sent in to_matching.sent)
    assert any("/v1/group-decisions" in sent for sent in to_matching.sent)
    # The wishes did travel, as codes: a child's alone, and a sibling's with its group.
    assert any('"wishes":["near_family","small_group"]' in sent for sent in to_matching.sent)
    assert any("/v1/group-decisions" in sent and '"wishes":["near_school"]' in sent for sent in to_matching.sent)
    assert any("/confirm" in sent for sent in to_capacity.sent)
    assert MARKER not in "\n".join(to_matching.sent + to_capacity.sent)
    assert MARKER not in await _every_value(capacity_app, capacity_tables)
    assert MARKER not in await _every_value(matching_app, matching_tables)
    for export in exports:
        assert MARKER not in export.text
    # What was typed is kept where it belongs.
    assert (await _every_value(intake_app, intake_tables)).count(MARKER) >= 12


async def _use_every_free_text_field(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI
) -> None:
    """A crisis referral with notes and a justification, declined with a reason, placed, reported at
    risk, extended, analysed, followed by an onward referral, ended; the workers run after it."""
    first_provider, _first_unit = await provider_with_unit(capacity, role="strategic", care_type="crisis")
    second_provider, _second_unit = await provider_with_unit(capacity, role="tactical", care_type="crisis")
    body = referral_body(
        care_type="crisis",
        notes=f"Notitie {MARKER}",
        out_of_region={"criterion": "safety", "justification": f"Onderbouwing van de grond {MARKER}"},
        # The child's own words: its wishes go to matching as codes, what it said stays here.
        child_voice={"heard": True, "wishes": ["near_family", "small_group"], "note": f"Wat het kind zei {MARKER}"},
        max_travel_km=40,
    )
    body["client"]["school_municipality_code"] = "GM0503"
    referral = await submitted(intake, body)
    assert referral["status"] == "proposed"
    # Needs written as words before needs were codes, kept by the migration beside the codes: the
    # decline below matches the child again, and only the codes go to matching.
    async with intake_app.state.database.transaction() as session:
        await session.execute(
            sa.update(referrals).where(referrals.c.id == referral["id"]).values(needs_free_text=[f"paard {MARKER}"])
        )
    proposed_to = referral["proposal"]["provider_id"]
    other = second_provider if proposed_to == first_provider else first_provider

    declined = await intake.post(
        f"/v1/referrals/{referral['id']}/decline",
        json={"reason": f"Reden van afwijzen {MARKER}"},
        headers=provider_headers(proposed_to),
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["proposal"]["provider_id"] == other
    headers = provider_headers(other)
    accepted = await intake.post(
        f"/v1/referrals/{referral['id']}/accept", json={"start_date": "2026-11-02"}, headers=headers
    )
    assert accepted.status_code == 200, accepted.text
    raised = await intake.post(
        f"/v1/referrals/{referral['id']}/signals",
        json={"type": "placement_at_risk", "note": f"Zorg over het verblijf {MARKER}"},
        headers=headers,
    )
    assert raised.status_code == 201, raised.text
    extended = await intake.post(
        f"/v1/referrals/{referral['id']}/extend-crisis",
        json={"days": 5, "reason": f"Reden van verlengen {MARKER}"},
        headers=COORDINATOR,
    )
    assert extended.status_code == 200, extended.text
    acknowledged = await intake.post(
        f"/v1/signals/{raised.json()['id']}/acknowledge",
        json={"analysis": f"Verklarende analyse {MARKER}"},
        headers=COORDINATOR,
    )
    assert acknowledged.status_code == 200, acknowledged.text
    # A new referral for the child while it is placed: an onward-placement signal, matched again.
    await submitted(intake, referral_body(notes=f"Vervolg {MARKER}"))
    ended = await intake.post(
        f"/v1/referrals/{referral['id']}/end", json={"end_date": "2026-11-02", "reason": "breakdown"}, headers=headers
    )
    assert ended.status_code == 200, ended.text
    await submitted(intake, referral_body(client={**body["client"], "bsn": OTHER_VALID_BSN}, notes=MARKER))
    await _split_siblings(intake)
    for step in workers.STEPS:
        await step(intake_app)


async def _split_siblings(intake: httpx.AsyncClient) -> None:
    """Siblings with notes and what each said, kept together and then split with a justification, and
    siblings split at submission with one: the justification of a split is typed by a person too."""
    voice = {"heard": True, "wishes": ["near_school"], "note": f"Wat het kind zei {MARKER}"}
    children = [
        referral_body(client={**referral_body()["client"], "bsn": fresh_bsn()}, notes=MARKER, child_voice=voice)
        for _ in "ab"
    ]
    together = await intake.post("/v1/referral-groups", json={"referrals": children}, headers=REFERRER)
    assert together.status_code == 201, together.text
    split = {"code": "safety_between_siblings", "justification": f"Onderbouwing van de splitsing {MARKER}"}
    later = await intake.post(f"/v1/referral-groups/{together.json()['id']}/split", json=split, headers=REFERRER)
    assert later.status_code == 200, later.text
    children = [referral_body(client={**referral_body()["client"], "bsn": fresh_bsn()}) for _ in "ab"]
    at_once = {"referrals": children, "keep_together": False, "split": split}
    assert (await intake.post("/v1/referral-groups", json=at_once, headers=REFERRER)).status_code == 201
