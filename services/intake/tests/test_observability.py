"""What an operator reads: request ids on every log line and answer, traces across the three
services, the domain's metrics, and the outbox's done rows forgotten after a week."""

from __future__ import annotations

import io
import json
import logging
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
import structlog
from fastapi import APIRouter, FastAPI
from intake_support import provider_with_unit, submitted
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from common.app import create_service_app
from common.clock import ManualClock
from common.db import Database
from common.logging import configure_logging, get_logger
from common.migrations import upgrade_to_head_async
from common.settings import CommonSettings
from common.testing import create_database, drop_database
from common.tracing import trace_app, trace_service_clients


@pytest.fixture
def json_logs() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("INFO", json=True)
    written = io.StringIO()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(written)
    yield written
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


def _failing_app(tmp_path: Path) -> FastAPI:
    router = APIRouter()
    log = get_logger("regiepunt.test")

    @router.get("/v1/fails")
    async def fails() -> None:
        log.info("about_to_fail")
        try:
            int("not a number")
        except ValueError:
            log.exception("failed_inside")
        raise RuntimeError("a bug")

    return create_service_app(
        name="intake",
        settings=CommonSettings(),
        database=Database(f"sqlite+aiosqlite:///{tmp_path / 'unused.db'}"),
        migrations_dir=Path(__file__).parent,
        routers=[router],
    )


async def test_every_log_line_and_the_500_answer_carry_the_request_id(tmp_path: Path, json_logs: io.StringIO) -> None:
    app = _failing_app(tmp_path)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://intake") as client:
        response = await client.get("/v1/fails", headers={"X-Request-ID": "req-42"})

    assert response.status_code == 500
    assert response.headers["X-Request-ID"] == "req-42"
    lines = [json.loads(line) for line in json_logs.getvalue().splitlines() if line.startswith("{")]
    events = {line["event"]: line for line in lines}
    assert {"about_to_fail", "failed_inside", "unhandled_error", "request"} <= set(events), lines
    for event in ("about_to_fail", "failed_inside", "unhandled_error", "request"):
        assert events[event]["request_id"] == "req-42", events[event]
    # The traceback, as frames without the message (which may quote what a person typed).
    assert "ValueError" in events["failed_inside"]["exception"]
    assert "in fails" in events["failed_inside"]["exception"]
    assert "not a number" not in json_logs.getvalue()


@pytest.fixture
async def traced_services(tmp_path: Path, clock: ManualClock) -> AsyncIterator[tuple[InMemorySpanExporter, dict]]:
    """The three services, each with its own fresh database, traced into one in-memory exporter."""
    from capacity.main import MIGRATIONS_DIR as CAPACITY_MIGRATIONS
    from capacity.main import create_app as create_capacity
    from capacity.settings import CapacitySettings
    from intake.main import MIGRATIONS_DIR as INTAKE_MIGRATIONS
    from intake.main import create_app as create_intake
    from intake.settings import IntakeSettings
    from matching.main import MIGRATIONS_DIR as MATCHING_MIGRATIONS
    from matching.main import create_app as create_matching
    from matching.settings import MatchingSettings

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    databases = {}
    for name, migrations in (
        ("capacity", CAPACITY_MIGRATIONS),
        ("matching", MATCHING_MIGRATIONS),
        ("intake", INTAKE_MIGRATIONS),
    ):
        url, pg_name = await create_database(name, tmp_path)
        await upgrade_to_head_async(migrations, url)
        databases[name] = (url, pg_name)
    capacity = create_capacity(
        CapacitySettings(capacity_database_url=databases["capacity"][0], run_workers=False), clock=clock
    )
    matching = create_matching(
        MatchingSettings(matching_database_url=databases["matching"][0], run_workers=False),
        clock=clock,
        capacity_transport=httpx.ASGITransport(app=capacity),
    )
    intake = create_intake(
        IntakeSettings(intake_database_url=databases["intake"][0], run_workers=False),
        clock=clock,
        capacity_transport=httpx.ASGITransport(app=capacity),
        matching_transport=httpx.ASGITransport(app=matching),
    )
    for app in (capacity, matching, intake):
        trace_app(app, app.state.database.engine, provider)
        trace_service_clients(app, provider)
    try:
        yield exporter, {"capacity": capacity, "matching": matching, "intake": intake}
    finally:
        for app in (capacity, matching, intake):
            await app.state.database.dispose()
        for _url, pg_name in databases.values():
            await drop_database(pg_name)


async def test_a_referral_is_one_trace_across_intake_matching_and_capacity(traced_services: tuple) -> None:
    exporter, apps = traced_services
    clients = {
        name: httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}")
        for name, app in apps.items()
    }
    async with clients["capacity"], clients["intake"]:
        await provider_with_unit(clients["capacity"])
        exporter.clear()
        await submitted(clients["intake"])

    spans = exporter.get_finished_spans()
    submit = next(s for s in spans if s.kind.name == "SERVER" and s.name == "POST /v1/referrals")
    in_trace = [s for s in spans if s.context.trace_id == submit.context.trace_id]
    names = {s.name for s in in_trace}
    # Intake answered; matching decided (called by intake): its read model, empty at first, read the
    # changes from capacity, and it held the place there. Each with its database statements.
    assert {"POST /v1/referrals", "POST /v1/decisions", "GET /internal/changes"} <= names, names
    assert "POST /internal/units/{unit_id}/reservations" in names, names
    assert sum(1 for s in in_trace if s.kind.name == "CLIENT" and s.name in {"GET", "POST"}) >= 3
    statements = [s for s in in_trace if s.kind.name == "CLIENT" and any(k.startswith("db.") for k in s.attributes)]
    assert {s.name.split()[0] for s in statements} >= {"SELECT", "INSERT", "UPDATE"}
    assert len(spans) == len(in_trace), "every span of the referral belongs to its trace"


async def test_metrics_show_the_outbox_the_expiring_proposals_the_workers_and_the_pool(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    from intake.workers import forget_done_outbox_rows, run_step

    await provider_with_unit(capacity, role="strategic", care_type="crisis")
    await submitted(intake, _crisis_body())
    clock.advance(timedelta(hours=3, minutes=30))  # half an hour before the crisis proposal lapses
    await run_step(intake_app, forget_done_outbox_rows)

    text = (await intake.get("/metrics")).text

    assert 'regiepunt_proposals_expiring_soon{service="intake"} 1.0' in text
    assert 'regiepunt_outbox_backlog{outbox="match_requests",service="intake"} 0.0' in text
    assert "regiepunt_outbox_oldest_age_seconds" in text
    assert 'regiepunt_worker_runs_total{service="intake",step="forget_done_outbox_rows"}' in text
    assert 'regiepunt_db_pool_connections_in_use{service="intake"}' in text


def _crisis_body() -> dict:
    from intake_support import referral_body

    return referral_body(care_type="crisis")


async def test_outbox_rows_done_more_than_a_week_ago_are_deleted(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    from intake.db import capacity_commands
    from intake.workers import forget_done_outbox_rows

    now = clock.now()
    rows = {
        "done long ago": now - timedelta(days=8),
        "done this week": now - timedelta(days=6),
        "not done": None,
    }
    async with intake_app.state.database.transaction() as session:
        for kind, done_at in rows.items():
            await session.execute(
                sa.insert(capacity_commands).values(
                    id=str(uuid.uuid4()),
                    referral_id=str(uuid.uuid4()),
                    kind=kind,
                    target_id=str(uuid.uuid4()),
                    payload={},
                    created_at=now - timedelta(days=9),
                    attempts=1,
                    next_attempt_at=now,
                    done_at=done_at,
                )
            )

    assert await forget_done_outbox_rows(intake_app) == 1

    async with intake_app.state.database.read() as session:
        kept = set((await session.execute(sa.select(capacity_commands.c.kind))).scalars())
    assert kept == {"done this week", "not done"}


async def test_a_background_step_logs_and_calls_under_one_request_id_of_its_own(
    intake_app: FastAPI, capacity: httpx.AsyncClient, json_logs: io.StringIO
) -> None:
    from intake.workers import run_step

    step_log = get_logger("regiepunt.test.step")
    # A read that changes nothing is logged at debug (polls are not news); this test reads the line.
    logging.getLogger().setLevel(logging.DEBUG)

    async def look_at_capacity(app: FastAPI) -> int:
        step_log.info("looking")
        await app.state.capacity.get("/v1/units")
        return 0

    await run_step(intake_app, look_at_capacity)

    lines = [json.loads(line) for line in json_logs.getvalue().splitlines() if line.startswith("{")]
    looking = next(line for line in lines if line["event"] == "looking")
    answered = next(line for line in lines if line["event"] == "request" and line.get("route") == "/v1/units")
    assert looking["request_id"] and answered["request_id"] == looking["request_id"]
