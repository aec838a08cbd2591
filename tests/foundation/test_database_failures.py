"""When the database fails: nothing a person typed reaches a log, and an outage answers 503."""

from __future__ import annotations

import asyncio
import io
import logging
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
import structlog
import uvicorn
from fastapi import FastAPI
from sqlalchemy import text

from common.logging import configure_logging
from common.migrations import upgrade_to_head_async
from common.testing import backend, bearer, create_database, drop_database

BSN = "999990019"
BIRTH_DATE = "2012-05-01"
NOTES = "Moeder belt alleen na 19 uur, vraag naar tante Fenna"
REFERRER = bearer("referrer", org="Wijkteam Delft", sub="anna", referrer_type="local_team")
COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")


@pytest.fixture(params=[True, False], ids=["json", "console"])
def service_logs(request: pytest.FixtureRequest) -> Iterator[io.StringIO]:
    """Everything the services log, formatted as they run (configure_logging at its most talkative
    level, as JSON or for a console), written here instead of to stdout; the logging set-up is put
    back afterwards."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    configure_logging("DEBUG", json=request.param)
    written = io.StringIO()
    for handler in root.handlers:
        if isinstance(handler, logging.StreamHandler):
            handler.setStream(written)
    yield written
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.reset_defaults()


async def _refusing_intake_database(tmp_path: Path) -> tuple[str, str | None]:
    """An intake database whose referrals table refuses every row at the database itself, after the
    service has validated the referral: the failure the service must report without its values."""
    from intake.main import MIGRATIONS_DIR

    url, pg_name = await create_database("intake", tmp_path)
    await upgrade_to_head_async(MIGRATIONS_DIR, url)
    from common.db import make_engine

    engine = make_engine(url)
    async with engine.begin() as connection:
        if backend() == "postgresql":
            # PostgreSQL quotes the whole refused row in the error: "Failing row contains (…)".
            await connection.execute(text("ALTER TABLE referrals ADD CONSTRAINT refuse_all CHECK (length(bsn) = 0)"))
        else:
            await connection.execute(
                text("CREATE TRIGGER refuse_all BEFORE INSERT ON referrals BEGIN SELECT RAISE(ABORT, 'refused'); END")
            )
    await engine.dispose()
    return url, pg_name


@asynccontextmanager
async def _serve(app: FastAPI) -> AsyncIterator[str]:
    """The app behind a real uvicorn server, logging as `serve` does (uvicorn logs what escapes)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        assert not task.done(), "the server did not start"
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_a_referral_the_database_refuses_leaves_no_bsn_in_the_logs(
    tmp_path: Path,
    capacity_app: FastAPI,
    matching_app: FastAPI,
    service_logs: io.StringIO,
) -> None:
    from intake.domain import client_key
    from intake.main import create_app
    from intake.settings import IntakeSettings

    url, pg_name = await _refusing_intake_database(tmp_path)
    settings = IntakeSettings(intake_database_url=url, data_dir=tmp_path, run_workers=False)
    app = create_app(
        settings,
        capacity_transport=httpx.ASGITransport(app=capacity_app),
        matching_transport=httpx.ASGITransport(app=matching_app),
    )
    body = {
        "client": {"bsn": BSN, "birth_date": BIRTH_DATE, "municipality_code": "GM0518"},
        "care_type": "residential",
        "target_group": "jo",
        "needs": ["trauma"],
        "out_of_region": {"criterion": "safety", "justification": NOTES + " (veiligheid)"},
        "notes": NOTES,
    }
    try:
        async with _serve(app) as base_url, httpx.AsyncClient(base_url=base_url) as client:
            response = await client.post("/v1/referrals", json=body, headers=REFERRER)
            # A path holds what the caller typed, too.
            probe = await client.get(f"/v1/referrals/{BSN}", headers=REFERRER)
    finally:
        await drop_database(pg_name)

    assert response.status_code == 500, response.text
    assert probe.status_code == 404, probe.text
    assert response.headers["content-type"] == "application/problem+json"
    written = service_logs.getvalue()
    assert "unhandled_error" in written and "IntegrityError" in written, written  # the failure was logged
    for secret in (BSN, BIRTH_DATE, NOTES[:20], "tante Fenna", client_key(settings.client_key_secret, BSN)):
        assert secret not in written, f"{secret!r} reached the logs:\n{written}"
        assert secret not in response.text


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # nothing listens once the probe is closed


def _unreachable_database_url(tmp_path: Path) -> str:
    if backend() == "postgresql":
        return f"postgresql+asyncpg://postgres@127.0.0.1:{_closed_port()}/regiepunt"
    return f"sqlite+aiosqlite:///{tmp_path / 'gone' / 'service.db'}"


def _apps_on(url: str, tmp_path: Path) -> dict[str, tuple[FastAPI, str, dict[str, str]]]:
    from capacity.main import create_app as create_capacity
    from capacity.settings import CapacitySettings
    from intake.main import create_app as create_intake
    from intake.settings import IntakeSettings
    from matching.main import create_app as create_matching
    from matching.settings import MatchingSettings

    common = {"data_dir": tmp_path, "run_workers": False}
    apps = {
        "capacity": (create_capacity(CapacitySettings(capacity_database_url=url, **common)), "/v1/providers"),
        "matching": (
            create_matching(MatchingSettings(matching_database_url=url, **common)),
            "/v1/decisions?referral_id=r-1",
        ),
        "intake": (create_intake(IntakeSettings(intake_database_url=url, **common)), "/v1/referrals"),
    }
    # The SQLite file's directory is made when the engine is; taking it away makes the database
    # unreachable for real: "unable to open database file".
    shutil.rmtree(tmp_path / "gone", ignore_errors=True)
    return {name: (app, path, COORDINATOR) for name, (app, path) in apps.items()}


async def _outage_answer(app: FastAPI, path: str, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        return await client.get(path, headers=headers)


@pytest.mark.parametrize("service", ["capacity", "matching", "intake"])
async def test_an_unreachable_database_answers_503_with_retry_after(
    tmp_path: Path, service: str, service_logs: io.StringIO
) -> None:
    app, path, headers = _apps_on(_unreachable_database_url(tmp_path), tmp_path)[service]
    try:
        response = await _outage_answer(app, path, headers)
    finally:
        await app.state.database.dispose()
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"] == "5"
    assert response.json()["status"] == 503
    assert "database_unavailable" in service_logs.getvalue()


async def test_a_database_that_goes_away_answers_503_and_the_service_recovers(tmp_path: Path) -> None:
    """The database a running service uses is taken away (every connection cut), then comes back."""
    from capacity.main import MIGRATIONS_DIR, create_app
    from capacity.settings import CapacitySettings

    home = tmp_path / "home"
    home.mkdir()
    url, pg_name = await create_database("capacity", home)
    await upgrade_to_head_async(MIGRATIONS_DIR, url)
    app = create_app(CapacitySettings(capacity_database_url=url, data_dir=tmp_path, run_workers=False))
    try:
        assert (await _outage_answer(app, "/v1/providers", COORDINATOR)).status_code == 200
        if pg_name is not None:
            await drop_database(pg_name)  # WITH (FORCE): the pooled connections are cut as well
        else:
            await app.state.database.dispose()
            home.rename(tmp_path / "away")
        response = await _outage_answer(app, "/v1/providers", COORDINATOR)
        assert response.status_code == 503, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.headers["retry-after"] == "5"

        if pg_name is not None:
            await _recreate_postgres_database(pg_name)
            await upgrade_to_head_async(MIGRATIONS_DIR, url)
        else:
            (tmp_path / "away").rename(home)
        assert (await _outage_answer(app, "/v1/providers", COORDINATOR)).status_code == 200
    finally:
        await app.state.database.dispose()
        await drop_database(pg_name)


async def _recreate_postgres_database(name: str) -> None:
    import asyncpg

    from common.testing import PG_ADMIN_DSN

    connection = await asyncpg.connect(PG_ADMIN_DSN)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()


def test_an_exception_another_library_logs_is_written_without_its_message(service_logs: io.StringIO) -> None:
    """uvicorn logs what escapes an app with its exception; so may any library. Its message can
    quote anything it was given, so only the classes and frames are written."""
    try:
        try:
            int(f"{BSN}²")  # ValueError: invalid literal for int() with base 10: '999990019²'
        except ValueError as inner:
            raise RuntimeError(f"could not read {NOTES}") from inner
    except RuntimeError as exc:
        logging.getLogger("uvicorn.error").error("Exception in ASGI application", exc_info=exc)
        structlog.get_logger("regiepunt.test").exception("step_failed")
    written = service_logs.getvalue()
    assert written.count("RuntimeError") == 2 and written.count("ValueError") == 2, written
    assert BSN not in written and "tante Fenna" not in written, written
