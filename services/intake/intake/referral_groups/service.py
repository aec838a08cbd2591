"""Use cases of a group of siblings besides its submission: reading it, recording a split (after which
the children are matched each on their own, and a coordinator is asked to look), and its decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.errors import InvalidFields
from intake import clients, domain
from intake.access_log.store import ReferralNotVisible, record_referrals
from intake.context import Context, Row
from intake.db import referral_groups
from intake.outbox.match_requests import enqueue_match, run_match
from intake.referral_groups import rules
from intake.referral_groups.schemas import ReferralGroupOut, SplitOut
from intake.referral_groups.store import WITHOUT_PLACE, children_of, close_group_requests, load_group
from intake.referrals.rendering import extensions_of, render
from intake.signals import store as signal_store
from intake.signals.rules import SignalType
from intake.signals.store import open_signal


class GroupNotVisible(ReferralNotVisible):
    """A group the caller may not see, or an id that names none: answered 404 and logged as a refused
    read, as for a referral."""

    def __init__(self, principal: Principal, group_id: str) -> None:
        super().__init__(principal, group_id, None)
        self.detail = f"No referral group {group_id} that you may see."
        self.args = (self.detail,)


def _may_see(principal: Principal, group: Row) -> bool:
    """Its referrer's organisation and the coordinators, as for its children's referrals."""
    if principal.role in ("coordinator", "service"):
        return True
    return principal.role == "referrer" and bool(group["referrer_org"] == principal.org)


async def visible_group(session: AsyncSession, principal: Principal, group_id: str, *, lock: bool = False) -> Row:
    group = await load_group(session, group_id, lock=lock)
    if group is None or not _may_see(principal, group):
        raise GroupNotVisible(principal, group_id)
    return group


async def render_group(session: AsyncSession, ctx: Context, group: Row, principal: Principal) -> ReferralGroupOut:
    children = await children_of(session, group)
    extensions = await extensions_of(session, children)
    shown_signals = await signal_store.open_signals_about(session, principal, children)
    today = ctx.today()
    split = None
    if group["split_code"] is not None:
        split = SplitOut(
            code=group["split_code"],
            justification=group["split_justification"] or "",
            split_by=group["split_by"],
            split_at=as_utc(group["split_at"]) if group["split_at"] is not None else None,
        )
    return ReferralGroupOut(
        id=group["id"],
        keep_together=bool(group["keep_together"]),
        status=rules.group_status(child["status"] for child in children),
        referrer_org=group["referrer_org"],
        split=split,
        referrals=[render(child, principal, today, extensions, shown_signals) for child in children],
        created_at=as_utc(group["created_at"]),
        updated_at=as_utc(group["updated_at"]),
    )


async def get_group(ctx: Context, principal: Principal, group_id: str) -> ReferralGroupOut:
    async with ctx.database.transaction() as session:
        group = await visible_group(session, principal, group_id)
        rendered = await render_group(session, ctx, group, principal)
        await record_referrals(session, principal, "read", await children_of(session, group), ctx.now())
        return rendered


async def open_split_signal(session: AsyncSession, group: Row, children: list[Row], now: datetime) -> None:
    """A split is a known harm: a coordinator looks at every one. The justification is free text and
    stays with the group; the signal carries the reason's code."""
    first = children[0]
    await open_signal(
        session,
        SignalType.siblings_split,
        referral_id=first["id"],
        client_key=first["client_key"],
        scope=f"group:{group['id']}",
        detail={
            "group_id": group["id"],
            "split_code": group["split_code"],
            "referral_ids": [child["id"] for child in children],
        },
        now=now,
    )


async def split_group(
    ctx: Context, principal: Principal, group_id: str, code: str, justification: str
) -> ReferralGroupOut:
    """Record why the siblings are placed apart; from now on the children still waiting are matched each
    on their own. Proposals made to the group together stand."""
    errors = rules.split_errors(code, justification, ctx.vocabulary.codes("split_reasons"))
    if errors:
        raise InvalidFields(errors)
    now = ctx.now()
    queued: list[str] = []
    async with ctx.database.transaction() as session:
        group = await visible_group(session, principal, group_id, lock=True)
        if not group["keep_together"]:
            raise domain.StateConflict("The siblings are split already.")
        await session.execute(
            sa.update(referral_groups)
            .where(referral_groups.c.id == group_id)
            .values(
                keep_together=False,
                split_code=code,
                split_justification=justification,
                split_by=principal.sub,
                split_at=now,
                updated_at=now,
            )
        )
        updated = await load_group(session, group_id)
        assert updated is not None
        children = await children_of(session, updated, lock=True)
        await open_split_signal(session, updated, children, now)
        # A joint request still open is asked no more: what it may have held is given back when it answers.
        await close_group_requests(session, group_id, now, "split")
        await record_referrals(session, principal, "split", children, now)
        for child in children:
            if child["status"] in WITHOUT_PLACE:
                request = await enqueue_match(session, ctx, child)
                if request is not None:
                    queued.append(str(request["request_id"]))
    for request_id in queued:
        await run_match(ctx, request_id)
    async with ctx.database.read() as session:
        after = await load_group(session, group_id)
        assert after is not None
        return await render_group(session, ctx, after, principal)


async def group_decisions(ctx: Context, principal: Principal, group_id: str) -> dict[str, Any]:
    """Matching's decisions about the group as a whole, passed on as matching answered them."""
    async with ctx.database.transaction() as session:
        group = await visible_group(session, principal, group_id)
        await record_referrals(session, principal, "read_decisions", await children_of(session, group), ctx.now())
    return (await clients.group_decisions_for(ctx.matching, group_id)).model_dump(mode="json")
