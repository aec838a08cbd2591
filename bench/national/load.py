"""The load generator, run as its own process: `python -m bench.national.load <plan.json> <out.json>`.

Two ways to drive a call type, both with httpx's async client:
- closed loop (`concurrency`): that many callers, each sending its next request as soon as the last
  answered; it finds the most requests per second the service can sustain.
- open loop (`rate`): requests are started at a fixed arrival rate whatever the answers do; latency is
  counted from the moment a request was due, so that a slow service cannot hide its queue
  (no coordinated omission).
"""

from __future__ import annotations

import asyncio
import json
import random
import sys
import time
import uuid
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from bench.national.seed import valid_bsn, weighted
from bench.national.sizes import CARE_TYPES, END_REASONS, REFERRER_ORGS, REGION, REGION_WEIGHTS, SPECIALISMS
from common.auth import mint_token

EXPECTED = {200, 201}
# A call of the mix; an accept or end answers False when there was nothing to accept or end.
Action = Callable[[], Awaitable[bool | None]]


def percentile(ordered: list[float], q: float) -> float:
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Tally:
    """What one call type did during one phase."""

    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    outcomes: dict[str, int] = field(default_factory=dict)
    error_samples: list[str] = field(default_factory=list)

    def summary(self, seconds: float, offered: float | None) -> dict[str, Any]:
        ordered = sorted(self.latencies)
        return {
            "requests": len(ordered),
            "offered_rate": offered,
            "rps": round(len(ordered) / seconds, 2) if seconds else 0.0,
            "p50_ms": round(percentile(ordered, 0.50), 2),
            "p95_ms": round(percentile(ordered, 0.95), 2),
            "p99_ms": round(percentile(ordered, 0.99), 2),
            "max_ms": round(ordered[-1], 2) if ordered else 0.0,
            "errors": self.errors,
            "statuses": self.statuses,
            "outcomes": self.outcomes,
            "error_samples": self.error_samples[:5],
        }


class Workload:
    """The calls of the mix, with the state they share (proposals to accept, stays to end)."""

    def __init__(self, plan: dict[str, Any], clients: dict[str, httpx.AsyncClient]) -> None:
        self.plan = plan
        self.clients = clients
        self.rng = random.Random(plan.get("seed", 7))
        secret = plan["secret"]
        self.coordinator = self._headers(mint_token(secret, sub="bench-coco", role="coordinator", org="Regiepunt"))
        # The decision phase calls matching as intake does: matching takes decisions for intake only.
        self.service = self._headers(mint_token(secret, sub="service:intake", role="service", org="regiepunt"))
        self.referrers = [
            self._headers(mint_token(secret, sub=f"ref-{n}", role="referrer", org=org, referrer_type=kind))
            for n, (org, kind) in enumerate(REFERRER_ORGS)
        ]
        self.provider_tokens: dict[str, dict[str, str]] = {}
        self.units: list[dict[str, Any]] = plan["units"]
        self.readable: list[str] = list(plan["history_ids"])
        self.to_accept: deque[tuple[str, str]] = deque()
        self.placed: deque[str] = deque(stay["referral_id"] for stay in plan["open_stays"])
        self.tallies: dict[str, Tally] = {}

    @staticmethod
    def _headers(token: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"}

    def provider(self, provider_id: str) -> dict[str, str]:
        if provider_id not in self.provider_tokens:
            token = mint_token(
                self.plan["secret"],
                sub="planner",
                role="provider",
                org=f"org-{provider_id[:8]}",
                provider_id=provider_id,
            )
            self.provider_tokens[provider_id] = self._headers(token)
        return self.provider_tokens[provider_id]

    def tally(self, name: str) -> Tally:
        return self.tallies.setdefault(name, Tally())

    def check(self, name: str, response: httpx.Response, expected: set[int] = EXPECTED) -> bool:
        tally = self.tally(name)
        key = str(response.status_code)
        tally.statuses[key] = tally.statuses.get(key, 0) + 1
        if response.status_code in expected:
            return True
        tally.errors += 1
        tally.error_samples.append(f"{response.status_code} {response.text[:200]}")
        return False

    # --- the calls ---------------------------------------------------------------------------------

    def referral_body(self) -> dict[str, Any]:
        rng = self.rng
        care_type = weighted(rng, CARE_TYPES)
        today = date.today()
        if care_type == "training_flat":
            age = rng.randint(16, 20)
        elif care_type in ("foster_care", "family_home", "respite"):
            age = rng.randint(2, 16)
        else:
            age = rng.randint(12, 16)
        body: dict[str, Any] = {
            "client": {
                "bsn": valid_bsn(rng),
                "birth_date": (today - timedelta(days=age * 365 + rng.randint(10, 300))).isoformat(),
                "municipality_code": rng.choices(REGION, REGION_WEIGHTS)[0],
            },
            "care_type": care_type,
            "target_group": rng.choice(("jo", "jo", "lvb", "ggz")),
            "needs": rng.sample(SPECIALISMS, rng.randint(0, 2)),
            "part_time": False,
            "requested_start": (today + timedelta(days=rng.randint(0, 30))).isoformat(),
            "out_of_region": None,
            "notes": "Thuissituatie onhoudbaar; zo snel mogelijk een passende plek.",
        }
        if care_type == "secure":
            # Closed youth care is referred with the juvenile court's authorisation.
            body["court_authorisation"] = {
                "kind": rng.choice(("machtiging", "spoedmachtiging")),
                "decided_on": (today - timedelta(days=rng.randint(0, 20))).isoformat(),
                "valid_until": (today + timedelta(days=180)).isoformat(),
            }
        return body

    async def submit(self) -> None:
        headers = {**self.rng.choice(self.referrers), "Idempotency-Key": str(uuid.uuid4())}
        response = await self.clients["intake"].post("/v1/referrals", json=self.referral_body(), headers=headers)
        if self.check("submit", response):
            referral = response.json()
            outcomes = self.tally("submit").outcomes
            outcomes[referral["status"]] = outcomes.get(referral["status"], 0) + 1
            self.readable.append(referral["id"])
            if referral["status"] == "proposed":
                self.to_accept.append((referral["id"], referral["proposal"]["provider_id"]))

    async def accept(self) -> bool:
        if not self.to_accept:
            return False
        referral_id, provider_id = self.to_accept.popleft()
        response = await self.clients["intake"].post(
            f"/v1/referrals/{referral_id}/accept",
            json={"start_date": date.today().isoformat()},
            headers=self.provider(provider_id),
        )
        if self.check("accept", response):
            self.placed.append(referral_id)
        return True

    async def end(self) -> bool:
        if not self.placed:
            return False
        referral_id = self.placed.popleft()
        response = await self.clients["intake"].post(
            f"/v1/referrals/{referral_id}/end",
            json={"end_date": date.today().isoformat(), "reason": weighted(self.rng, END_REASONS)},
            headers=self.coordinator,
        )
        self.check("end", response)
        return True

    async def availability(self) -> None:
        """A provider reports its free places: read the unit, then write it back under If-Match."""
        unit = self.rng.choice(self.units)
        headers = self.provider(unit["provider_id"])
        started = time.perf_counter()
        current = await self.clients["capacity"].get(f"/v1/units/{unit['id']}", headers=headers)
        self.tally("unit_read").latencies.append((time.perf_counter() - started) * 1000)
        if not self.check("unit_read", current):
            return
        state = current.json()
        in_use = state["occupied"] + state["reserved"] + state["blocked"]
        body = {"capacity": min(10_000, in_use + self.rng.randint(1, 4)), "blocked": state["blocked"]}
        response = await self.clients["capacity"].put(
            f"/v1/units/{unit['id']}/availability", json=body, headers={**headers, "If-Match": f'"{state["version"]}"'}
        )
        # 412 is the contract working: a reservation changed the unit between the read and the write.
        if self.check("availability", response, {200, 412}) and response.status_code == 412:
            stale = self.tally("availability").outcomes
            stale["stale_if_match"] = stale.get("stale_if_match", 0) + 1

    async def referral_read(self) -> None:
        referral_id = self.rng.choice(self.readable)
        response = await self.clients["intake"].get(f"/v1/referrals/{referral_id}", headers=self.coordinator)
        self.check("referral_read", response)

    async def referral_list(self) -> None:
        status = self.rng.choice(("placed", "proposed", "unmatched", None))
        params = {"limit": 50} | ({"status": status} if status else {})
        response = await self.clients["intake"].get("/v1/referrals", params=params, headers=self.coordinator)
        self.check("referral_list", response)

    async def signals(self) -> None:
        response = await self.clients["intake"].get("/v1/signals", headers=self.coordinator)
        self.check("signals", response)

    async def kpis(self) -> None:
        response = await self.clients["intake"].get("/v1/kpis", headers=self.coordinator)
        self.check("kpis", response)

    def dashboard_page(self, path: str) -> Action:
        async def call() -> None:
            response = await self.clients["intake"].get(path, headers=self.coordinator)
            self.check(f"dashboard {path}", response)

        return call

    async def dashboard_referral(self) -> None:
        referral_id = self.rng.choice(self.readable)
        response = await self.clients["intake"].get(f"/dashboard/referrals/{referral_id}", headers=self.coordinator)
        self.check("dashboard_referral", response)

    async def decision(self) -> None:
        """One matching decision straight at matching, as intake asks it; the hold lapses in a minute."""
        body = self.referral_body()
        referral_id = str(uuid.uuid4())
        age = (date.today() - date.fromisoformat(body["client"]["birth_date"])).days // 365
        payload = {
            "request_id": f"bench-{referral_id}",
            "referral_id": referral_id,
            "client_key": uuid.uuid4().hex,
            "care_type": body["care_type"],
            "target_group": body["target_group"],
            "age": age,
            "municipality_code": body["client"]["municipality_code"],
            "needs": body["needs"],
            "part_time": False,
            "out_of_region": None,
            "known_provider_ids": [],
            "excluded_unit_ids": [],
            "hold_until": (datetime.now(UTC) + timedelta(minutes=1)).isoformat(),
        }
        response = await self.clients["matching"].post("/v1/decisions", json=payload, headers=self.service)
        if self.check("decision", response):
            outcomes = self.tally("decision").outcomes
            outcome = response.json()["outcome"]
            outcomes[outcome] = outcomes.get(outcome, 0) + 1

    async def baseline(self) -> None:
        response = await self.clients["baseline"].post("/v1/rows", json={"note": "baseline"})
        self.check("baseline", response)

    def action(self, name: str) -> Action:
        if name.startswith("dashboard "):
            return self.dashboard_page(name.removeprefix("dashboard "))
        action: Action = getattr(self, name)
        return action


async def timed(workload: Workload, name: str, action: Action, due: float) -> None:
    try:
        done = await action()
    except httpx.HTTPError as exc:
        tally = workload.tally(name)
        tally.errors += 1
        tally.error_samples.append(repr(exc))
        return
    # An accept or end with nothing waiting to be accepted or ended sent no request.
    if done is not False:
        workload.tally(name).latencies.append((time.perf_counter() - due) * 1000)


async def open_loop(workload: Workload, name: str, rate: float, seconds: float, lag: list[float]) -> None:
    action = workload.action(name)
    interval = 1.0 / rate
    start = time.perf_counter()
    tasks: set[asyncio.Task[None]] = set()
    number = 0
    while number * interval < seconds:
        due = start + number * interval
        wait = due - time.perf_counter()
        if wait > 0:
            await asyncio.sleep(wait)
        else:
            lag.append(-wait * 1000)
        task = asyncio.create_task(timed(workload, name, action, due))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
        number += 1
    if tasks:
        await asyncio.gather(*tasks)


async def closed_loop(workload: Workload, name: str, concurrency: int, seconds: float) -> None:
    action = workload.action(name)
    stop = time.perf_counter() + seconds

    async def caller() -> None:
        while time.perf_counter() < stop:
            await timed(workload, name, action, time.perf_counter())

    await asyncio.gather(*(caller() for _ in range(concurrency)))


async def run(plan: dict[str, Any]) -> dict[str, Any]:
    phase = plan["phase"]
    limits = httpx.Limits(max_connections=512, max_keepalive_connections=256)
    # A request unanswered after 30 s counts as an error, so an overloaded phase ends in bounded time.
    timeout = httpx.Timeout(30.0)
    clients = {
        name: httpx.AsyncClient(base_url=url, limits=limits, timeout=timeout) for name, url in plan["urls"].items()
    }
    workload = Workload(plan, clients)
    lag: list[float] = []
    started = time.perf_counter()
    try:
        if phase["mode"] == "closed":
            await closed_loop(workload, phase["call"], phase["concurrency"], phase["seconds"])
        else:
            await asyncio.gather(
                *(open_loop(workload, name, rate, phase["seconds"], lag) for name, rate in phase["rates"].items())
            )
    finally:
        for client in clients.values():
            await client.aclose()
    elapsed = time.perf_counter() - started
    # Requests per second over the time until the last answer: an open loop that falls behind the
    # arrival rate shows a lower rate than offered, and schedule lag.
    rates = phase.get("rates", {})
    calls = {name: tally.summary(elapsed, rates.get(name)) for name, tally in sorted(workload.tallies.items())}
    lag.sort()
    return {
        "phase": phase["name"],
        "mode": phase["mode"],
        "seconds": phase["seconds"],
        "elapsed": round(elapsed, 2),
        "concurrency": phase.get("concurrency"),
        "target_rate": phase.get("target_rate"),
        "scale": phase.get("scale", 1.0),
        "generator_lag_p99_ms": round(percentile(lag, 0.99), 2),
        "calls": calls,
    }


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    result = asyncio.run(run(plan))
    Path(sys.argv[2]).write_text(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
