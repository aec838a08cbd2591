"""A referral as its reader is shown it: the BSN only to those who may see it, the crisis extensions
of a crisis stay and the open signals the reader may see."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from common.auth import Principal
from common.clock import as_utc
from contracts import ijw
from intake import domain
from intake.context import Context, Row
from intake.db import crisis_extensions
from intake.domain import Status
from intake.referrals import suitability
from intake.schemas import (
    ClientOut,
    CrisisExtensionOut,
    IjwOut,
    OutOfRegionOut,
    PlacementOut,
    ProposalOut,
    ReferralOut,
    SignalOut,
)
from intake.signals import store as signal_store


def _shows_bsn(principal: Principal, row: Row) -> bool:
    if principal.role == "referrer":
        return bool(row["referrer_org"] == principal.org)
    if principal.role == "provider":
        placed = row["status"] in (Status.placed, Status.ended)
        return placed and principal.acts_for_provider(row["placement_provider_id"])
    return False


# Built once: every referral shown with a crisis stay reads it.
_EXTENSIONS = (
    sa.select(crisis_extensions)
    .where(crisis_extensions.c.referral_id.in_(sa.bindparam("referral_ids", expanding=True)))
    .order_by(crisis_extensions.c.created_at, crisis_extensions.c.new_end_date)
)


async def extensions_of(session: AsyncSession, rows: list[Row]) -> dict[str, list[CrisisExtensionOut]]:
    """The crisis extensions of the referrals that show them: only a crisis stay has an end date to extend."""
    found: dict[str, list[CrisisExtensionOut]] = {}
    referral_ids = [row["id"] for row in rows if row["crisis_end_date"] is not None]
    if not referral_ids:
        return found
    extended = (await session.execute(_EXTENSIONS, {"referral_ids": referral_ids})).mappings().all()
    for ext in extended:
        found.setdefault(ext["referral_id"], []).append(
            CrisisExtensionOut(
                days=ext["days"],
                reason=ext["reason"],
                previous_end_date=ext["previous_end_date"],
                new_end_date=ext["new_end_date"],
                extended_by=ext["extended_by"],
                created_at=as_utc(ext["created_at"]),
            )
        )
    return found


def render(
    row: Row,
    principal: Principal,
    today: date,
    extensions: dict[str, list[CrisisExtensionOut]],
    shown_signals: dict[str, list[SignalOut]],
) -> ReferralOut:
    proposal = None
    if row["status"] == Status.proposed and row["proposal_unit_id"]:
        proposal = ProposalOut(
            unit_id=row["proposal_unit_id"],
            provider_id=row["proposal_provider_id"],
            in_region=bool(row["proposal_in_region"]),
            expires_at=as_utc(row["proposal_expires_at"]),
            reasons=list(row["proposal_reasons"] or []),
            **suitability.proposal_distances(row),
        )
    placement = None
    if row["placement_unit_id"]:
        crisis_end = row["crisis_end_date"]
        placement = PlacementOut(
            unit_id=row["placement_unit_id"],
            provider_id=row["placement_provider_id"],
            in_region=bool(row["placement_in_region"]),
            start_date=row["start_date"],
            end_date=row["end_date"],
            end_reason=row["end_reason"],
            crisis_end_date=crisis_end,
            # Days left count only while the child is still in the crisis stay.
            crisis_days_left=domain.crisis_days_left(crisis_end, today) if row["status"] == Status.placed else None,
            crisis_extensions=extensions.get(row["id"], []) if crisis_end is not None else None,
            contracted=row["placement_contracted"],
        )
    out_of_region = None
    if row["out_of_region_criterion"]:
        out_of_region = OutOfRegionOut(
            criterion=row["out_of_region_criterion"], justification=row["out_of_region_justification"] or ""
        )
    return ReferralOut(
        id=row["id"],
        reference=row["reference"],
        status=Status(row["status"]),
        care_type=row["care_type"],
        target_group=row["target_group"],
        needs=list(row["needs"] or []),
        part_time=bool(row["part_time"]),
        requested_start=row["requested_start"],
        referrer_org=row["referrer_org"],
        out_of_region=out_of_region,
        proposal=proposal,
        placement=placement,
        signals=shown_signals.get(row["id"], []),
        created_at=as_utc(row["created_at"]),
        updated_at=as_utc(row["updated_at"]),
        client=ClientOut(
            birth_date=row["birth_date"],
            municipality_code=row["municipality_code"],
            bsn=row["bsn"] if _shows_bsn(principal, row) else None,
            school_municipality_code=row["school_municipality_code"],
        ),
        **suitability.shown_fields(row, principal),
        group_id=row["group_id"],
        risk_flags=list(row["risk_flags"] or []),
        vulnerabilities=list(row["vulnerabilities"] or []),
        ijw=IjwOut(
            verwijzer_code=ijw.verwijzer_code(row.get("referrer_type")),
            productcategorie=ijw.productcategorie(row["care_type"]),
        ),
    )


async def render_one(session: AsyncSession, ctx: Context, row: Row, principal: Principal) -> ReferralOut:
    return render(
        row,
        principal,
        ctx.today(),
        await extensions_of(session, [row]),
        await signal_store.open_signals_about(session, principal, [row]),
    )
