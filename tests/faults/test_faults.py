"""Services killed (SIGKILL), frozen (SIGSTOP) and restarted in the middle of bursts of referrals, as a
failing data centre would do it; afterwards the three databases must agree.

Each scenario sends a burst of referrals from its own referrer organisation, while providers accept
and referrers withdraw some of the proposals, and strikes one service once the burst is under way.
Then it waits (bounded) until the platform is quiet and reconciles the databases, read directly:
every referral answered and stored once, none pending, every held place backing exactly one live
proposal, every placed child with exactly one open stay, and no unit over capacity counted from its
reservation and occupancy rows. Each scenario prints its figures (visible with -s); whether it passes
depends on those invariants only. Finally it withdraws and ends what it left open, so that the next
scenario finds the places free again.
"""

from __future__ import annotations

import asyncio
import os
import zlib
from collections import Counter
from collections.abc import Awaitable, Callable

import httpx
import pytest
from fault_reconcile import (
    COUNTERS_DRIFT,
    LOST,
    LOST_ACCEPT,
    OPEN_REQUEST,
    ORPHAN_HOLD,
    OVERBOOKED,
    OVERBOOKED_COUNTERS,
    PENDING,
    PLACED_WITHOUT_STAY,
    PROPOSAL_WITHOUT_HOLD,
    STAY_WITHOUT_PLACEMENT,
    UNANSWERED,
    Outcome,
    Readers,
    converge,
)
from fault_stack import Stack
from fault_traffic import Traffic, today

from common.testing import bearer

pytestmark = pytest.mark.faults

# How long the platform may take to agree with itself once every service is back and every referral
# answered: intake and capacity must agree again within a minute without anyone acting.
SETTLE_SECONDS = float(os.environ.get("REGIEPUNT_FAULTS_SETTLE_SECONDS", "60"))
# Referrals answered before the fault strikes: the burst is under way, most of it still to come.
STRIKE_AFTER = 12

# Units and unknown referrals an earlier scenario reported, so that each finding is reported once.
REPORTED: set[str] = set()

Fault = Callable[[Stack, Traffic, Readers], Awaitable[None]]


async def kill_matching(stack: Stack, traffic: Traffic, readers: Readers) -> None:
    await stack.kill("matching")
    await asyncio.sleep(2)
    await stack.restart("matching")


async def kill_matching_as_it_holds(stack: Stack, traffic: Traffic, readers: Readers) -> None:
    """Three times, each the moment capacity has stored a new hold: matching holds a place before it
    stores its decision, and this is when it dies in between most often. The later strikes fall while
    intake's outbox sends the requests that waited meanwhile."""
    for _ in range(3):
        await readers.wait_for_new_reservation(within=10.0)
        await kill_matching(stack, traffic, readers)


async def kill_capacity(stack: Stack, traffic: Traffic, readers: Readers) -> None:
    await stack.kill("capacity")
    await asyncio.sleep(2)
    await stack.restart("capacity")


async def freeze_capacity(stack: Stack, traffic: Traffic, readers: Readers) -> None:
    stack.freeze("capacity")
    await asyncio.sleep(5)
    stack.thaw("capacity")


async def kill_intake_amid_accepts(stack: Stack, traffic: Traffic, readers: Readers) -> None:
    """Providers accept every proposal so far at once; intake dies as the first accepts are answered,
    with the others on their way between intake and capacity."""
    accepting = [traffic.accept(referral) for referral in traffic.untouched]
    traffic.untouched.clear()
    await traffic.wait_until(answered=0, accepts_answered=min(2, len(accepting)))
    await stack.kill("intake")
    await asyncio.sleep(1)
    await stack.restart("intake")


async def test_matching_killed_during_a_burst(stack: Stack, readers: Readers) -> None:
    await scenario(stack, readers, "matching-killed", kill_matching)


async def test_capacity_killed_during_a_burst(stack: Stack, readers: Readers) -> None:
    await scenario(stack, readers, "capacity-killed", kill_capacity)


async def test_capacity_frozen_during_a_burst(stack: Stack, readers: Readers) -> None:
    await scenario(stack, readers, "capacity-frozen", freeze_capacity)


async def test_intake_killed_while_proposals_are_accepted(stack: Stack, readers: Readers) -> None:
    # Nobody acts on a proposal until the strike, which then accepts them all together.
    await scenario(
        stack,
        readers,
        "intake-killed",
        kill_intake_amid_accepts,
        intake_killed=True,
        accept_share=0.0,
        withdraw_share=0.0,
        strike_after=STRIKE_AFTER * 2,
    )


async def test_matching_killed_as_it_holds_places(stack: Stack, readers: Readers) -> None:
    await scenario(stack, readers, "matching-killed-as-it-holds", kill_matching_as_it_holds)


async def scenario(
    stack: Stack,
    readers: Readers,
    name: str,
    fault: Fault,
    *,
    intake_killed: bool = False,
    accept_share: float = 0.4,
    withdraw_share: float = 0.2,
    strike_after: int = STRIKE_AFTER,
) -> None:
    org = f"faults-{name}"
    traffic = Traffic(
        stack.urls["intake"],
        org,
        seed=zlib.crc32(name.encode()),
        accept_share=accept_share,
        withdraw_share=withdraw_share,
    )
    try:
        burst = asyncio.create_task(traffic.run())
        try:
            await traffic.wait_until(answered=strike_after)
            await fault(stack, traffic, readers)
            await burst
        finally:
            if not burst.done():
                burst.cancel()
        await traffic.retry_unanswered()
        outcome = await converge(
            readers,
            org=org,
            submitted=traffic.submitted(),
            unanswered=traffic.unanswered(intake_killed=intake_killed),
            reported=REPORTED,
            deadline_seconds=SETTLE_SECONDS,
        )
    finally:
        await traffic.aclose()
    REPORTED.update(outcome.findings.ids)
    summary = summarise(name, traffic, outcome, org)
    print(summary, flush=True)
    left = await clean_up(stack, outcome, org)
    if left:
        print(f"  clean-up: {dict(left)}", flush=True)
    if outcome.findings:
        pytest.fail(f"{summary}\n{outcome.findings.describe()}\n{stack.tails()}", pytrace=False)


def summarise(name: str, traffic: Traffic, outcome: Outcome, org: str) -> str:
    found = outcome.findings
    statuses = Counter(row["status"] for row in outcome.snapshot.referrals.values() if row["referrer_org"] == org)
    retried = sum(1 for s in traffic.submissions if s.first_answer != 201 and s.referral_id is not None)
    refused = sum(1 for s in traffic.submissions if s.refused())
    return "\n".join(
        [
            f"[faults] {name}",
            f"  referrals sent {traffic.size}, first answers {dict(traffic.first_answers())}, "
            f"found by a retry with the same key {retried}, unanswered {found.count(UNANSWERED)}, "
            f"lost {found.count(LOST)}; answered as {dict(traffic.answered_as)}, "
            f"refused (too many needs) {refused}",
            f"  status: proposed {statuses['proposed']}, placed {statuses['placed']}, "
            f"unmatched {statuses['unmatched']}, withdrawn {statuses['withdrawn']}, "
            f"pending left {found.count(PENDING)}, still being matched {found.count(OPEN_REQUEST)}",
            f"  accepts {dict(traffic.accepts)}, withdrawals {dict(traffic.withdrawals)}",
            f"  orphan holds {found.count(ORPHAN_HOLD)}, proposals without their hold "
            f"{found.count(PROPOSAL_WITHOUT_HOLD)}, lost accepts {found.count(LOST_ACCEPT)}, "
            f"placed without one open stay {found.count(PLACED_WITHOUT_STAY)}, "
            f"other open stays {found.count(STAY_WITHOUT_PLACEMENT)}",
            f"  overbooked units {found.count(OVERBOOKED)} (counters {found.count(OVERBOOKED_COUNTERS)}), "
            f"counters off their rows {found.count(COUNTERS_DRIFT)}",
            f"  {'converged' if outcome.quiet and not found else 'NOT converged'} after {outcome.seconds:.1f} s",
        ]
    )


async def clean_up(stack: Stack, outcome: Outcome, org: str) -> Counter[str]:
    """Withdraw what still waits and end what was placed, as a coordinator, so that the next scenario
    finds the places free (it waits for intake's commands to capacity before it reconciles)."""
    coordinator = bearer("coordinator", org="Regiepunt Haaglanden", sub="faults-clean-up")
    left: Counter[str] = Counter()
    limit = asyncio.Semaphore(8)

    async def close(client: httpx.AsyncClient, referral_id: str, status: str) -> None:
        async with limit:
            if status == "placed":
                body = {"end_date": today().isoformat(), "reason": "returned_home"}
                response = await client.post(f"/v1/referrals/{referral_id}/end", json=body)
            else:
                response = await client.post(f"/v1/referrals/{referral_id}/withdraw")
        if response.status_code != 200:
            left[f"{status}: {response.status_code}"] += 1

    open_states = ("pending", "proposed", "unmatched", "placed")
    async with httpx.AsyncClient(base_url=stack.urls["intake"], headers=coordinator, timeout=30) as client:
        await asyncio.gather(
            *(
                close(client, referral_id, row["status"])
                for referral_id, row in outcome.snapshot.referrals.items()
                if row["referrer_org"] == org and row["status"] in open_states
            )
        )
    return left
