"""The indicators over real HTTP, each checked against a figure worked out by hand on a small region
built through the public APIs (stays backdated by moving the shared clock)."""

from datetime import UTC, datetime
from typing import Any

import httpx
from intake_support import (
    COORDINATOR,
    REFERRER,
    create_provider,
    create_unit,
    provider_headers,
    referral_body,
    submitted,
)

from common.clock import ManualClock
from intake.indicators.kpis import median_of_counts

# Valid BSNs (eleven-test), one per child.
A, B, C, D, F, G, H, J = (
    "100000009",
    "100000010",
    "100000022",
    "100000034",
    "100000046",
    "100000058",
    "100000071",
    "100000083",
)


def at(moment: str) -> datetime:
    day, _, hour = moment.partition(" ")
    return datetime.fromisoformat(day).replace(hour=int(hour or 9), tzinfo=UTC)


class Region:
    """Eight stays, two waiting children, one crisis stay; the story is told in build_region."""

    def __init__(self, intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock) -> None:
        self.intake = intake
        self.capacity = capacity
        self.clock = clock

    async def refer(self, when: str, bsn: str, care_type: str, **fields: Any) -> dict[str, Any]:
        self.clock.set(at(when))
        client = fields.pop("client", {})
        body = referral_body(care_type=care_type, **fields)
        body["client"] = {**body["client"], "bsn": bsn, **client}
        return await submitted(self.intake, body)

    async def accept(self, when: str, referral: dict[str, Any], start: str) -> None:
        self.clock.set(at(when))
        headers = provider_headers(referral["proposal"]["provider_id"])
        response = await self.intake.post(
            f"/v1/referrals/{referral['id']}/accept", json={"start_date": start}, headers=headers
        )
        assert response.status_code == 200, response.text

    async def end(self, when: str, referral: dict[str, Any], reason: str) -> None:
        self.clock.set(at(when))
        response = await self.intake.post(
            f"/v1/referrals/{referral['id']}/end", json={"end_date": when[:10], "reason": reason}, headers=COORDINATOR
        )
        assert response.status_code == 200, response.text


async def build_region(intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock) -> None:
    region = Region(intake, capacity, clock)
    clock.set(at("2026-08-25"))
    inside = await create_provider(capacity, role="strategic", name="Horizon")
    outside = await create_provider(capacity, role="operational", name="Utrechtse Zorg")
    await create_unit(capacity, inside, name="Pleeggezinnen", care_type="foster_care", capacity=2, age_min=0)
    await create_unit(capacity, inside, name="De Linde", care_type="residential", capacity=4)
    await create_unit(capacity, inside, name="Kamers", care_type="training_flat", capacity=2, age_min=16, age_max=22)
    await create_unit(capacity, inside, name="Crisisopvang", care_type="crisis", capacity=1)
    await create_unit(capacity, outside, name="Elders", care_type="residential", capacity=1, municipality_code="GM0344")

    # D, 19: kamertraining from 1 September (referred 3 days before), leaves on 31 October.
    d1 = await region.refer("2026-08-29", D, "training_flat", client={"birth_date": "2007-03-01"})
    await region.accept("2026-09-01 8", d1, "2026-09-01")
    # A: foster care from 7 September, then residential care from 5 October.
    a1 = await region.refer("2026-09-07", A, "foster_care")
    await region.accept("2026-09-07", a1, "2026-09-07")
    # B: part-time foster care from 14 September (referred 3 days before) to 14 October.
    b1 = await region.refer("2026-09-11", B, "foster_care", part_time=True)
    await region.accept("2026-09-14 8", b1, "2026-09-14")
    # C: residential outside the region for safety from 1 October (referred 2 days before).
    c1 = await region.refer(
        "2026-09-29",
        C,
        "residential",
        out_of_region={"criterion": "safety", "justification": "Dreiging vanuit het netwerk in de wijk."},
    )
    assert c1["proposal"]["in_region"] is False
    await region.accept("2026-10-01", c1, "2026-10-01")
    # A is referred on while still in foster care; the foster stay ends the day the new one begins.
    a2 = await region.refer("2026-10-02", A, "residential")
    await region.end("2026-10-05 8", a1, "onward_placement")
    await region.accept("2026-10-05 8", a2, "2026-10-05")
    await region.end("2026-10-14", b1, "returned_home")
    # F, 18: kamertraining from 15 October, still there.
    f1 = await region.refer("2026-10-15", F, "training_flat", client={"birth_date": "2008-06-01"})
    await region.accept("2026-10-15", f1, "2026-10-15")
    # G: residential from 20 October, and a crisis stay on top of it from Sunday 25 October.
    g1 = await region.refer("2026-10-20", G, "residential")
    await region.accept("2026-10-20", g1, "2026-10-20")
    g2 = await region.refer("2026-10-25", G, "crisis")
    await region.accept("2026-10-25", g2, "2026-10-25")
    # H and J wait: nobody has a secure or clinical place.
    assert (await region.refer("2026-10-23", H, "secure"))["status"] == "unmatched"
    assert (await region.refer("2026-10-29", J, "clinical"))["status"] == "unmatched"
    await region.end("2026-10-31", d1, "independent_living")
    clock.set(at("2026-11-02"))


async def read_kpis(intake: httpx.AsyncClient, date_from: str, date_to: str) -> dict[str, Any]:
    response = await intake.get("/v1/kpis", params={"from": date_from, "to": date_to}, headers=COORDINATOR)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def by_name(report: dict[str, Any]) -> dict[str, tuple[Any, Any, Any, str]]:
    return {i["name"]: (i["value"], i["numerator"], i["denominator"], i["unit"]) for i in report["indicators"]}


async def test_each_indicator_matches_the_hand_computed_figure(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await build_region(intake, capacity, clock)
    report = await read_kpis(intake, "2026-09-01", "2026-11-30")
    kpis = by_name(report)
    # Ended in the period: A1 28 days, B1 30, D1 60.
    assert kpis["average_length_of_stay"] == (39.33, 118, 3, "days")
    # Begun in the period: D1, A1, B1, C1, A2, F1, G1, G2; only C1 outside, only B1 part-time.
    assert kpis["placed_in_region"] == (87.5, 7, 8, "percent")
    assert kpis["part_time"] == (12.5, 1, 8, "percent")
    # Foster stays ended: A1 (followed by residential the same day) and B1 (home).
    assert kpis["foster_care_to_residential"] == (50.0, 1, 2, "percent")
    # Young adults: D (19, left after 60 days) and F (18, still there).
    assert kpis["young_adults_leaving_within_6_months"] == (50.0, 1, 2, "percent")
    # Six children in care in the period; G has two stays at once. A's stays touch but do not overlap.
    assert kpis["stacking"] == (16.7, 1, 6, "percent")
    # Days from referral to start: 0, 0, 0, 0, 2, 3, 3, 3 → median of the middle two (0 and 2).
    assert kpis["median_days_referral_to_placement"] == (1.0, None, 8, "days")
    # Waiting now: H for 10 days, J for 4.
    assert kpis["children_waiting"] == (2, 2, None, "count")
    assert kpis["median_waiting_days"] == (7.0, None, 2, "days")
    # G's crisis stay began 25 October: cap 22 November, 20 days left today (2 November).
    assert kpis["crisis_stays"] == (1, 1, None, "count")
    assert kpis["crisis_average_days_left"] == (20.0, 20, 1, "days")
    assert kpis["crisis_stays_past_cap"] == (0.0, 0, 1, "percent")
    assert [(s["crisis_end_date"], s["crisis_days_left"]) for s in report["crisis_stays"]] == [("2026-11-22", 20)]
    # Open signals: A2 and G2 referred while placed, C1 outside, G stacked, H and J waiting.
    assert {name: v[0] for name, v in kpis.items() if name.startswith("open_signals_")} == {
        "open_signals_crisis_cap_approaching": 0,
        "open_signals_crisis_cap_exceeded": 0,
        # A's foster stay ended when A moved on, which resolved its signal; G's residential stay still runs.
        "open_signals_onward_placement": 1,
        "open_signals_repeated_placements": 0,
        "open_signals_placement_breakdown": 0,
        "open_signals_placement_at_risk": 0,
        "open_signals_out_of_region": 1,
        "open_signals_unmatched": 2,
        "open_signals_stacking": 1,
        "open_signals_authorisation_expiring": 0,
        "open_signals_siblings_split": 0,
    }
    # Occupancy from capacity: residential 2 of 4 inside + 1 of 1 outside; A2, G1, C1, F1, G2 there now.
    assert kpis["occupancy_residential"] == (60.0, 3, 5, "percent")
    assert kpis["occupancy_foster_care"] == (0.0, 0, 2, "percent")
    assert kpis["occupancy_training_flat"] == (50.0, 1, 2, "percent")
    assert kpis["occupancy_crisis"] == (100.0, 1, 1, "percent")
    assert kpis["occupancy_secure"] == (None, 0, 0, "percent")
    # Weekly flow: referrals received (D's, in August, falls outside) and stays ended per ISO week.
    flow = {w["week_start"]: (w["inflow"], w["outflow"]) for w in report["weekly_flow"]}
    assert len(flow) == 14
    assert min(flow) == "2026-08-31"
    assert max(flow) == "2026-11-30"
    assert {week: io for week, io in flow.items() if io != (0, 0)} == {
        "2026-09-07": (2, 0),
        "2026-09-28": (2, 0),
        "2026-10-05": (0, 1),
        "2026-10-12": (1, 1),
        "2026-10-19": (3, 0),
        "2026-10-26": (1, 1),
    }


async def test_a_shorter_period_counts_only_what_falls_inside_it(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient, clock: ManualClock
) -> None:
    await build_region(intake, capacity, clock)
    kpis = by_name(await read_kpis(intake, "2026-09-01", "2026-10-05"))
    # Ended: only A1 (28 days). Begun: D1, A1, B1, C1, A2.
    assert kpis["average_length_of_stay"] == (28.0, 28, 1, "days")
    assert kpis["placed_in_region"] == (80.0, 4, 5, "percent")
    # Days to start 3, 0, 3, 2, 3 → the middle value of five.
    assert kpis["median_days_referral_to_placement"] == (3.0, None, 5, "days")
    # No foster stay ended before 5 October but A1: followed by residential care.
    assert kpis["foster_care_to_residential"] == (100.0, 1, 1, "percent")
    # G's stays begin after the period: no stacking among A, B, C, D.
    assert kpis["stacking"] == (0.0, 0, 4, "percent")


async def test_an_empty_region_has_no_figures_to_divide(intake: httpx.AsyncClient, capacity: httpx.AsyncClient) -> None:
    kpis = by_name(await read_kpis(intake, "2026-01-01", "2026-12-31"))
    assert kpis["average_length_of_stay"] == (None, 0, 0, "days")
    assert kpis["median_days_referral_to_placement"] == (None, None, 0, "days")
    assert kpis["children_waiting"] == (0, 0, None, "count")


async def test_kpis_are_for_coordinators_with_a_valid_period(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    backwards = await intake.get("/v1/kpis", params={"from": "2026-11-30", "to": "2026-09-01"}, headers=COORDINATOR)
    assert backwards.status_code == 422
    assert [e["field"] for e in backwards.json()["errors"]] == ["from"]
    not_a_date = await intake.get("/v1/kpis", params={"from": "yesterday"}, headers=COORDINATOR)
    assert not_a_date.status_code == 422
    assert [e["field"] for e in not_a_date.json()["errors"]] == ["from"]
    assert (await intake.get("/v1/kpis", headers=REFERRER)).status_code == 403
    provider = provider_headers(await create_provider(capacity))
    assert (await intake.get("/v1/kpis", headers=provider)).status_code == 403
    default = await intake.get("/v1/kpis", headers=COORDINATOR)
    assert default.status_code == 200
    # The last 90 days, today included (intake.indicators.period, the dashboard's default too).
    assert (default.json()["period_from"], default.json()["period_to"]) == ("2026-08-05", "2026-11-02")


def test_the_median_of_counted_values_is_the_middle_one_or_the_mean_of_the_middle_two() -> None:
    assert median_of_counts({}) is None
    assert median_of_counts({7: 1}) == 7
    assert median_of_counts({3: 2, 1: 1}) == 3
    assert median_of_counts({1: 2, 4: 2}) == 2.5
    assert median_of_counts({0: 3, 2: 1, 9: 2}) == 1.0
