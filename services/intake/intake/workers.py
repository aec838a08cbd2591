"""Intake's background steps; the app's lifespan loops them, tests call one step at a time."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from fastapi import FastAPI

from common.errors import ProblemError
from common.logging import get_logger, request_context
from intake import idempotency
from intake.access_log import retention as access_log_retention
from intake.client_keys import service as client_keys
from intake.context import Context
from intake.notifications import sending as notifications
from intake.outbox import capacity_commands, match_requests, upkeep
from intake.referral_groups import matching as group_matching
from intake.referrals import lifecycle
from intake.sessions import service as sessions
from intake.signals import authorisations
from intake.signals import resolution as signal_resolution
from intake.signals import store as signal_store
from intake.waiting_list import service as waiting_list

log = get_logger("regiepunt.intake.workers")


async def process_outbox(app: FastAPI) -> int:
    """Send the stored match requests that could not reach matching before."""
    return await match_requests.process_outbox(Context.of(app))


async def process_group_outbox(app: FastAPI) -> int:
    """Send the stored match requests of siblings kept together that could not reach matching before."""
    return await group_matching.process_group_outbox(Context.of(app))


async def send_capacity_commands(app: FastAPI) -> int:
    """Free the places of stays ended while capacity could not be reached."""
    return await capacity_commands.send_capacity_commands(Context.of(app))


async def expire_proposals(app: FastAPI) -> int:
    """Release places held past their expiry and match those children again."""
    return await lifecycle.expire_proposals(Context.of(app))


async def rematch_waiting(app: FastAPI) -> int:
    """Match waiting (unmatched) children again once capacity reports a place may have come free."""
    return await waiting_list.rematch_waiting(Context.of(app))


async def evaluate_crisis_caps(app: FastAPI) -> int:
    """Open the crisis-cap signals that came due, so that they appear without anyone asking."""
    return await signal_store.evaluate_crisis_caps(Context.of(app))


async def evaluate_authorisations(app: FastAPI) -> int:
    """Open the signals of court authorisations about to lapse for children placed in closed care."""
    return await authorisations.evaluate_authorisations(Context.of(app))


async def resolve_signals(app: FastAPI) -> int:
    """Mark the signals whose condition has gone (the stay ended, the cap moved) as resolved."""
    return await signal_resolution.resolve_signals(Context.of(app))


async def forget_expired_idempotency_keys(app: FastAPI) -> int:
    """Delete the Idempotency-Key answers past their lifetime: they hold the child's BSN."""
    return await idempotency.forget_expired_keys(Context.of(app))


async def rekey_client_keys(app: FastAPI) -> int:
    """After the client key was rotated: re-key the pseudonyms of an earlier key, here and elsewhere."""
    return await client_keys.rekey_step(Context.of(app))


async def forget_expired_sessions(app: FastAPI) -> int:
    """Delete the browser sessions past their expiry: they name a person and hold an ID token."""
    return await sessions.forget_expired_sessions(Context.of(app))


async def announce_expiring_proposals(app: FastAPI) -> int:
    """Tell the provider (and referrer) that an unanswered proposal lapses soon."""
    return await notifications.announce_expiring_proposals(Context.of(app))


async def announce_stale_units(app: FastAPI) -> int:
    """Remind providers whose units turned stale (unit.availability_stale). Capacity is asked once per
    REGIEPUNT_AVAILABILITY_STALE_POLL_SECONDS by the service's clock, not every round of the workers,
    and after the first time only for the units that can have turned stale since its last answer."""
    ctx = Context.of(app)
    now = ctx.now()
    due: datetime | None = getattr(app.state, "stale_units_due_at", None)
    if due is not None and now < due:
        return 0
    app.state.stale_units_due_at = now + timedelta(seconds=ctx.settings.availability_stale_poll_seconds)
    # Kept only once every unit of the answer was announced: a round that failed half-way is asked again.
    announced, app.state.stale_units_seen = await notifications.announce_stale_units(
        ctx, getattr(app.state, "stale_units_seen", None)
    )
    return announced


async def deliver_notifications(app: FastAPI) -> int:
    """Send the webhooks and e-mails whose turn has come; failed ones are tried again later."""
    return await notifications.deliver_notifications(Context.of(app))


async def forget_done_outbox_rows(app: FastAPI) -> int:
    """Delete the outbox rows done more than a week ago."""
    return await upkeep.forget_done_outbox_rows(Context.of(app))


async def keep_access_log(app: FastAPI) -> int:
    """Drop the access log's months past its retention (five years); prepare the months ahead."""
    return await access_log_retention.keep_access_log(Context.of(app))


STEPS: tuple[Callable[[FastAPI], Awaitable[int]], ...] = (
    process_outbox,
    process_group_outbox,
    send_capacity_commands,
    expire_proposals,
    rematch_waiting,
    evaluate_crisis_caps,
    evaluate_authorisations,
    resolve_signals,
    forget_expired_idempotency_keys,
    rekey_client_keys,
    forget_expired_sessions,
    announce_expiring_proposals,
    announce_stale_units,
    deliver_notifications,
    forget_done_outbox_rows,
    keep_access_log,
)


async def run_forever(app: FastAPI, interval: float) -> None:
    while True:
        for step in STEPS:
            await run_step(app, step)
        await asyncio.sleep(interval)


async def run_step(app: FastAPI, step: Callable[[FastAPI], Awaitable[int]]) -> None:
    """One run of one step, under a request id of its own that its logs and its calls to the other
    services carry; counted in the worker metrics."""
    failed = True
    with request_context():
        try:
            await step(app)
            failed = False
        except ProblemError as exc:  # another service is out of reach: try again next round
            log.warning("worker_step_deferred", step=step.__name__, error=exc.detail)
        except Exception as exc:
            log.exception("worker_step_failed", step=step.__name__, error=type(exc).__name__)
        finally:
            app.state.metrics.worker_ran(step.__name__, failed=failed)
