"""The pure rules of the signals, without a database: plain rows in, a decision out. The last test holds
the crisis cap's SQL twin (signals.store.evaluate_crisis_caps) to the same answers as the rule."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import sqlalchemy as sa
from fastapi import FastAPI

from common.clock import ManualClock
from intake.context import Context
from intake.db import referrals, signals
from intake.signals import rules
from intake.signals.rules import SignalType
from intake.signals.store import evaluate_crisis_caps

TODAY = date(2026, 11, 23)


def stay(referral_id: str, status: str = "placed", **fields: Any) -> dict[str, Any]:
    return {
        "id": referral_id,
        "status": status,
        "start_date": fields.pop("start_date", date(2026, 11, 2)),
        "end_date": fields.pop("end_date", None),
        "crisis_end_date": fields.pop("crisis_end_date", None),
        **fields,
    }


# --- onward placement ------------------------------------------------------------------------------


def test_onward_placement_names_the_stays_still_running() -> None:
    running = stay("a")
    ended = stay("b", "ended", end_date=date(2026, 11, 10))
    assert rules.onward_placement([running, ended]) == [running]


def test_no_onward_placement_for_a_child_not_placed() -> None:
    assert rules.onward_placement([stay("b", "ended", end_date=date(2026, 11, 10))]) == []
    assert rules.onward_placement([]) == []


# --- stacking --------------------------------------------------------------------------------------


def test_a_new_stay_stacks_on_one_that_has_not_ended() -> None:
    new = stay("new", start_date=date(2026, 11, 20))
    running = stay("old", start_date=date(2026, 10, 1))
    assert rules.stacking_pairs(new, [running]) == [running]


def test_a_stay_ended_after_the_new_start_overlaps_and_one_ended_on_that_day_does_not() -> None:
    new = stay("new", start_date=date(2026, 11, 20))
    later = stay("later", "ended", start_date=date(2026, 10, 1), end_date=date(2026, 11, 21))
    same_day = stay("same", "ended", start_date=date(2026, 10, 1), end_date=date(2026, 11, 20))
    assert rules.stacking_pairs(new, [later, same_day]) == [later]


def test_stacking_leaves_out_the_stay_itself_and_referrals_that_never_began() -> None:
    new = stay("new", start_date=date(2026, 11, 20))
    waiting = stay("waiting", "pending", start_date=None)
    withdrawn = stay("withdrawn", "withdrawn", start_date=None)
    assert rules.stacking_pairs(new, [new, waiting, withdrawn]) == []


def test_a_pair_of_stays_has_one_scope_whichever_began_last() -> None:
    assert rules.stacking_scope("b", "a") == rules.stacking_scope("a", "b") == "a:b"


# --- repeated placements ---------------------------------------------------------------------------


def test_repeated_placements_counts_the_stays_ended_within_the_window() -> None:
    ended = [
        stay("b", "ended", end_date=TODAY - timedelta(days=10)),
        stay("a", "ended", end_date=TODAY - timedelta(days=365)),
        stay("old", "ended", end_date=TODAY - timedelta(days=366)),
        stay("running"),
    ]
    assert rules.repeated_placements(ended, TODAY, window_days=365, min_stays=2) == ["a", "b"]


def test_one_ended_stay_is_not_repeated() -> None:
    ended = [stay("a", "ended", end_date=TODAY), stay("old", "ended", end_date=TODAY - timedelta(days=400))]
    assert rules.repeated_placements(ended, TODAY, window_days=365, min_stays=2) == []


# --- the crisis cap --------------------------------------------------------------------------------


def test_the_cap_approaches_at_the_warning_and_not_a_day_before() -> None:
    warning = 7
    assert not rules.crisis_cap(TODAY + timedelta(days=8), TODAY, warning).approaching
    seven = rules.crisis_cap(TODAY + timedelta(days=7), TODAY, warning)
    assert seven == rules.CrisisCap(days_left=7, approaching=True, exceeded=False)


def test_the_warning_is_a_parameter() -> None:
    assert rules.crisis_cap(TODAY + timedelta(days=10), TODAY, 14).approaching
    assert not rules.crisis_cap(TODAY + timedelta(days=10), TODAY, 3).approaching


def test_the_cap_is_exceeded_only_after_its_last_day() -> None:
    assert rules.crisis_cap(TODAY, TODAY, 7) == rules.CrisisCap(days_left=0, approaching=True, exceeded=False)
    assert rules.crisis_cap(TODAY - timedelta(days=1), TODAY, 7) == rules.CrisisCap(
        days_left=-1, approaching=False, exceeded=True
    )


def test_a_follow_up_that_is_looking_for_a_place_answers_the_warning_but_not_the_excess() -> None:
    assert not rules.crisis_cap(TODAY + timedelta(days=3), TODAY, 7, has_follow_up=True).approaching
    assert rules.crisis_cap(TODAY - timedelta(days=3), TODAY, 7, has_follow_up=True).exceeded


def test_earlier_crisis_days_count_within_the_history_window_up_to_the_new_start() -> None:
    new = stay("new", start_date=date(2026, 11, 20), crisis_end_date=date(2026, 12, 18))
    earlier = [
        # 28 days, wholly inside the window
        stay("a", "ended", start_date=date(2026, 6, 1), end_date=date(2026, 6, 29), crisis_end_date=date(2026, 6, 29)),
        # begun before the window opens: only its days inside count (10)
        stay(
            "b", "ended", start_date=date(2025, 11, 1), end_date=date(2025, 11, 30), crisis_end_date=date(2025, 11, 29)
        ),
        # not a crisis stay
        stay("c", "ended", start_date=date(2026, 7, 1), end_date=date(2026, 8, 1)),
        # still running: counts up to the new start (5)
        stay("d", start_date=date(2026, 11, 15), crisis_end_date=date(2026, 12, 13)),
        # begun after the new stay: not earlier
        stay("e", start_date=date(2026, 11, 21), crisis_end_date=date(2026, 12, 19)),
    ]
    assert rules.earlier_crisis_days(new, earlier, TODAY, history_days=365) == 28 + 10 + 5


def test_export_detail_leaves_out_the_free_text() -> None:
    detail = {"reason": "named", "notes": ["x"], "note": "y", "provider_id": "p"}
    assert rules.export_detail(detail) == {"provider_id": "p"}
    assert rules.export_detail(None) == {}


# --- the rule and its SQL twin ---------------------------------------------------------------------


def _referral(referral_id: str, client_key: str, status: str, crisis_end_date: date | None) -> dict[str, Any]:
    now = datetime(2026, 11, 2, 9, tzinfo=UTC)
    return {
        "id": referral_id,
        "status": status,
        "referrer_org": "org",
        "referrer_sub": "sub",
        "bsn": "100000009",
        "client_key": client_key,
        "birth_date": date(2012, 1, 1),
        "municipality_code": "GM0363",
        "care_type": "crisis",
        "target_group": "jo",
        "needs": [],
        "part_time": False,
        "excluded_unit_ids": [],
        "match_attempts": 1,
        "start_date": date(2026, 11, 2) if status == "placed" else None,
        "crisis_end_date": crisis_end_date,
        "created_at": now,
        "updated_at": now,
    }


async def test_the_crisis_cap_sql_opens_what_the_rule_decides(
    intake: httpx.AsyncClient, intake_app: FastAPI, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 11, 23, 9, tzinfo=UTC))
    ctx = Context.of(intake_app)
    today = ctx.today()
    warning = ctx.settings.crisis_warning_days
    # (days left, has a follow-up looking for a place) for one child each
    cases = {"far": (8, False), "seven": (7, False), "last": (0, False), "past": (-1, False), "followed": (3, True)}
    rows = []
    for name, (days_left, follow_up) in cases.items():
        rows.append(_referral(f"stay-{name}", f"child-{name}", "placed", today + timedelta(days=days_left)))
        if follow_up:
            rows.append(_referral(f"next-{name}", f"child-{name}", "pending", None))
    async with ctx.database.transaction() as session:
        await session.execute(sa.insert(referrals), rows)
    await evaluate_crisis_caps(ctx)
    async with ctx.database.read() as session:
        opened = {(row.referral_id, row.type) for row in await session.execute(sa.select(signals))}
    expected = set()
    for name, (days_left, follow_up) in cases.items():
        cap = rules.crisis_cap(today + timedelta(days=days_left), today, warning, has_follow_up=follow_up)
        if cap.approaching:
            expected.add((f"stay-{name}", SignalType.crisis_cap_approaching.value))
        if cap.exceeded:
            expected.add((f"stay-{name}", SignalType.crisis_cap_exceeded.value))
    assert opened == expected
    assert expected == {
        ("stay-seven", "crisis_cap_approaching"),
        ("stay-last", "crisis_cap_approaching"),
        ("stay-past", "crisis_cap_exceeded"),
    }


def _holds(signal_type: str, detail: dict[str, object], **stays: dict[str, object]) -> bool:
    from intake.signals.rules import condition_holds

    return condition_holds(
        signal_type,
        "stay",
        detail,
        stays,
        date(2026, 12, 1),
        authorisation_warning_days=14,
        repeated_window_days=365,
        repeated_min_stays=2,
    )


def test_a_crisis_cap_condition_holds_while_the_stay_runs_with_the_same_cap() -> None:
    running = {"status": "placed", "crisis_end_date": date(2026, 12, 5)}
    detail = {"crisis_end_date": "2026-12-05"}
    assert _holds("crisis_cap_approaching", detail, stay=running)
    assert _holds("crisis_cap_exceeded", detail, stay=running)
    # Extended: the cap of the signal is no longer the stay's.
    assert not _holds("crisis_cap_approaching", detail, stay={**running, "crisis_end_date": date(2026, 12, 20)})
    assert not _holds("crisis_cap_exceeded", detail, stay={**running, "crisis_end_date": date(2026, 12, 20)})
    # Ended.
    assert not _holds("crisis_cap_exceeded", detail, stay={**running, "status": "ended"})
    # Passed: the warning gives way to the exceeded signal.
    passed = {"status": "placed", "crisis_end_date": date(2026, 11, 30)}
    assert not _holds("crisis_cap_approaching", {"crisis_end_date": "2026-11-30"}, stay=passed)
    assert _holds("crisis_cap_exceeded", {"crisis_end_date": "2026-11-30"}, stay=passed)


def test_stay_and_referral_conditions_go_with_the_stay_or_referral() -> None:
    assert _holds("out_of_region", {}, stay={"status": "placed"})
    assert not _holds("out_of_region", {}, stay={"status": "ended"})
    assert _holds("unmatched", {}, stay={"status": "unmatched"})
    assert not _holds("unmatched", {}, stay={"status": "proposed"})
    assert not _holds("unmatched", {})  # an unknown referral holds nothing
    both = {"other_referral_id": "other"}
    assert _holds("stacking", both, stay={"status": "placed"}, other={"status": "placed"})
    assert not _holds("stacking", both, stay={"status": "placed"}, other={"status": "ended"})
    onward = {"current_referral_id": "other"}
    assert _holds("onward_placement", onward, stay={"status": "placed"}, other={"status": "placed"})
    assert not _holds("onward_placement", onward, stay={"status": "unmatched"}, other={"status": "ended"})
    assert not _holds("onward_placement", onward, stay={"status": "withdrawn"}, other={"status": "placed"})
    lapsing = {"status": "placed", "court_authorisation_valid_until": date(2026, 12, 10)}
    assert _holds("authorisation_expiring", {}, stay=lapsing)
    renewed = {**lapsing, "court_authorisation_valid_until": date(2027, 6, 1)}
    assert not _holds("authorisation_expiring", {}, stay=renewed)
    # Events hold until a coordinator acknowledges them.
    assert _holds("placement_breakdown", {}, stay={"status": "ended"})
    ended = {"status": "ended", "end_date": date(2026, 3, 1)}
    detail = {"referral_ids": ["a", "b"]}
    done = {"stay": {"status": "ended"}, "b": {**ended, "id": "b"}}
    assert _holds("repeated_placements", detail, a={**ended, "id": "a"}, **done)
    old = {"id": "a", "status": "ended", "end_date": date(2025, 11, 1)}
    assert not _holds("repeated_placements", detail, a=old, **done)
