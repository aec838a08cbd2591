"""The Python client, its command line and the examples against the three services running as
processes: a referrer submits through the client, the example and the command line and is proposed a
place; the provider accepts through the command line; a 422 comes back typed, naming the field; a
stale unit (412) is changed again on a fresh read; a 503 of a real HTTP server in front of intake is
waited out and the submission stored once; a refused token is fetched again."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from e2e_platform import free_port

from common.testing import bearer, create_database, drop_database, token
from regiepunt_client import InvalidInput, PreconditionFailed, Regiepunt, Unavailable

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVICES = ("capacity", "matching", "intake")
COORDINATOR = bearer("coordinator", org="Regiepunt Haaglanden", sub="coco")
REFERRER_ORG = "Wijkteam Den Haag Centrum"


def _referrer_token(sub: str = "ria") -> str:
    return token("referrer", org=REFERRER_ORG, sub=sub, referrer_type="local_team")


def _bsns() -> Iterator[str]:
    """Numbers that pass the eleven-test, none of them anyone's."""
    for n in itertools.count(10_000_000):
        digits = [int(d) for d in f"{n:08d}"]
        check = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True)) % 11
        if check < 10:
            yield f"{n:08d}{check}"


BSNS = _bsns()


def _referral(**extra: Any) -> dict[str, Any]:
    return {
        "client": {"bsn": next(BSNS), "birth_date": "2013-05-01", "municipality_code": "GM0603"},
        "care_type": "family_home",
        "target_group": "lvb",
        "needs": ["attachment"],
        "part_time": False,
        "requested_start": None,
        "out_of_region": None,
        "notes": None,
        **extra,
    }


class Services:
    def __init__(self, env: dict[str, str], log_dir: Path) -> None:
        self.env = env
        self.log_dir = log_dir
        self.processes: list[subprocess.Popen[bytes]] = []

    def url(self, name: str) -> str:
        return self.env[f"REGIEPUNT_{name.upper()}_URL"]

    def start(self) -> None:
        for name in SERVICES:
            subprocess.run([sys.executable, "-m", name, "migrate"], env=self.env, cwd=ROOT, check=True)
        for name in SERVICES:
            log = (self.log_dir / f"{name}.log").open("ab")
            self.processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", name, "serve", "--port", str(httpx.URL(self.url(name)).port)],
                    env=self.env,
                    cwd=ROOT,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        for name, process in zip(SERVICES, self.processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                if process.poll() is not None:
                    pytest.fail(f"{name} exited:\n{(self.log_dir / f'{name}.log').read_text()[-3000:]}")
                try:
                    if httpx.get(f"{self.url(name)}/readyz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not become ready")
                time.sleep(0.2)

    def stop(self) -> None:
        for process in self.processes:
            process.terminate()
        for process in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="module")
async def services(tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp_path = tmp_path_factory.mktemp("client")
    env = dict(os.environ)
    env.update(
        {
            "REGIEPUNT_DATA_DIR": str(tmp_path / "data"),
            "REGIEPUNT_WORKER_INTERVAL_SECONDS": "0.5",
            **{f"REGIEPUNT_{name.upper()}_URL": f"http://127.0.0.1:{free_port()}" for name in SERVICES},
        }
    )
    names = []
    for name in SERVICES:
        url, pg_name = await create_database(name, tmp_path)
        env[f"REGIEPUNT_{name.upper()}_DATABASE_URL"] = url
        names.append(pg_name)
    running = Services(env, tmp_path)
    try:
        running.start()
        yield running
    finally:
        running.stop()
        for pg_name in names:
            await drop_database(pg_name)


@pytest.fixture(scope="module")
def provider(services: Services) -> dict[str, Any]:
    """A provider in Rijswijk with one family home of two places; its units and its token."""
    with httpx.Client(base_url=services.url("capacity"), headers=COORDINATOR, timeout=10) as capacity:
        created = capacity.post(
            "/v1/providers", json={"name": "Gezinshuis De Vliet", "agb_code": "98765432", "role": "tactical"}
        )
        assert created.status_code == 201, created.text
        provider_id = created.json()["id"]
        unit = capacity.post(
            f"/v1/providers/{provider_id}/units",
            json={
                "name": "Gezinshuis De Vliet",
                "care_type": "family_home",
                "target_groups": ["lvb", "jo"],
                "age_min": 4,
                "age_max": 17,
                "municipality_code": "GM0603",
                "capacity": 6,
                "specialisms": ["attachment"],
                "part_time": False,
            },
        )
        assert unit.status_code == 201, unit.text
    return {
        "id": provider_id,
        "unit": unit.json(),
        "token": token("provider", org="Gezinshuis De Vliet", sub="pim", provider_id=provider_id),
    }


def _cli(services: Services, *args: str, token_value: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "REGIEPUNT_API_URL": services.url("intake"),
        "REGIEPUNT_CAPACITY_API_URL": services.url("capacity"),
        "REGIEPUNT_TOKEN": token_value,
        **env,
    }
    return subprocess.run(
        [str(BIN / "regiepunt"), *args], env=environment, capture_output=True, text=True, timeout=120, check=False
    )


def test_referrer_submits_through_client_example_and_cli_and_provider_accepts(
    services: Services, provider: dict[str, Any], tmp_path: Path
) -> None:
    with Regiepunt(services.url("intake"), _referrer_token()) as point:
        through_client = point.submit_referral(_referral())
        assert str(through_client.status) == "proposed"
        assert through_client.proposal is not None
        assert through_client.proposal.unit_id == provider["unit"]["id"]

    referral_file = tmp_path / "referral.json"
    referral_file.write_text(json.dumps(_referral()))
    example = subprocess.run(
        [sys.executable, str(ROOT / "clients" / "examples" / "referrer_submit_and_wait.py"), str(referral_file)],
        env={**os.environ, "REGIEPUNT_API_URL": services.url("intake"), "REGIEPUNT_TOKEN": _referrer_token()},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert example.returncode == 0, example.stderr
    assert "answered" in example.stdout and ": proposed" in example.stdout
    assert f"proposed unit {provider['unit']['id']}" in example.stdout

    referral_file.write_text(json.dumps(_referral()))
    submitted = _cli(
        services, "referrals", "submit", str(referral_file), "--wait", "--json", token_value=_referrer_token()
    )
    assert submitted.returncode == 0, submitted.stderr
    through_cli = json.loads(submitted.stdout)
    assert through_cli["status"] == "proposed"
    assert through_cli["proposal"]["unit_id"] == provider["unit"]["id"]

    waiting = _cli(services, "proposals", "list", "--json", token_value=provider["token"])
    assert waiting.returncode == 0, waiting.stderr
    assert through_cli["id"] in [item["id"] for item in json.loads(waiting.stdout)]
    table = _cli(services, "proposals", "list", token_value=provider["token"])
    assert table.returncode == 0 and through_cli["id"] in table.stdout and "proposed" in table.stdout

    accepted = _cli(
        services,
        "proposals",
        "accept",
        through_cli["id"],
        "--start-date",
        date.today().isoformat(),
        token_value=provider["token"],
    )
    assert accepted.returncode == 0, accepted.stderr
    assert "status: placed" in accepted.stdout
    shown = _cli(services, "referrals", "show", through_cli["id"], "--json", token_value=_referrer_token())
    assert json.loads(shown.stdout)["status"] == "placed"

    again = _cli(
        services, "proposals", "accept", through_cli["id"], "--start-date", "2026-12-01", token_value=provider["token"]
    )
    assert again.returncode == 1  # refused: no longer proposed
    assert "409" in again.stderr or "404" in again.stderr

    # The first referral (sent through the client) is declined through the command line with a reason
    # code; an unknown code is wrong usage, and the same decline again is refused by the point.
    unknown = _cli(
        services,
        "proposals",
        "decline",
        str(through_client.id),
        "--reason-code",
        "nonsense",
        token_value=provider["token"],
    )
    assert unknown.returncode == 2
    declined = _cli(
        services,
        "proposals",
        "decline",
        str(through_client.id),
        "--reason-code",
        "no_free_place",
        token_value=provider["token"],
    )
    assert declined.returncode == 0, declined.stderr
    after = json.loads(
        _cli(services, "referrals", "show", str(through_client.id), "--json", token_value=_referrer_token()).stdout
    )
    assert after["status"] != "placed"
    assert after["proposal"] is None or after["proposal"]["unit_id"] != provider["unit"]["id"]
    twice = _cli(
        services,
        "proposals",
        "decline",
        str(through_client.id),
        "--reason-code",
        "other",
        token_value=provider["token"],
    )
    assert twice.returncode == 1


def test_invalid_input_comes_back_typed_naming_the_field(services: Services, tmp_path: Path) -> None:
    with Regiepunt(services.url("intake"), _referrer_token()) as point, pytest.raises(InvalidInput) as refused:
        point.submit_referral(
            _referral(client={"bsn": "123456789", "birth_date": "2013-05-01", "municipality_code": "GM0603"})
        )
    assert refused.value.status == 422
    assert refused.value.fields == ["client.bsn"]

    referral_file = tmp_path / "bad.json"
    referral_file.write_text(json.dumps(_referral(care_type="castle")))
    result = _cli(services, "referrals", "submit", str(referral_file), token_value=_referrer_token())
    assert result.returncode == 1
    assert "care_type" in result.stderr

    usage = _cli(services, "proposals", "accept", "x", "--start-date", "tomorrow", token_value=_referrer_token())
    assert usage.returncode == 2
    no_token = _cli(services, "referrals", "list", token_value="")
    assert no_token.returncode == 2 and "REGIEPUNT_TOKEN" in no_token.stderr


def test_stale_unit_is_changed_again_on_a_fresh_read(services: Services, provider: dict[str, Any]) -> None:
    unit_id = provider["unit"]["id"]
    with (
        Regiepunt(services.url("intake"), provider["token"], capacity_url=services.url("capacity")) as planning,
        Regiepunt(services.url("intake"), provider["token"], capacity_url=services.url("capacity")) as someone_else,
    ):
        read = planning.unit(unit_id)
        changed = someone_else.set_availability(unit_id, blocked=1)
        assert changed.version == read.version + 1

        # The version read first is stale now: the point refuses it ...
        stale = httpx.put(
            f"{services.url('capacity')}/v1/units/{unit_id}/availability",
            json={"capacity": read.capacity, "blocked": 0},
            headers={"Authorization": f"Bearer {provider['token']}", "If-Match": str(read.version)},
            timeout=10,
        )
        assert stale.status_code == 412
        # ... and the client, sending that same stale version first, reads again and sends once more.
        updated = planning.set_availability(unit_id, free=2)
        assert updated.version == changed.version + 1
        assert updated.available == 2
        assert updated.blocked == 1

        with pytest.raises(PreconditionFailed):
            planning._unit_versions[unit_id] = read.version
            planning._put_availability(unit_id, free=None, capacity=updated.capacity, blocked=1, unit=None)

    cli = _cli(
        services, "units", "set-availability", unit_id, "--free", "3", "--blocked", "0", token_value=provider["token"]
    )
    assert cli.returncode == 0, cli.stderr
    listed = _cli(services, "units", "list", "--json", token_value=provider["token"])
    unit = next(item for item in json.loads(listed.stdout) if item["id"] == unit_id)
    assert unit["available"] == 3 and unit["blocked"] == 0


class Unavailable503:
    """A real HTTP server in front of intake: answers 503 (Retry-After: 0) to the first `refuse`
    requests, then passes requests on; it records what it was sent."""

    def __init__(self, upstream: str, refuse: int) -> None:
        self.upstream = upstream
        self.refuse = refuse
        self.seen: list[tuple[str, str, str | None]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                outer.seen.append((self.command, self.path, self.headers.get("Idempotency-Key")))
                if len(outer.seen) <= outer.refuse:
                    payload = b'{"type":"about:blank","title":"Service Unavailable","status":503}'
                    self.send_response(503)
                    self.send_header("Retry-After", "0")
                    self.send_header("Content-Type", "application/problem+json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                answer = httpx.request(
                    self.command, outer.upstream + self.path, headers=headers, content=body, timeout=30
                )
                self.send_response(answer.status_code)
                for key, value in answer.headers.items():
                    if key.lower() not in ("content-length", "transfer-encoding", "connection", "content-encoding"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = _handle

            def log_message(self, format: str, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> Unavailable503:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_503_is_waited_out_and_the_submission_stored_once(services: Services) -> None:
    referrer = _referrer_token(sub="retry")
    with Unavailable503(services.url("intake"), refuse=2) as front, Regiepunt(front.url, referrer) as point:
        before = len(point.referrals())
        front.seen.clear()
        front.refuse = 2
        referral = point.submit_referral(_referral())
        assert str(referral.status) == "proposed"
        posts = [seen for seen in front.seen if seen[0] == "POST"]
        assert len(posts) == 3  # two 503s, then through
        keys = {key for _, _, key in posts}
        assert len(keys) == 1 and None not in keys  # one Idempotency-Key on every attempt
        assert len(point.referrals()) == before + 1

    with Unavailable503(services.url("intake"), refuse=100) as front:
        with Regiepunt(front.url, referrer, retries=2) as point, pytest.raises(Unavailable):
            point.referrals()
        assert len(front.seen) == 3
        result = _cli(services, "referrals", "list", token_value=referrer, REGIEPUNT_API_URL=front.url)
        assert result.returncode == 3, result.stderr


def test_refused_token_is_fetched_again(services: Services) -> None:
    tokens = iter(["not-a-token", _referrer_token()])
    fetched: list[str] = []

    def fetch() -> str:
        fetched.append(next(tokens))
        return fetched[-1]

    with Regiepunt(services.url("intake"), fetch) as point:
        assert isinstance(point.referrals(), list)
    assert len(fetched) == 2


def test_kpis_as_csv_for_a_coordinator(services: Services) -> None:
    result = _cli(
        services,
        "kpis",
        "--from",
        "2026-01-01",
        "--to",
        "2026-12-31",
        "--format",
        "csv",
        token_value=token("coordinator", org="Regiepunt Haaglanden", sub="coco"),
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "period_from,period_to,name,label,value,numerator,denominator,unit"
    assert len(lines) > 1 and all(line.startswith("2026-01-01,2026-12-31,") for line in lines[1:])


def test_provider_example_mirrors_its_planning(services: Services, provider: dict[str, Any], tmp_path: Path) -> None:
    unit_id = provider["unit"]["id"]
    planning = tmp_path / "planning.json"
    planning.write_text(json.dumps({unit_id: 1}))
    result = subprocess.run(
        [sys.executable, str(ROOT / "clients" / "examples" / "provider_planning_mirror.py"), str(planning), "--once"],
        env={
            **os.environ,
            "REGIEPUNT_API_URL": services.url("intake"),
            "REGIEPUNT_CAPACITY_API_URL": services.url("capacity"),
            "REGIEPUNT_TOKEN": provider["token"],
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert f"unit {unit_id}:" in result.stdout
    shown = httpx.get(f"{services.url('capacity')}/v1/units/{unit_id}", headers=COORDINATOR, timeout=10).json()
    assert shown["available"] == 1


def test_provider_example_answers_the_point_s_webhook(
    services: Services, provider: dict[str, Any], tmp_path: Path
) -> None:
    planning = tmp_path / "planning.json"
    planning.write_text("{}")
    output = tmp_path / "provider.out"
    with output.open("w") as out:
        example = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "clients" / "examples" / "provider_planning_mirror.py"),
                str(planning),
                "--interval",
                "3600",
                "--webhook-port",
                str(free_port()),
            ],
            env={
                **os.environ,
                "REGIEPUNT_API_URL": services.url("intake"),
                "REGIEPUNT_CAPACITY_API_URL": services.url("capacity"),
                "REGIEPUNT_TOKEN": provider["token"],
            },
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    try:
        deadline = time.monotonic() + 30
        while "receiving webhooks" not in output.read_text():
            assert example.poll() is None, output.read_text()
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.2)
        with Regiepunt(services.url("intake"), _referrer_token()) as point:
            referral = point.submit_referral(_referral())
        assert str(referral.status) == "proposed"
        # The point's worker delivers the signed event; the example checks the signature, then reads
        # the referral it names.
        expected = f"proposal {referral.id} for unit {provider['unit']['id']}"
        deadline = time.monotonic() + 30
        while expected not in output.read_text():
            assert example.poll() is None, output.read_text()
            assert time.monotonic() < deadline, output.read_text()
            time.sleep(0.2)
    finally:
        example.terminate()
        example.wait(timeout=10)
