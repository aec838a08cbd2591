"""Reading referrals: one, a page of them, the longest waiting, and a referral's access log and
matching decisions; every read is written to the access log."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.errors import Forbidden
from contracts import lists
from intake import clients
from intake.access_log.store import record_referrals
from intake.context import Context, Row
from intake.db import access_log, referral_providers, referrals
from intake.domain import Status
from intake.referrals.rendering import extensions_of, render, render_one
from intake.referrals.visibility import provider_shares_joint_duty, visible
from intake.schemas import AccessLogEntryOut, AccessLogOut, ReferralOut, ReferralPage
from intake.signals import store as signal_store


async def get_referral(ctx: Context, principal: Principal, referral_id: str) -> ReferralOut:
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id)
        await record_referrals(session, principal, "read", [row], ctx.now())
        return await render_one(session, ctx, row, principal)


# The orders of the lists of referrals: a page of all (newest first), the longest waiting, the proposals
# whose hold ends first.
_ORDERS = {
    "newest": (referrals.c.created_at.desc(), referrals.c.id.desc()),
    "longest_waiting": (referrals.c.created_at, referrals.c.id),
    "soonest_expiring": (referrals.c.proposal_expires_at, referrals.c.id),
}


@functools.cache
def _listing(audience: str, by_status: bool, order: str) -> tuple[sa.Select[Any], sa.Select[Any]]:
    """How many referrals an audience may list, and the first `limit` of them (after `offset` for the
    newest first), built once per shape: `org` (a referrer's), `provider_id` (a provider's, the
    referrals once proposed to it) and `statuses` bound."""
    query = sa.select(referrals)
    if audience == "referrer":
        query = query.where(referrals.c.referrer_org == sa.bindparam("org"))
    elif audience == "provider":
        mine = sa.select(referral_providers.c.referral_id).where(
            referral_providers.c.provider_id == sa.bindparam("provider_id")
        )
        query = query.where(referrals.c.id.in_(mine))
    if by_status:
        query = query.where(referrals.c.status.in_(sa.bindparam("statuses", expanding=True)))
    count = sa.select(sa.func.count()).select_from(query.subquery())
    page = query.order_by(*_ORDERS[order]).limit(sa.bindparam("limit", type_=sa.Integer))
    if order == "newest":
        page = page.offset(sa.bindparam("offset", type_=sa.Integer))
    return count, page


async def _visible_referrals(
    ctx: Context, principal: Principal, statuses: list[Status], order: str
) -> tuple[sa.Select[Any], sa.Select[Any], dict[str, Any]]:
    """The count and the page (_listing) of the referrals this principal may list, of the given
    statuses (all when none given), and the values to bind."""
    audience = "all"
    values: dict[str, Any] = {}
    if principal.role == "referrer":
        audience, values = "referrer", {"org": principal.org}
    elif principal.role == "provider":
        if statuses == [Status.unmatched] and await provider_shares_joint_duty(ctx, principal.provider_id):
            pass  # every waiting child, not only those once proposed to this provider
        else:
            audience, values = "provider", {"provider_id": principal.provider_id}
    if statuses:
        values["statuses"] = [status.value for status in statuses]
    count, page = _listing(audience, bool(statuses), order)
    return count, page, values


async def _render_listed(
    session: AsyncSession, ctx: Context, principal: Principal, rows: list[Row]
) -> list[ReferralOut]:
    """Referrals shown in a list: each one shown is logged as listed."""
    await record_referrals(session, principal, "list", rows, ctx.now())
    extensions = await extensions_of(session, rows)
    shown_signals = await signal_store.open_signals_about(session, principal, rows)
    today = ctx.today()
    return [render(row, principal, today, extensions, shown_signals) for row in rows]


async def list_referrals(
    ctx: Context, principal: Principal, status: Status | None, limit: int, offset: int
) -> ReferralPage:
    statuses = [status] if status is not None else []
    count, page, values = await _visible_referrals(ctx, principal, statuses, "newest")
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(count, values) or 0)
        rows = list((await session.execute(page, {**values, "limit": limit, "offset": offset})).mappings().all())
        items = await _render_listed(session, ctx, principal, rows)
    return ReferralPage(items=items, **lists.page(total, limit, offset, len(items)))


async def longest_waiting(
    ctx: Context, principal: Principal, statuses: list[Status], limit: int
) -> tuple[list[ReferralOut], int]:
    """The referrals of these statuses that have waited longest (oldest first), at most `limit`,
    and how many there are in all."""
    count, page, values = await _visible_referrals(ctx, principal, statuses, "longest_waiting")
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(count, values) or 0)
        rows = list((await session.execute(page, {**values, "limit": limit})).mappings().all())
        items = await _render_listed(session, ctx, principal, rows)
    return items, total


async def soonest_expiring_proposals(ctx: Context, principal: Principal, limit: int) -> tuple[list[ReferralOut], int]:
    """The proposals awaiting a provider's answer, those whose hold ends first first, at most
    `limit`, and how many there are in all."""
    count, page, values = await _visible_referrals(ctx, principal, [Status.proposed], "soonest_expiring")
    async with ctx.database.transaction() as session:
        total = int(await session.scalar(count, values) or 0)
        rows = list((await session.execute(page, {**values, "limit": limit})).mappings().all())
        items = await _render_listed(session, ctx, principal, rows)
    return items, total


async def children_of(ctx: Context, principal: Principal, referral_ids: Iterable[str]) -> dict[str, Row]:
    """What names the child of each referral on a coordinator's page (its reference, birth date and
    municipality), by referral id. Not logged again: the overview asks only about the crisis stays and
    signals it has just read, and those reads are in the access log already (`list`, `read_signals`)."""
    if not principal.is_coordinator:
        raise Forbidden("Only a coordinator reads the overview.")
    wanted = sorted(set(referral_ids))
    r = referrals.c
    found: dict[str, Row] = {}
    async with ctx.database.read() as session:
        for start in range(0, len(wanted), 500):
            rows = (
                await session.execute(
                    sa.select(r.id, r.client_key, r.reference, r.birth_date, r.municipality_code).where(
                        r.id.in_(wanted[start : start + 500])
                    )
                )
            ).mappings()
            found.update({row["id"]: row for row in rows})
    return found


async def read_access_log(ctx: Context, principal: Principal, referral_id: str) -> AccessLogOut:
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id)
        entries = (
            (
                await session.execute(
                    sa.select(access_log).where(access_log.c.referral_id == referral_id).order_by(access_log.c.seq)
                )
            )
            .mappings()
            .all()
        )
        # Reading who read a child's file is itself a read of that file.
        await record_referrals(session, principal, "read_access_log", [row], ctx.now())
    return AccessLogOut(
        items=[
            AccessLogEntryOut(
                at=as_utc(e["at"]),
                sub=e["sub"],
                role=e["role"],
                org=e["org"],
                action=e["action"],
                referral_id=e["referral_id"],
            )
            for e in entries
        ],
        **lists.whole(len(entries)),
    )


async def read_decisions(ctx: Context, principal: Principal, referral_id: str) -> dict[str, Any]:
    """Matching's decisions about the referral, passed on as matching answered them."""
    async with ctx.database.transaction() as session:
        row = await visible(session, ctx, principal, referral_id)
        await record_referrals(session, principal, "read_decisions", [row], ctx.now())
    return (await clients.decisions_for(ctx.matching, referral_id)).model_dump(mode="json")
