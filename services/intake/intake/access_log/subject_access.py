"""A child's right of access (AVG art. 15): everything intake holds about the child, with its access log
and the pseudonymous key the child is known by in capacity and matching."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from common.errors import InvalidInput
from intake import domain
from intake.access_log.schemas import (
    DeclineOut,
    SubjectAccessOut,
    SubjectClientOut,
    SubjectGroupOut,
    SubjectReferralOut,
)
from intake.access_log.service import render
from intake.access_log.store import SUBJECT_ACCESS, record
from intake.context import Context
from intake.db import access_log, proposal_declines, referral_groups, referrals
from intake.db import signals as signals_table
from intake.referrals import rendering, suitability
from intake.signals import store as signals


async def _kept_for(session: AsyncSession, table: sa.Table, referral_ids: list[str]) -> list[sa.RowMapping]:
    """The rows of `table` kept about these referrals, oldest first."""
    found = await session.execute(
        sa.select(table).where(table.c.referral_id.in_(referral_ids)).order_by(table.c.created_at, table.c.id)
    )
    return list(found.mappings().all())


async def subject_access(ctx: Context, principal: Principal, bsn: str) -> SubjectAccessOut:
    """Every referral of the child, each with all intake keeps of it. A BSN intake does not know answers
    empty lists and nothing else. The request is logged: one entry per referral found, or one without a
    referral when none was."""
    if not domain.bsn_is_valid(bsn):
        raise InvalidInput("bsn", "is not a valid BSN: it must be 9 digits and pass the eleven-test")
    key = domain.client_key(ctx.settings.client_key_secret, bsn)
    now = ctx.now()
    async with ctx.database.transaction() as session:
        rows = list(
            (
                await session.execute(
                    sa.select(referrals)
                    # By the BSN: a referral whose pseudonym an earlier key made is the child's too.
                    .where(referrals.c.bsn == bsn)
                    .order_by(referrals.c.created_at, referrals.c.id)
                )
            )
            .mappings()
            .all()
        )
        ids = [row["id"] for row in rows]
        extensions = await rendering.extensions_of(session, rows)
        kept_signals = await _kept_for(session, signals_table, ids)
        declines = await _kept_for(session, proposal_declines, ids)
        group_ids = {row["group_id"] for row in rows if row["group_id"] is not None}
        groups = {
            group["id"]: group
            for group in (
                await session.execute(sa.select(referral_groups).where(referral_groups.c.id.in_(group_ids)))
            ).mappings()
        }
        of_the_child = sa.select(access_log).where(access_log.c.referral_id.in_(ids)).order_by(access_log.c.seq)
        logged = (await session.execute(of_the_child)).mappings().all()
        asked: list[tuple[str | None, str | None]] = [(row["id"], row["client_key"]) for row in rows]
        await record(session, principal, SUBJECT_ACCESS, now, asked or [(None, None)])
    today = ctx.today()
    found = []
    for row in rows:
        shown = rendering.render(row, principal, today, extensions, {})
        found.append(
            SubjectReferralOut(
                id=row["id"],
                status=row["status"],
                referrer_org=row["referrer_org"],
                referrer_sub=row["referrer_sub"],
                client=SubjectClientOut(
                    bsn=row["bsn"], birth_date=row["birth_date"], municipality_code=row["municipality_code"]
                ),
                care_type=row["care_type"],
                target_group=row["target_group"],
                needs=list(row["needs"] or []),
                needs_free_text=list(row["needs_free_text"] or []),
                risk_flags=shown.risk_flags,
                vulnerabilities=shown.vulnerabilities,
                part_time=bool(row["part_time"]),
                requested_start=row["requested_start"],
                out_of_region=shown.out_of_region,
                notes=row["notes"],
                proposal=shown.proposal,
                placement=shown.placement,
                unmatched_reasons=row["unmatched_reasons"],
                excluded_unit_ids=list(row["excluded_unit_ids"] or []),
                crisis_extensions=extensions.get(row["id"], []),
                declines=[
                    DeclineOut(
                        provider_id=d["provider_id"],
                        unit_id=d["unit_id"],
                        reason_code=d["reason_code"],
                        reason=d["reason"],
                        declined_by=d["declined_by"],
                        created_at=as_utc(d["created_at"]),
                    )
                    for d in declines
                    if d["referral_id"] == row["id"]
                ],
                signals=[signals.render(s) for s in kept_signals if s["referral_id"] == row["id"]],
                created_at=as_utc(row["created_at"]),
                updated_at=as_utc(row["updated_at"]),
                school_municipality_code=row["school_municipality_code"],
                max_travel_km=row["max_travel_km"],
                child_voice=suitability.child_voice(row, with_note=True),
                court_authorisation=suitability.court_authorisation(row),
                group=_group(groups.get(row["group_id"])),
            )
        )
    return SubjectAccessOut(
        client_key=key if rows else None,
        referrals=found,
        access_log=[render(row) for row in logged],
    )


def _group(group: sa.RowMapping | None) -> SubjectGroupOut | None:
    if group is None:
        return None
    return SubjectGroupOut(
        id=group["id"],
        keep_together=bool(group["keep_together"]),
        split_code=group["split_code"],
        split_justification=group["split_justification"],
        split_by=group["split_by"],
        split_at=as_utc(group["split_at"]) if group["split_at"] is not None else None,
    )
