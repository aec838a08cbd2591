"""Signals whose condition has gone, over real HTTP: `resolved_at` is set when the stay ends or the cap
is moved while the status stays open until a coordinator acknowledges; the list is ordered by urgency
with the crisis days of the stay now, pages through every signal, and the overview's counts of the
crisis stays and of the signals are one number."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI
from intake_support import COORDINATOR, fresh_bsn, submitted, with_client
from test_signals import at, listed, of_type, placed

from common.auth import Principal
from common.clock import ManualClock
from intake.context import Context
from intake.dashboard import service as dashboard
from intake.workers import resolve_signals

COORDINATING = Principal(sub="coco", role="coordinator", org="Regiepunt Haaglanden")


async def crisis_stay(intake: httpx.AsyncClient, capacity: httpx.AsyncClient, start: str) -> tuple[str, dict[str, str]]:
    referral_id, _, headers = await placed(
        intake, capacity, body=with_client(bsn=fresh_bsn()), care_type="crisis", role="strategic", start_date=start
    )
    return referral_id, headers


async def test_a_crisis_warning_is_resolved_when_the_stay_ends_and_stays_open_until_acknowledged(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, headers = await crisis_stay(intake, capacity, "2026-11-02")  # cap 2026-11-30
    clock.set(at("2026-11-24"))
    [warning] = await of_type(intake, "crisis_cap_approaching")
    assert (warning["resolved_at"], warning["crisis_days_left"], warning["status"]) == (None, 6, "open")
    clock.set(at("2026-11-25"))
    # A day later the list shows the days left now, not those stored when it was raised.
    [warning] = await of_type(intake, "crisis_cap_approaching")
    assert (warning["crisis_days_left"], warning["detail"]["crisis_days_left"]) == (5, 6)
    assert await of_type(intake, "crisis_cap_approaching", resolved="false") == [warning]

    ended = await intake.post(
        f"/v1/referrals/{referral_id}/end", json={"end_date": "2026-11-25", "reason": "returned_home"}, headers=headers
    )
    assert ended.status_code == 200, ended.text
    [warning] = await of_type(intake, "crisis_cap_approaching")
    assert warning["resolved_at"] is not None
    assert warning["status"] == "open"  # the coordinator still owes an analysis
    assert warning["crisis_days_left"] is None  # the stay no longer runs
    assert await of_type(intake, "crisis_cap_approaching", resolved="false") == []
    assert [s["id"] for s in await of_type(intake, "crisis_cap_approaching", resolved="true")] == [warning["id"]]
    # The cap passes for a stay that ended: nothing more opens.
    clock.set(at("2026-12-05"))
    assert await of_type(intake, "crisis_cap_exceeded") == []
    acknowledged = await intake.post(
        f"/v1/signals/{warning['id']}/acknowledge",
        json={"analysis": "Kind is naar huis, met ambulante hulp."},
        headers=COORDINATOR,
    )
    assert acknowledged.status_code == 200
    assert acknowledged.json()["status"] == "acknowledged"
    assert acknowledged.json()["resolved_at"] == warning["resolved_at"]


async def test_an_extension_resolves_the_exceeded_signal_and_the_warning_of_the_old_date(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _ = await crisis_stay(intake, capacity, "2026-11-02")  # cap 2026-11-30
    clock.set(at("2026-11-28"))
    [warning] = await of_type(intake, "crisis_cap_approaching")
    clock.set(at("2026-12-03"))
    [exceeded] = await of_type(intake, "crisis_cap_exceeded")
    assert (exceeded["resolved_at"], exceeded["crisis_days_left"]) == (None, -3)
    # Once the cap has passed, the warning has had its day: exceeded takes over.
    [warning] = await of_type(intake, "crisis_cap_approaching")
    assert warning["resolved_at"] is not None and warning["status"] == "open"

    extended = await intake.post(
        f"/v1/referrals/{referral_id}/extend-crisis",
        json={"days": 21, "reason": "Gezinshuis per 15 december beschikbaar."},
        headers=COORDINATOR,
    )
    assert extended.status_code == 200, extended.text
    [exceeded] = await of_type(intake, "crisis_cap_exceeded")
    assert exceeded["resolved_at"] is not None
    assert exceeded["crisis_days_left"] == 18  # the new cap, 2026-12-21, from the stay
    assert await listed(intake, resolved="false") == []


async def test_a_stay_extended_but_still_past_its_cap_raises_a_live_signal_for_the_new_date(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    referral_id, _ = await crisis_stay(intake, capacity, "2026-11-02")
    clock.set(at("2026-12-10"))  # 10 days past 2026-11-30
    await intake.post(
        f"/v1/referrals/{referral_id}/extend-crisis", json={"days": 3, "reason": "Nog geen plek."}, headers=COORDINATOR
    )
    live = await of_type(intake, "crisis_cap_exceeded", resolved="false")
    assert [(s["detail"]["crisis_end_date"], s["crisis_days_left"]) for s in live] == [("2026-12-03", -7)]


async def test_the_list_puts_the_stays_furthest_past_the_cap_first_then_days_left_then_the_newest(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    resolved_id, resolved_headers = await crisis_stay(intake, capacity, "2026-11-01")  # cap 11-29
    near, _ = await crisis_stay(intake, capacity, "2026-11-02")  # cap 11-30
    clock.set(at("2026-11-23"))
    await listed(intake)  # raises the warning of the first stay
    await intake.post(
        f"/v1/referrals/{resolved_id}/end",
        json={"end_date": "2026-11-23", "reason": "returned_home"},
        headers=resolved_headers,
    )
    # Placed later, backdated: 2026-10-20 (cap 11-17) and 2026-10-27 (cap 11-24).
    furthest, _ = await crisis_stay(intake, capacity, "2026-10-20")
    further, _ = await crisis_stay(intake, capacity, "2026-10-27")
    clock.set(at("2026-11-26"))
    waiting = await submitted(intake, with_client(bsn=fresh_bsn()))  # unmatched: the newest signal
    assert waiting["status"] == "unmatched"
    rows = [
        (s["type"], s["referral_id"], s["crisis_days_left"], s["resolved_at"] is None) for s in await listed(intake)
    ]
    assert rows == [
        ("crisis_cap_exceeded", furthest, -9, True),
        ("crisis_cap_exceeded", further, -2, True),
        ("crisis_cap_approaching", near, 4, True),
        ("unmatched", waiting["id"], None, True),
        ("crisis_cap_approaching", resolved_id, None, False),
    ]

    # Paging walks the same order, and every page says how many there are and where the next begins.
    seen: list[str] = []
    offset: int | None = 0
    while offset is not None:
        page = (await intake.get("/v1/signals", params={"limit": 2, "offset": offset}, headers=COORDINATOR)).json()
        assert (page["total"], page["limit"], page["offset"]) == (5, 2, offset)
        seen += [s["referral_id"] for s in page["items"]]
        offset = page["next_offset"]
    assert seen == [row[1] for row in rows]


async def test_pages_read_in_parts_follow_one_order_over_every_signal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock, intake_app: FastAPI
) -> None:
    """The list reads the open and live crisis-cap signals, then the other acknowledged ones live and
    resolved, each part up to the page's end: every page, with every filter, is the same slice of one
    sort of all the signals by urgency_order."""
    past, _ = await crisis_stay(intake, capacity, "2026-10-20")  # cap 11-17
    acknowledged_past, _ = await crisis_stay(intake, capacity, "2026-10-25")  # cap 11-22
    near, _ = await crisis_stay(intake, capacity, "2026-11-02")  # cap 11-30
    ended_id, ended_headers = await crisis_stay(intake, capacity, "2026-10-21")  # cap 11-18
    broken_id, broken_headers = await crisis_stay(intake, capacity, "2026-11-01")  # cap 11-29
    clock.set(at("2026-11-25"))
    await listed(intake)  # raises the crisis-cap signals, those of the stays about to end too
    for _ in range(3):
        clock.advance(timedelta(seconds=1))
        await submitted(intake, with_client(bsn=fresh_bsn()))  # unmatched, open and live
    clock.advance(timedelta(seconds=1))
    await intake.post(
        f"/v1/referrals/{ended_id}/end",
        json={"end_date": "2026-11-25", "reason": "returned_home"},
        headers=ended_headers,
    )
    clock.advance(timedelta(seconds=1))
    await intake.post(
        f"/v1/referrals/{broken_id}/end", json={"end_date": "2026-11-25", "reason": "breakdown"}, headers=broken_headers
    )
    everything = await listed(intake)
    # Acknowledged: a live crisis-cap signal; the two resolved ones (of the ended stays); the event-only
    # one (live for ever) and two unmatched ones, still live. The rest stays open.
    chosen = [
        next(s for s in everything if s["referral_id"] == acknowledged_past),
        *(s for s in everything if s["referral_id"] in (ended_id, broken_id) and s["type"] != "placement_breakdown"),
        next(s for s in everything if s["type"] == "placement_breakdown"),
        *[s for s in everything if s["type"] == "unmatched"][:2],
    ]
    assert len(chosen) == 6
    for signal in chosen:
        clock.advance(timedelta(seconds=1))
        response = await intake.post(
            f"/v1/signals/{signal['id']}/acknowledge",
            json={"analysis": "Besproken in het overleg."},
            headers=COORDINATOR,
        )
        assert response.status_code == 200, response.text

    from intake.db import referrals, signals
    from intake.signals.service import urgency_order

    database = intake_app.state.database
    stay = referrals.alias("stay")
    filters: list[dict[str, str]] = [{}, {"status": "acknowledged"}, {"status": "open"}, {"resolved": "false"}]
    filters += [{"resolved": "true"}, {"type": "crisis_cap_exceeded"}, {"type": "placement_breakdown"}]
    for params in filters:
        conditions = [
            signals.c.status == params["status"] if "status" in params else sa.true(),
            signals.c.type == params["type"] if "type" in params else sa.true(),
            (signals.c.resolved_at.is_not(None) if params["resolved"] == "true" else signals.c.resolved_at.is_(None))
            if "resolved" in params
            else sa.true(),
        ]
        async with database.read() as session:
            whole = list(
                (
                    await session.scalars(
                        sa.select(signals.c.id)
                        .select_from(signals.outerjoin(stay, stay.c.id == signals.c.referral_id))
                        .where(*conditions)
                        .order_by(*urgency_order(Context.of(intake_app).today(), stay))
                    )
                ).all()
            )
        assert whole, params
        for size in (1, 2, 3, 50):
            seen: list[str] = []
            offset: int | None = 0
            while offset is not None:
                page = (
                    await intake.get(
                        "/v1/signals", params={**params, "limit": size, "offset": offset}, headers=COORDINATOR
                    )
                ).json()
                assert page["total"] == len(whole)
                seen += [s["id"] for s in page["items"]]
                offset = page["next_offset"]
            assert seen == whole, (params, size)
    assert {s["status"] for s in chosen} == {"open"}
    assert {past, near} <= {s["referral_id"] for s in everything}


async def test_the_overview_counts_the_stays_past_the_cap_once_in_both_sections(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock, intake_app: FastAPI
) -> None:
    past, _ = await crisis_stay(intake, capacity, "2026-10-20")  # cap 11-17
    acknowledged, _ = await crisis_stay(intake, capacity, "2026-10-25")  # cap 11-22
    near, _ = await crisis_stay(intake, capacity, "2026-11-02")  # cap 11-30
    ended_id, ended_headers = await crisis_stay(intake, capacity, "2026-10-21")  # cap 11-18
    clock.set(at("2026-11-25"))
    signals_before = await listed(intake)
    assert len([s for s in signals_before if s["type"] == "crisis_cap_exceeded"]) == 3
    # One is acknowledged (the stay is still past its cap), one stay ends (its signal is resolved).
    [to_acknowledge] = [s for s in signals_before if s["referral_id"] == acknowledged]
    await intake.post(
        f"/v1/signals/{to_acknowledge['id']}/acknowledge",
        json={"analysis": "Wordt morgen besproken."},
        headers=COORDINATOR,
    )
    await intake.post(
        f"/v1/referrals/{ended_id}/end",
        json={"end_date": "2026-11-25", "reason": "returned_home"},
        headers=ended_headers,
    )
    assert await resolve_signals(intake_app) == 1  # the workers' sweep finds the ended stay's signal

    data = await dashboard.overview(Context.of(intake_app), COORDINATING)
    assert data.crisis_counts is not None and data.signal_counts is not None
    assert (data.crisis_counts.stays, data.crisis_counts.past_cap, data.crisis_counts.approaching) == (3, 2, 1)
    assert data.signal_counts.live["crisis_cap_exceeded"] == data.crisis_counts.past_cap
    assert data.signal_counts.live["crisis_cap_approaching"] == data.crisis_counts.approaching
    assert {stay.referral_id for stay in data.crisis if stay.past_cap} == {past, acknowledged}
    assert [stay.referral_id for stay in data.crisis if stay.signal == "crisis_cap_approaching"] == [near]
    # Open signals still to analyse: the live one past its cap, the warning, and the resolved one.
    assert data.signal_counts.open["crisis_cap_exceeded"] == 2
    assert data.open_signals is not None
    first = data.open_signals.items[0]
    assert (first.referral_id, first.crisis_days_left) == (past, -8)
    assert data.open_signals.items[-1].referral_id == ended_id
    assert data.open_signals.items[-1].resolved_at is not None


async def test_the_overview_pages_through_every_open_signal(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock, intake_app: FastAPI
) -> None:
    for _ in range(dashboard.SIGNALS_SHOWN + 2):
        clock.advance(timedelta(seconds=1))
        await submitted(intake, with_client(bsn=fresh_bsn()))
    ctx = Context.of(intake_app)
    first = await dashboard.overview(ctx, COORDINATING)
    second = await dashboard.overview(ctx, COORDINATING, signals_page=2)
    assert first.open_signals is not None and second.open_signals is not None
    assert (first.signals_pages, first.open_signals.total) == (2, dashboard.SIGNALS_SHOWN + 2)
    assert len(first.open_signals.items) == dashboard.SIGNALS_SHOWN
    assert len(second.open_signals.items) == 2
    ids: list[Any] = [s.id for s in first.open_signals.items + second.open_signals.items]
    assert len(set(ids)) == dashboard.SIGNALS_SHOWN + 2
    page = await intake.get("/dashboard", params={"page": "2"}, headers=COORDINATOR)
    assert page.status_code == 200
    assert second.open_signals.items[0].id in page.text


async def test_the_overview_shows_the_crisis_days_of_today_not_those_of_the_day_it_was_raised(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock, intake_app: FastAPI
) -> None:
    await crisis_stay(intake, capacity, "2026-11-02")  # cap 2026-11-30
    clock.set(at("2026-11-23"))
    [raised] = await of_type(intake, "crisis_cap_approaching")
    assert raised["detail"]["crisis_days_left"] == 7
    clock.set(at("2026-11-28"))
    data = await dashboard.overview(Context.of(intake_app), COORDINATING)
    assert data.open_signals is not None
    [shown] = [s for s in data.open_signals.items if s.type == "crisis_cap_approaching"]
    assert (shown.crisis_days_left, shown.detail["crisis_days_left"]) == (2, 2)
    [stay] = data.crisis
    assert stay.days_left == 2


def test_the_index_of_live_conditions_leaves_out_exactly_the_event_only_signals() -> None:
    """The resolution check is answered by a partial index whose predicate names the event-only types:
    a new event-only type must come with a new index (migration), or the check reads it again."""
    import re

    from intake.db import LIVE_CONDITIONS
    from intake.signals.rules import EVENT_ONLY_TYPES

    named = re.search(r"NOT IN \(([^)]*)\)", LIVE_CONDITIONS)
    assert named is not None
    assert {name.strip(" '") for name in named.group(1).split(",")} == {kind.value for kind in EVENT_ONLY_TYPES}
