"""Re-keying in intake's database: a child's rows moved to its pseudonym under the current key, with
the pairs of old and new pseudonyms queued for capacity and matching in the same transaction."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.db import insert_or_skip
from intake.client_keys.rules import SERVICES
from intake.db import access_log, client_key_changes, referrals, signals, worker_state
from intake.indicators import days, stays

# worker_state rows: the key ids adopted so far (client_keys.rules.adopted_keys), and the progress of
# the pass that re-keys the referrals of earlier keys (client_keys.rules.Pass).
ADOPTED_KEYS = "client_key_ids"
REKEY_PROGRESS = "client_key_rekey"

# Built once: every submission asks the first, every round of the workers the second.
_OTHER_KEY = (
    sa.select(referrals.c.id)
    .where(referrals.c.bsn == sa.bindparam("bsn"), referrals.c.client_key != sa.bindparam("new_key"))
    .limit(1)
)
_STATE = sa.select(worker_state.c.value).where(worker_state.c.name == sa.bindparam("state_name"))


@dataclass(frozen=True)
class Rekeyed:
    """What re-keying one child changed here: its referrals, and its earlier pseudonyms."""

    referrals: int = 0
    old_keys: tuple[str, ...] = ()


async def rekey_child(session: AsyncSession, bsn: str, new_key: str, now: datetime) -> Rekeyed:
    """Move every referral of the child (found by its BSN, whatever key made its pseudonym) to
    `new_key`, with its signals and its access-log entries, and queue the pairs for the other services.
    The child's rows are locked in id order, as a stay change locks them (indicators.stays.lock_child),
    so the two take turns; run again, it finds nothing left to do."""
    r = referrals.c
    # Nearly always nothing: asked without a lock first, so that a submission locks nothing it need not.
    if await session.scalar(_OTHER_KEY, {"bsn": bsn, "new_key": new_key}) is None:
        return Rekeyed()
    rows = (
        await session.execute(
            sa.select(*days.COLUMNS, r.client_key).where(r.bsn == bsn).order_by(r.id).with_for_update()
        )
    ).all()
    stale = [row for row in rows if row.client_key != new_key]
    if not stale:
        return Rekeyed()
    merged = len({row.client_key for row in rows}) > 1
    if merged:
        # Two children to the indicators become one: the follow-on of their stays may change.
        days.remember(session, (row._mapping for row in rows))
    old_keys = tuple(sorted({row.client_key for row in stale}))
    ids = [row.id for row in stale]
    await session.execute(sa.update(referrals).where(r.id.in_(ids)).values(client_key=new_key))
    for old_key in old_keys:
        await _rekey_signals(session, old_key, new_key)
    # Only the pseudonym changes, brought in line with the referral's; on PostgreSQL the access log's
    # trigger allows this one update and no other (intake migration 0008).
    await session.execute(
        sa.update(access_log)
        .where(access_log.c.referral_id.in_(ids), access_log.c.client_key.in_(old_keys))
        .values(client_key=new_key)
    )
    if merged:
        # Stays made under two keys were two children to the indicators until now: one child again.
        await stays.refresh_child(session, new_key)
    await _queue_changes(session, old_keys, new_key, now)
    return Rekeyed(len(ids), old_keys)


async def _rekey_signals(session: AsyncSession, old_key: str, new_key: str) -> None:
    """The child's signals with their condition keys (`type:client_key:scope`). Should the same
    condition be open under both keys, the re-keyed one stays open without holding the condition's
    open key, so that neither task for the coordinator is lost."""
    s = signals.c
    old_part, new_part = f":{old_key}:", f":{new_key}:"
    taken = signals.alias("taken")
    new_open_key = sa.func.replace(s.open_key, old_part, new_part)
    await session.execute(
        sa.update(signals)
        .where(s.client_key == old_key)
        .values(
            client_key=new_key,
            condition_key=sa.func.replace(s.condition_key, old_part, new_part),
            open_key=sa.case(
                (sa.exists().where(taken.c.open_key == new_open_key), sa.null()),
                else_=new_open_key,
            ),
        )
    )


async def _queue_changes(session: AsyncSession, old_keys: tuple[str, ...], new_key: str, now: datetime) -> None:
    """Queue old → new for each service. Pairs still waiting that led to one of the old keys now lead
    to the new one, so that the order in which pairs arrive never matters."""
    c = client_key_changes.c
    await session.execute(sa.update(client_key_changes).where(c.new_key.in_(old_keys)).values(new_key=new_key))
    await session.execute(sa.delete(client_key_changes).where(c.new_key == new_key, c.old_key == new_key))
    await session.execute(
        sa.insert(client_key_changes),
        [
            {
                "id": str(uuid.uuid4()),
                "service": service,
                "old_key": old_key,
                "new_key": new_key,
                "created_at": now,
                "attempts": 0,
                "next_attempt_at": now,
            }
            for service in SERVICES
            for old_key in old_keys
        ],
    )


async def children_of_earlier_keys(session: AsyncSession, key_id: str, after: str, limit: int) -> tuple[list[str], str]:
    """The BSNs of the children among the next `limit` referrals (in id order, after `after`) whose
    pseudonym another key made, and the last referral id read; ([], after) when none are left."""
    r = referrals.c
    found = (
        await session.execute(
            sa.select(r.id, r.bsn)
            .where(r.id > after, sa.not_(r.client_key.startswith(f"{key_id}.")))
            .order_by(r.id)
            .limit(limit)
        )
    ).all()
    if not found:
        return [], after
    return list(dict.fromkeys(row.bsn for row in found)), str(found[-1].id)


async def read_state(session: AsyncSession, name: str) -> str | None:
    value: str | None = await session.scalar(_STATE, {"state_name": name})
    return value


async def write_state(session: AsyncSession, name: str, value: str) -> None:
    # Inserted when missing (two replicas may both try), then set.
    await session.execute(insert_or_skip(session, worker_state, "name"), {"name": name, "value": value})
    await session.execute(sa.update(worker_state).where(worker_state.c.name == name).values(value=value))
