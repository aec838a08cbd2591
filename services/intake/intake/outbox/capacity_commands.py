"""Sending the stored capacity commands: at once after their change commits, and again by the workers
while capacity cannot be reached; an accept whose answer was lost is completed here."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from common.errors import Conflict, DependencyUnavailable
from common.logging import get_logger
from intake import clients
from intake.context import SYSTEM, Context, Row
from intake.db import capacity_commands
from intake.domain import Status
from intake.outbox.commands import CONFIRM_ACCEPT, END_OCCUPANCY, RELEASE_HOLDS, close_capacity_command
from intake.outbox.rules import retry_delay
from intake.referrals.placement import record_placement
from intake.referrals.store import load

log = get_logger("regiepunt.intake")


async def send_quietly(ctx: Context, command_id: str) -> None:
    """Send a command now that its change is committed; whatever fails, the workers send it later."""
    try:
        await send_capacity_command(ctx, command_id)
    except Exception as exc:
        log.warning("capacity_command_not_sent", command_id=command_id, error=repr(exc))


async def complete_accept(ctx: Context, command: Row) -> None:
    """An accept that was stored but not recorded: confirm the held place again (capacity answers the
    stay it made already, if it did) and record the placement. Nothing to do once the referral has
    moved on: recorded meanwhile, or the proposal declined, expired or replaced."""
    async with ctx.database.read() as session:
        row = await load(session, command["referral_id"])
    if row is None or row["status"] != Status.proposed or row["proposal_reservation_id"] != command["target_id"]:
        return
    start_date = date.fromisoformat(command["payload"]["start_date"])
    confirmed = await clients.confirm_reservation(ctx.capacity, command["target_id"], start_date)
    await record_placement(ctx, SYSTEM, row["id"], command["target_id"], confirmed)
    log.info("accept_completed", referral_id=row["id"], reservation_id=command["target_id"])


# Built once: every end of a stay and every withdrawal reads the first, every round of the workers the second.
_COMMAND = sa.select(capacity_commands).where(capacity_commands.c.id == sa.bindparam("command_id"))
_DUE = (
    sa.select(capacity_commands.c.id)
    .where(
        capacity_commands.c.done_at.is_(None),
        capacity_commands.c.next_attempt_at <= sa.bindparam("now", type_=capacity_commands.c.next_attempt_at.type),
    )
    .order_by(capacity_commands.c.next_attempt_at)
    .limit(sa.bindparam("batch", type_=sa.Integer))
)


async def send_capacity_command(ctx: Context, command_id: str) -> bool:
    """Send one stored command to capacity. True when it is done (delivered, or refused for good)."""
    async with ctx.database.read() as session:
        command = (await session.execute(_COMMAND, {"command_id": command_id})).mappings().one()
    if command["done_at"] is not None:
        return True
    error: str | None = None
    try:
        if command["kind"] == END_OCCUPANCY:
            await clients.end_occupancy(
                ctx.capacity, command["target_id"], date.fromisoformat(command["payload"]["end_date"])
            )
        elif command["kind"] == CONFIRM_ACCEPT:
            await complete_accept(ctx, command)
        elif command["kind"] == RELEASE_HOLDS:
            payload = command["payload"]
            await clients.release_holds(
                ctx.capacity, command["target_id"], payload.get("keep_reservation_id"), payload.get("request_ids")
            )
    except DependencyUnavailable as exc:
        now = ctx.now()
        async with ctx.database.transaction() as session:
            await session.execute(
                sa.update(capacity_commands)
                .where(capacity_commands.c.id == command_id)
                .values(
                    attempts=capacity_commands.c.attempts + 1,
                    next_attempt_at=now + retry_delay(ctx.settings.outbox_retry_seconds, int(command["attempts"])),
                    last_error=exc.detail,
                )
            )
        log.warning("capacity_command_deferred", command_id=command_id, kind=command["kind"], error=exc.detail)
        return False
    except Conflict as exc:
        # Capacity refuses for good (for example the stay was ended there already with other dates).
        error = exc.detail
        log.warning("capacity_command_refused", command_id=command_id, kind=command["kind"], error=exc.detail)
    await close_capacity_command(ctx, command_id, error)
    return True


async def send_capacity_commands(ctx: Context, *, batch: int = 50) -> int:
    """Worker step: send the commands capacity could not take before. Returns how many are done."""
    async with ctx.database.read() as session:
        due = (await session.scalars(_DUE, {"now": ctx.now(), "batch": batch})).all()
    done = 0
    for command_id in due:
        if await send_capacity_command(ctx, command_id):
            done += 1
    return done


async def complete_lost_accept(ctx: Context, referral_id: str, reservation_id: str) -> None:
    # Capacity refuses a release only for a confirmed hold; confirming again is idempotent there and
    # answers the stay it already made, with its own start date.
    try:
        confirmed = await clients.confirm_reservation(ctx.capacity, reservation_id, ctx.today())
    except Conflict:
        return
    try:
        await record_placement(ctx, SYSTEM, referral_id, reservation_id, confirmed)
    except Conflict:
        return  # the referral moved on in the meantime (withdrawn or accepted by another path)
    log.info("lost_accept_completed", referral_id=referral_id, reservation_id=reservation_id)
