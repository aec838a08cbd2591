"""Re-keying after the client key was rotated (docs/architecture.md, "Rotating the client key"): a pass
over intake's referrals moves each child of an earlier key to its pseudonym under the current key, and
the pairs of old and new pseudonyms go to capacity and matching in batches, through a durable queue.
The workers do it on their own after a restart with a new secret; `python -m intake rekey-client-keys`
runs the same steps to the end at once. Both are safe to repeat, and to run after a crash midway."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from common.errors import DependencyUnavailable
from common.logging import get_logger
from contracts.client_keys import MAX_PAIRS
from intake import clients, domain
from intake.client_keys import rules, store
from intake.client_keys.rules import SERVICES, Pass
from intake.context import Context
from intake.db import client_key_changes
from intake.outbox.rules import retry_delay

log = get_logger("regiepunt.intake.client_keys")

# Referrals read per transaction of the pass (the command's; a worker round reads fewer, so that the
# other steps of the round are not kept waiting), and pairs per call to capacity or matching.
REFERRALS_PER_BATCH = 500
REFERRALS_PER_ROUND = 100
PAIRS_PER_CALL = min(500, MAX_PAIRS)


@dataclass
class Report:
    """What a run of re-keying did: per service, the pairs delivered, the rows they changed there,
    and the pairs still waiting because the service could not be reached."""

    key_id: str
    children: int = 0
    referrals: int = 0
    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))
    waiting: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SERVICES, 0))

    @property
    def complete(self) -> bool:
        return not any(self.waiting.values())

    def lines(self) -> list[str]:
        found = [f"intake: key {self.key_id}: {self.referrals} referrals of {self.children} children re-keyed"]
        for service in SERVICES:
            line = f"{service}: {self.sent[service]} pairs sent, {self.updated[service]} rows re-keyed"
            if self.waiting[service]:
                line += f"; {self.waiting[service]} pairs wait until {service} can be reached (the workers send them)"
            found.append(line)
        return found


async def rekey_some(ctx: Context, after: str, limit: int = REFERRALS_PER_BATCH) -> tuple[int, int, str | None]:
    """One transaction of the pass: the children among the next `limit` referrals after `after` whose
    pseudonym an earlier key made. Returns (children, referrals re-keyed, the last referral id read,
    or None when no referral of an earlier key is left)."""
    secret = ctx.settings.client_key_secret
    key_id = domain.client_key_id(secret)
    now = ctx.now()
    children = moved = 0
    async with ctx.database.transaction() as session:
        bsns, last = await store.children_of_earlier_keys(session, key_id, after, limit)
        for bsn in bsns:
            rekeyed = await store.rekey_child(session, bsn, domain.client_key(secret, bsn), now)
            if rekeyed.referrals:
                children += 1
                moved += rekeyed.referrals
    return children, moved, (last if bsns else None)


async def deliver(ctx: Context, service: str, *, due_only: bool = True) -> tuple[int, int]:
    """Send one batch of waiting pairs to `service`; (pairs delivered, rows changed there). Raises
    DependencyUnavailable, with the batch kept for later, when the service cannot be reached."""
    c = client_key_changes.c
    now = ctx.now()
    query = sa.select(client_key_changes).where(c.service == service)
    if due_only:
        query = query.where(c.next_attempt_at <= now)
    async with ctx.database.read() as session:
        rows = (await session.execute(query.order_by(c.created_at, c.id).limit(PAIRS_PER_CALL))).mappings().all()
    if not rows:
        return 0, 0
    client = ctx.capacity if service == "capacity" else ctx.matching
    try:
        updated = await clients.rekey_client_keys(client, service, [(row["old_key"], row["new_key"]) for row in rows])
    except DependencyUnavailable as exc:
        attempts = max(int(row["attempts"]) for row in rows)
        async with ctx.database.transaction() as session:
            await session.execute(
                sa.update(client_key_changes)
                .where(c.id.in_([row["id"] for row in rows]))
                .values(
                    attempts=c.attempts + 1,
                    next_attempt_at=now + retry_delay(ctx.settings.outbox_retry_seconds, attempts),
                    last_error=exc.detail,
                )
            )
        raise
    async with ctx.database.transaction() as session:
        # A pair re-pointed to a newer key while this batch was on its way stays for the next one.
        await session.execute(
            sa.delete(client_key_changes).where(c.id == sa.bindparam("b_id"), c.new_key == sa.bindparam("b_new")),
            [{"b_id": row["id"], "b_new": row["new_key"]} for row in rows],
        )
    return len(rows), updated


async def _waiting(ctx: Context, service: str) -> int:
    async with ctx.database.read() as session:
        count = await session.scalar(
            sa.select(sa.func.count()).select_from(client_key_changes).where(client_key_changes.c.service == service)
        )
    return int(count or 0)


async def rekey_all(ctx: Context) -> Report:
    """The command: adopt the current key (also one adopted before: a rotation back), re-key every
    referral of an earlier key, then send every waiting pair. A service out of reach keeps its pairs
    waiting; the report says how many, and the workers send them once it is back."""
    key_id = domain.client_key_id(ctx.settings.client_key_secret)
    report = Report(key_id)
    async with ctx.database.transaction() as session:
        adopted = rules.adopted_keys(await store.read_state(session, store.ADOPTED_KEYS))
        await store.write_state(session, store.ADOPTED_KEYS, ",".join(rules.adopt(adopted, key_id)))
        await store.write_state(session, store.REKEY_PROGRESS, Pass(key_id).value())
    after: str | None = ""
    while after is not None:
        children, moved, after = await rekey_some(ctx, after)
        report.children += children
        report.referrals += moved
    async with ctx.database.transaction() as session:
        await store.write_state(session, store.REKEY_PROGRESS, Pass(key_id, done=True).value())
    for service in SERVICES:
        try:
            while True:
                sent, updated = await deliver(ctx, service, due_only=False)
                if not sent:
                    break
                report.sent[service] += sent
                report.updated[service] += updated
        except DependencyUnavailable as exc:
            log.warning("client_keys_not_delivered", service=service, error=exc.detail)
        report.waiting[service] = await _waiting(ctx, service)
    log.info(
        "client_keys_rekeyed",
        key_id=key_id,
        children=report.children,
        referrals=report.referrals,
        **{f"{service}_pairs": report.sent[service] for service in SERVICES},
    )
    return report


# Key ids this process has said are retired, so that it says so once, not every round.
_warned_retired: set[str] = set()


_DUE = sa.select(
    *(
        sa.exists().where(
            client_key_changes.c.service == service, client_key_changes.c.next_attempt_at <= sa.bindparam("now")
        )
        for service in SERVICES
    )
)


async def rekey_step(ctx: Context) -> int:
    """Worker step: one batch of the pass while referrals of an earlier key are left, and the pairs
    whose turn has come. A key seen for the first time is adopted: the pass starts over under it. A
    retired key re-keys nothing (see rules.is_retired). Returns the referrals re-keyed and pairs sent."""
    key_id = domain.client_key_id(ctx.settings.client_key_secret)
    async with ctx.database.read() as session:
        adopted = rules.adopted_keys(await store.read_state(session, store.ADOPTED_KEYS))
        current = rules.pass_of(await store.read_state(session, store.REKEY_PROGRESS), key_id)
        # The services with pairs whose turn has come (on the queue's index): most rounds none, and
        # nothing more is read.
        due = (await session.execute(_DUE, {"now": ctx.now()})).one()
    waiting = {service for service, is_due in zip(SERVICES, due, strict=True) if is_due}
    done = 0
    if rules.is_retired(adopted, key_id):
        if key_id not in _warned_retired:
            _warned_retired.add(key_id)
            log.warning("client_key_retired", key_id=key_id, current_key_id=adopted[0])
    else:
        if not adopted or adopted[0] != key_id:
            current = Pass(key_id)
            async with ctx.database.transaction() as session:
                await store.write_state(session, store.ADOPTED_KEYS, ",".join(rules.adopt(adopted, key_id)))
                await store.write_state(session, store.REKEY_PROGRESS, current.value())
            log.info("client_key_adopted", key_id=key_id)
        if not current.done:
            _children, moved, after = await rekey_some(ctx, current.after, REFERRALS_PER_ROUND)
            done += moved
            progress = Pass(key_id, done=True) if after is None else Pass(key_id, after=after)
            async with ctx.database.transaction() as session:
                await store.write_state(session, store.REKEY_PROGRESS, progress.value())
            # The pass queued pairs of its own.
            waiting = set(SERVICES)
    for service in SERVICES:
        if service not in waiting:
            continue
        try:
            sent, _updated = await deliver(ctx, service)
        except DependencyUnavailable as exc:
            log.warning("client_keys_deferred", service=service, error=exc.detail)
            continue
        done += sent
    return done
