"""A burst of referrals as referrers send them, with providers accepting and referrers withdrawing some
of the proposals while the burst runs; every outcome is counted."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import httpx

from common.testing import bearer

CARE_TYPES = ("residential", "family_home", "foster_care")
# Two referrals of each burst carry more needs than matching takes (30): intake either refuses them
# itself (422) or must end them unmatched, never leave them pending while it asks again and again.
OVERSIZED_NEEDS = [f"need-{number:02d}" for number in range(31)]
OVERSIZED_EVERY = 20
# The burst's requests wait at most this long for intake; the services' own calls time out sooner.
REQUEST_TIMEOUT = 30.0


def valid_bsn(rng: random.Random) -> str:
    """Nine digits that pass the eleven-test."""
    while True:
        digits = [rng.randint(1, 9)] + [rng.randint(0, 9) for _ in range(7)]
        total = sum(d * w for d, w in zip(digits, range(9, 1, -1), strict=True))
        last = total % 11
        if last < 10:
            return "".join(map(str, digits)) + str(last)


def today() -> date:
    return datetime.now(UTC).date()


@dataclass
class Submission:
    key: str
    body: dict[str, Any]
    referral_id: str | None = None
    first_answer: int | None = None  # HTTP status of the first attempt; None when none came
    attempts: int = 0
    # Whether intake may refuse it with 422 (its needs exceed what matching takes).
    refusable: bool = False

    def refused(self) -> bool:
        return self.refusable and self.first_answer == 422


@dataclass
class Traffic:
    """One scenario's referrals, all from one referrer organisation."""

    intake_url: str
    org: str
    seed: int
    size: int = 40
    concurrency: int = 8
    accept_share: float = 0.4
    withdraw_share: float = 0.2
    submissions: list[Submission] = field(default_factory=list)
    answered: int = 0
    finished: int = 0
    # The referral's status in the first 201 answer: pending when matching could not be asked.
    answered_as: Counter[str] = field(default_factory=Counter)
    accepts: Counter[str] = field(default_factory=Counter)
    withdrawals: Counter[str] = field(default_factory=Counter)
    # Proposals answered to the burst that no provider or referrer acted on (yet).
    untouched: list[dict[str, Any]] = field(default_factory=list)
    _actions: list[asyncio.Task[None]] = field(default_factory=list)
    _progress: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.referrer = bearer("referrer", org=self.org, sub=f"{self.org}-referrer", referrer_type="local_team")
        self.client = httpx.AsyncClient(base_url=self.intake_url, timeout=REQUEST_TIMEOUT)
        for index in range(self.size):
            body = {
                "client": {
                    "bsn": valid_bsn(self.rng),
                    "birth_date": date(2010 + self.rng.randint(0, 9), self.rng.randint(1, 12), 15).isoformat(),
                    "municipality_code": self.rng.choice(("GM0518", "GM0503", "GM0637")),
                },
                "care_type": CARE_TYPES[index % len(CARE_TYPES)],
                "target_group": "jo",
                "needs": [],
            }
            refusable = index % OVERSIZED_EVERY == OVERSIZED_EVERY - 1
            if refusable:
                body["needs"] = OVERSIZED_NEEDS
            key = f"{self.org}-{index}-{uuid.uuid4().hex[:8]}"
            self.submissions.append(Submission(key=key, body=body, refusable=refusable))

    async def aclose(self) -> None:
        await self.client.aclose()

    async def _post(self, submission: Submission) -> tuple[int | None, dict[str, Any] | None, float]:
        """One attempt: the status (None without an answer), the referral when 201, and how long to
        wait before trying again."""
        submission.attempts += 1
        try:
            response = await self.client.post(
                "/v1/referrals", json=submission.body, headers={**self.referrer, "Idempotency-Key": submission.key}
            )
        except httpx.TransportError:
            return None, None, 0.5
        body = response.json() if response.status_code == 201 else None
        try:
            pause = min(float(response.headers.get("Retry-After", "0.5")), 2.0)
        except ValueError:
            pause = 0.5
        return response.status_code, body, pause

    async def _send(self, submission: Submission, limit: asyncio.Semaphore) -> None:
        async with limit:
            status, body, _ = await self._post(submission)
        submission.first_answer = status
        self.finished += 1
        self._progress.set()
        if body is not None:
            submission.referral_id = body["id"]
            self.answered += 1
            self.answered_as[body["status"]] += 1
            self._progress.set()
            if body["status"] == "proposed":
                self._act_on(body)

    def _act_on(self, referral: dict[str, Any]) -> None:
        """A provider accepts some proposals at once, a referrer withdraws some others."""
        draw = self.rng.random()
        if draw < self.accept_share:
            self.accept(referral)
        elif draw < self.accept_share + self.withdraw_share:
            self._actions.append(asyncio.create_task(self._withdraw(referral)))
        else:
            self.untouched.append(referral)

    def accept(self, referral: dict[str, Any]) -> asyncio.Task[None]:
        """The provider of the proposed unit accepts it, starting today."""
        task = asyncio.create_task(self._accept(referral))
        self._actions.append(task)
        return task

    async def _accept(self, referral: dict[str, Any]) -> None:
        provider_id = referral["proposal"]["provider_id"]
        headers = bearer("provider", org=f"provider-{provider_id[:8]}", sub="planner", provider_id=provider_id)
        try:
            response = await self.client.post(
                f"/v1/referrals/{referral['id']}/accept", json={"start_date": today().isoformat()}, headers=headers
            )
            self.accepts[str(response.status_code)] += 1
        except httpx.TransportError:
            self.accepts["no answer"] += 1
        self._progress.set()

    async def _withdraw(self, referral: dict[str, Any]) -> None:
        try:
            response = await self.client.post(f"/v1/referrals/{referral['id']}/withdraw", headers=self.referrer)
            self.withdrawals[str(response.status_code)] += 1
        except httpx.TransportError:
            self.withdrawals["no answer"] += 1
        self._progress.set()

    async def run(self) -> None:
        """Send every referral once, at the burst's concurrency, and wait for the accepts and withdrawals."""
        limit = asyncio.Semaphore(self.concurrency)
        await asyncio.gather(*(self._send(s, limit) for s in self.submissions))
        while not all(task.done() for task in self._actions):
            await asyncio.gather(*self._actions)

    async def wait_until(self, answered: int, accepts_answered: int = 0, within: float = 60.0) -> None:
        """Until the burst is under way: so many referrals answered and accepts answered (bounded)."""
        deadline = time.monotonic() + within
        while time.monotonic() < deadline:
            if self.answered >= answered and sum(self.accepts.values()) >= accepts_answered:
                return
            if self.finished == self.size and all(task.done() for task in self._actions):
                return  # the burst is over before the mark was reached
            self._progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._progress.wait(), timeout=0.5)

    async def retry_unanswered(self, within: float = 60.0) -> None:
        """A referrer whose request got no referral back sends it again with the same Idempotency-Key:
        after no answer, a 5xx, or a 409 while the first request with that key is (said to be) still
        running, waiting as Retry-After says."""
        deadline = time.monotonic() + within
        for submission in self.submissions:
            while submission.referral_id is None and not submission.refused() and time.monotonic() < deadline:
                status, body, pause = await self._post(submission)
                if body is not None:
                    submission.referral_id = body["id"]
                elif status == 422 and submission.refusable and submission.first_answer is None:
                    submission.first_answer = status  # refused, as it may be, once intake answered
                elif status is not None and 400 <= status < 500 and status != 409:
                    break  # refused for good: retrying would not change the answer
                else:
                    await asyncio.sleep(pause)

    def unanswered(self, *, intake_killed: bool) -> list[str]:
        """Keys whose first request got no 201, except, when intake was killed, those that got no
        answer at all and were found by a retry."""
        missing = []
        for s in self.submissions:
            if s.first_answer == 201 or s.refused():
                continue
            if intake_killed and s.first_answer is None and s.referral_id is not None:
                continue
            missing.append(f"{s.key} (first answer {s.first_answer}, {s.attempts} attempts)")
        return missing

    def submitted(self) -> dict[str, str | None]:
        """Every key that must have stored a referral: all but those intake refused."""
        return {s.key: s.referral_id for s in self.submissions if not s.refused()}

    def first_answers(self) -> Counter[str]:
        return Counter("no answer" if s.first_answer is None else str(s.first_answer) for s in self.submissions)
