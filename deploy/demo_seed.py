"""A deterministic Haaglanden demo set: the region's providers and places, and nineteen months of
referrals that went through the real lifecycle.

The history is made in-process before the services are served: the three apps run on their own
databases, call each other's HTTP interfaces in this process (common.in_process) and share one manual
clock that is walked day by day from the history's first day to now. Every step goes through the
services' public API, so the services' own rules decide what happens (matching, holds, the crisis cap,
signals); the seed only plays the people: referrers refer, providers accept, decline and end stays,
coordinators extend crisis stays and acknowledge signals. The same seed gives the same choices.
"""

from __future__ import annotations

import asyncio
import gc
import math
import random
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, NamedTuple

import httpx
from demo_answers import confirm_availability, decline_body, provider_body, record_one_on_one, subscribe
from demo_database import play_inline
from demo_progress import Progress
from demo_suitability import referral_fields, school_for, unit_point
from fastapi import FastAPI

from common.auth import mint_token
from common.clock import ManualClock
from common.in_process import InProcessClient, InProcessTransport
from common.logging import configure_logging
from contracts.vocabulary import load_vocabulary

SEED = 20270101
# About 1,650 referrals: enough that every kind of stay, move and signal recurs, and the long stays
# (foster care, family homes) have filled their places; each day more costs the first start time.
HISTORY_DAYS = 580
# New children referred per day on average; onward placements and re-referrals come on top.
NEW_CHILDREN_PER_DAY = 2.2

# Home municipalities weighted by the number of children living there (CBS, rounded).
MUNICIPALITY_WEIGHTS = {
    "GM0518": 100, "GM0637": 24, "GM1783": 22, "GM0503": 18, "GM1916": 15, "GM0603": 11,
    "GM1926": 12, "GM0629": 5, "GM1842": 4,
}  # fmt: skip
IN_REGION = list(MUNICIPALITY_WEIGHTS)
OUTSIDE = ["GM0599", "GM0546", "GM0344", "GM0363"]  # Rotterdam, Leiden, Utrecht, Amsterdam
# Codes of the vocabulary's needs (libs/contracts, contracts/vocabulary.toml).
SPECIALISMS = ["trauma", "autism", "attachment", "substance_use", "self_harm", "aggression", "eating_disorder",
               "sexual_exploitation", "young_parent", "psychiatric_care"]  # fmt: skip
# What a provider says about a unit in words (its description: about the unit, never about a child).
UNIT_DESCRIPTIONS = {
    "crisis": "Crisisopvang met 24-uurs bereikbaarheid; binnen vier weken een plan voor daarna.",
    "foster_care": "Pleeggezinnen met begeleiding door een vaste pleegzorgwerker.",
    "family_home": "Gezinshuis met gezinshuisouders die er zelf wonen; kinderen gaan naar school in de buurt.",
    "respite": "Logeerhuis voor weekenden en vakanties.",
    "training_flat": "Kamertraining: een eigen kamer, samen leren koken, budgetteren en werken aan school of werk.",
    "residential": "Open leefgroep met vaste mentoren en dagbesteding op het terrein.",
    "clinical": "Klinische behandeling met een kinder- en jeugdpsychiater in het team.",
    "secure": "Gesloten jeugdhulp (jeugdhulp plus) met onderwijs op het terrein.",
}

# (name, contract role, care types it runs, size factor)
PROVIDERS: list[tuple[str, str, list[str], int]] = [
    ("Jeugdhuis Duinzicht", "strategic", ["crisis", "residential", "family_home", "training_flat"], 3),
    ("Stichting Hofstad Jeugd", "strategic", ["crisis", "residential", "secure", "respite"], 3),
    ("Pleegzorg Haaglanden", "strategic", ["foster_care", "crisis"], 3),
    ("Jeugdformaat Verblijf", "strategic", ["crisis", "residential", "training_flat", "clinical"], 3),
    ("Kinder- en Jeugdpsychiatrie Westduin", "tactical", ["clinical", "crisis"], 2),
    ("Gezinshuizen Zuid-Holland", "tactical", ["family_home", "foster_care"], 2),
    ("De Delftse Brug", "tactical", ["residential", "training_flat", "respite"], 2),
    ("Cardea Haaglanden", "tactical", ["residential", "family_home", "respite"], 2),
    ("Ipse de Bruggen Jeugd", "tactical", ["residential", "respite", "family_home"], 2),
    ("Youz Kliniek Den Haag", "tactical", ["clinical"], 1),
    ("Zorgboerderij Het Westland", "operational", ["respite", "residential"], 1),
    ("Kamers met Kansen", "operational", ["training_flat"], 2),
    ("LVB Wonen Zoetermeer", "operational", ["residential", "respite"], 1),
    ("Gezinshuis De Vlinder", "operational", ["family_home"], 1),
    ("Gezinshuis Het Anker", "operational", ["family_home"], 1),
    ("Stichting Thuisbasis", "operational", ["foster_care", "respite"], 1),
    ("Leger des Heils Jeugdzorg", "operational", ["training_flat", "residential"], 1),
    ("Woonvoorziening Rijswijk", "operational", ["residential"], 1),
    ("Logeerhuis Wassenaar", "operational", ["respite"], 1),
    ("Kamertraining Delft", "operational", ["training_flat"], 1),
    ("Pleeggezinnen Westland", "operational", ["foster_care"], 1),
    ("Jeugdzorg Rijnmond", "operational", ["residential", "clinical", "secure"], 2),
    ("Horizon Jeugdzorg", "operational", ["residential", "secure", "clinical"], 2),
    ("Pluryn Specialistisch", "operational", ["residential", "family_home"], 1),
    ("Fier Expertisecentrum", "operational", ["residential", "crisis"], 1),
]
# Providers whose units stand outside the region: specific expertise the region lacks.
OUTSIDE_PROVIDERS = {"Jeugdzorg Rijnmond", "Horizon Jeugdzorg", "Pluryn Specialistisch", "Fier Expertisecentrum"}


class Care(NamedTuple):
    """Per care type: the ages a unit takes, places per unit, length of stay in days, share of
    referrals, and the ages of the children referred to it."""

    ages: tuple[int, int]
    places: tuple[int, int]
    stay: tuple[int, int]
    weight: int
    child: tuple[int, int]


CARE = {
    "crisis": Care((0, 17), (2, 4), (5, 45), 20, (4, 17)),
    "foster_care": Care((0, 17), (8, 14), (90, 520), 17, (0, 14)),
    "family_home": Care((0, 17), (5, 7), (120, 560), 9, (3, 15)),
    "respite": Care((4, 17), (3, 6), (14, 120), 8, (5, 15)),
    "training_flat": Care((16, 22), (4, 8), (60, 420), 12, (17, 21)),
    "residential": Care((8, 17), (6, 10), (60, 420), 24, (10, 17)),
    "clinical": Care((10, 17), (4, 8), (30, 160), 6, (12, 17)),
    "secure": Care((12, 17), (5, 8), (60, 220), 4, (12, 17)),
}

REFERRERS = [
    ("Jeugdteam Den Haag Centrum", "local_team", 30), ("Jeugdteam Den Haag Escamp", "local_team", 20),
    ("Jeugdteam Zoetermeer", "local_team", 10), ("CJG Delft", "local_team", 8), ("Jeugdteam Westland", "local_team", 8),
    ("Jeugdbescherming west", "certified_institution", 18), ("William Schrikker Stichting", "certified_institution", 5),
    ("Huisartsenpraktijk Rijswijk", "gp", 4), ("GGD Haaglanden jeugdarts", "youth_doctor", 3),
    ("HMC kinderpsychiatrie", "medical_specialist", 4), ("Rechtbank Den Haag, kinderrechter", "court", 3),
]  # fmt: skip

END_REASONS: dict[str, list[tuple[str, int]]] = {
    "crisis": [("returned_home", 50), ("onward_placement", 42), ("breakdown", 3), ("other", 5)],
    "foster_care": [("returned_home", 35), ("onward_placement", 30), ("breakdown", 20), ("other", 15)],
    "family_home": [
        ("returned_home", 40),
        ("onward_placement", 25),
        ("breakdown", 15),
        ("independent_living", 10),
        ("other", 10),
    ],
    "respite": [("returned_home", 85), ("breakdown", 5), ("other", 10)],
    "training_flat": [("independent_living", 65), ("returned_home", 10), ("breakdown", 12), ("other", 13)],
    "residential": [
        ("returned_home", 40),
        ("onward_placement", 22),
        ("breakdown", 16),
        ("independent_living", 12),
        ("other", 10),
    ],
    "clinical": [("returned_home", 45), ("onward_placement", 40), ("breakdown", 5), ("other", 10)],
    "secure": [("onward_placement", 60), ("returned_home", 30), ("other", 10)],
}
# Where a child goes after an onward placement from each care type.
ONWARD = {
    "crisis": [("foster_care", 30), ("residential", 35), ("family_home", 20), ("clinical", 10), ("training_flat", 5)],
    "foster_care": [("residential", 60), ("family_home", 40)],
    "family_home": [("residential", 60), ("training_flat", 40)],
    "residential": [("training_flat", 45), ("family_home", 25), ("secure", 15), ("clinical", 15)],
    "clinical": [("residential", 70), ("family_home", 30)],
    "secure": [("residential", 80), ("training_flat", 20)],
}
EXTENSION_REASONS = ["Follow-up place found, starts next week.",
                     "Return home is being prepared with the family; a few more days needed.",
                     "Court hearing on custody is scheduled; a move before it would harm the child."]  # fmt: skip
ANALYSES = {
    "crisis_cap_approaching": "Follow-up referral made with the local team; discharge planned before the cap.",
    "crisis_cap_exceeded": "No follow-up place yet; extension agreed with the provider, escalated to partners.",
    "onward_placement": "Planned transfer from the crisis shelter to a longer stay; warm handover arranged.",
    "repeated_placements": "Case discussed with the local team: one stable place and a fixed care manager.",
    "placement_breakdown": "Breakdown analysed with provider and family; group composition played a part.",
    "placement_at_risk": "Extra support hours added; the provider and the local team meet every week.",
    "out_of_region": "Safety ground checked: the child must live away from the region for now.",
    "unmatched": "Discussed with strategic and tactical partners under the joint duty to place.",
    "stacking": "Overlap of a few days during the handover between providers; no double care billed.",
    "siblings_split": "Split reviewed with the referrer; contact between the siblings arranged every week.",
}
# Brothers and sisters referred together per day on average, the forms of care they are referred to,
# and why some are placed apart (the region's split reasons, with what a referrer would write).
SIBLING_GROUPS_PER_DAY = 0.05
SIBLING_CARE = [("family_home", 4), ("foster_care", 4), ("residential", 3), ("crisis", 2)]
SPLITS = {
    "safety_between_siblings": "The oldest has been aggressive towards the youngest; they need to live apart for now.",
    "different_care_needs": "The youngest needs a clinical setting; the older two can live in a family home.",
    "child_wish": "The oldest asked clearly, in two conversations, to live on her own training flat.",
    "no_joint_place_in_time": "No joint place was found within four weeks; waiting longer harms the children.",
}


def bsn_for(number: int) -> str:
    """A 9-digit number that passes the eleven-test, derived from `number` (demo data only)."""
    base = 100_000_000 + (number * 7919) % 800_000_000
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
        if total % 11 == 0:
            return digits
        base += 1


# The shipped vocabulary's risk flags and vulnerabilities, in the order of the file.
RISK_FLAGS = [term.code for term in load_vocabulary().risk_flags]
VULNERABILITIES = [term.code for term in load_vocabulary().vulnerabilities]


def group_codes(child: Child, today: date) -> tuple[list[str], list[str]]:
    """Some children carry a risk flag or a vulnerability: about one in six each. Drawn from a random
    source of the child's own, so that the rest of the history stays as it was."""
    rng = random.Random(f"group-{SEED}-{child.number}")
    young = (today - child.birth_date).days < 12 * 365
    flags = [rng.choice(RISK_FLAGS)] if rng.random() < 0.16 else []
    # Under twelve is a fact of the child's age, not a draw.
    drawn = [rng.choice([code for code in VULNERABILITIES if code != "under_twelve"])] if rng.random() < 0.16 else []
    return flags, (["under_twelve"] if young else []) + drawn


def _pick(rng: random.Random, weighted: list[tuple[str, int]]) -> str:
    return rng.choices([name for name, _ in weighted], weights=[weight for _, weight in weighted])[0]


def _poisson(rng: random.Random, mean: float) -> int:
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


@dataclass
class Child:
    number: int
    bsn: str
    birth_date: date
    municipality: str
    target_group: str
    needs: list[str]
    risk_flags: list[str] = field(default_factory=list)
    vulnerabilities: list[str] = field(default_factory=list)
    school: str | None = None


@dataclass
class Stay:
    """What the seed plans for one referral once it is placed."""

    referral_id: str
    child: Child
    care_type: str
    referrer: int
    referred_on: date
    provider_id: str | None = None
    planned_end: date | None = None
    end_reason: str | None = None
    at_risk_raised: bool = False
    follow_up_made: bool = False
    extended: bool = False
    crisis_end: date | None = None


@dataclass
class Apps:
    capacity: FastAPI
    matching: FastAPI
    intake: FastAPI


@dataclass
class Demo:
    rng: random.Random
    clock: ManualClock
    secret: str
    http: dict[str, InProcessClient]
    apps: Apps
    today: date = field(default_factory=date.today)
    finish: date = field(default_factory=date.today)  # the last day of the history: now
    children: list[Child] = field(default_factory=list)
    open_referrals: dict[str, Stay] = field(default_factory=dict)  # pending, proposed or unmatched
    placed: dict[str, Stay] = field(default_factory=dict)
    queued: list[tuple[date, Child, str, int]] = field(default_factory=list)  # (when, child, care type, referrer)
    # referral id -> (provider it was proposed to, when the hold expires)
    proposed: dict[str, tuple[str, str]] = field(default_factory=dict)
    unanswered: set[tuple[str, str]] = field(default_factory=set)  # proposals a provider lets expire
    units: list[dict[str, Any]] = field(default_factory=list)
    provider_ids: dict[str, str] = field(default_factory=dict)  # by name
    tokens: dict[str, dict[str, str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    signals_api: bool = True
    # Siblings draw from their own generator, so that adding them left the rest of the history as it was.
    sibling_rng: random.Random = field(default_factory=lambda: random.Random(SEED + 16))
    # A larger history for measuring (bench/matching_comparison.py) refers more of them.
    sibling_groups_per_day: float = SIBLING_GROUPS_PER_DAY
    groups: dict[str, tuple[int, date]] = field(default_factory=dict)  # waiting together: referrer, referred on
    # Schools, voices, authorisations and units' points: drawn apart too, so the rest stays as it was.
    suitability_rng: random.Random = field(default_factory=lambda: random.Random(SEED + 17))

    # --- who acts --------------------------------------------------------------------------------

    def _headers(self, key: str, **claims: Any) -> dict[str, str]:
        if key not in self.tokens:
            self.tokens[key] = {"Authorization": f"Bearer {mint_token(self.secret, **claims)}"}
        return self.tokens[key]

    def coordinator(self) -> dict[str, str]:
        return self._headers("coordinator", sub="demo-coordinator", role="coordinator", org="Regiepunt Haaglanden")

    def provider(self, provider_id: str) -> dict[str, str]:
        return self._headers(
            f"provider:{provider_id}", sub="demo-planner", role="provider", org="demo", provider_id=provider_id
        )

    def referrer(self, index: int) -> dict[str, str]:
        org, kind, _ = REFERRERS[index]
        return self._headers(
            f"referrer:{index}",
            sub=f"demo-{kind.replace('_', '-')}-{index}",
            role="referrer",
            org=org,
            referrer_type=kind,
        )

    def count(self, what: str) -> None:
        self.counts[what] = self.counts.get(what, 0) + 1

    async def call(
        self, service: str, method: str, path: str, headers: dict[str, str], **kwargs: Any
    ) -> httpx.Response:
        return await self.http[service].request(method, path, headers=headers, **kwargs)

    # --- the region's places ---------------------------------------------------------------------

    async def create_places(self) -> None:
        for index, (name, role, care_types, size) in enumerate(PROVIDERS):
            response = await self.call(
                "capacity",
                "POST",
                "/v1/providers",
                self.coordinator(),
                json=provider_body(name, index, role),
            )
            response.raise_for_status()
            provider = response.json()
            self.provider_ids[name] = provider["id"]
            places: dict[str, int] = {}
            for care_type in care_types:
                spec = CARE[care_type]
                for number in range(size + self.rng.randint(0, 2)):
                    outside = name in OUTSIDE_PROVIDERS
                    municipality = (
                        self.rng.choice(OUTSIDE) if outside else _pick(self.rng, list(MUNICIPALITY_WEIGHTS.items()))
                    )
                    low, high = spec.places
                    part_time = care_type == "respite" or (care_type == "foster_care" and number == 0)
                    unit = {
                        "name": f"{name} · {care_type.replace('_', ' ')} {number + 1}",
                        "care_type": care_type,
                        "target_groups": sorted(self.rng.sample(["jo", "lvb", "ggz"], self.rng.randint(2, 3))),
                        "age_min": spec.ages[0],
                        "age_max": spec.ages[1],
                        "municipality_code": municipality,
                        "capacity": self.rng.randint(low, high),
                        "specialisms": sorted(self.rng.sample(SPECIALISMS, self.rng.randint(2, 4))),
                        "description": UNIT_DESCRIPTIONS.get(care_type),
                        "part_time": part_time,
                        **unit_point(self.suitability_rng, municipality),
                    }
                    created = await self.call(
                        "capacity", "POST", f"/v1/providers/{provider['id']}/units", self.coordinator(), json=unit
                    )
                    created.raise_for_status()
                    self.units.append(created.json())
                    places[care_type] = places.get(care_type, 0) + unit["capacity"]
            if role == "operational":
                await self.agree_production(provider["id"], places)

    async def agree_production(self, provider_id: str, places: dict[str, int]) -> None:
        """An operational provider's yearly production agreements ("P x Q"): about four fifths of its
        places used all year, for every year of the history."""
        agreements = [
            {"year": year, "care_type": care_type, "care_days": count * 365 * 4 // 5}
            for year in range(self.today.year, self.finish.year + 1)
            for care_type, count in sorted(places.items())
        ]
        response = await self.call(
            "capacity",
            "PATCH",
            f"/v1/providers/{provider_id}",
            self.coordinator(),
            json={"production_agreements": agreements},
        )
        response.raise_for_status()

    async def change_availability(self) -> None:
        """Providers block a place now and then (a room being redone, staff short) and free it again."""
        unit = self.rng.choice(self.units)
        current = await self.call("capacity", "GET", f"/v1/units/{unit['id']}", self.coordinator())
        if current.status_code != 200:
            return
        state = current.json()
        room = state["capacity"] - state["occupied"] - state["reserved"]
        blocked = 0 if state["blocked"] else min(room, self.rng.randint(1, 2))
        await self.call(
            "capacity",
            "PUT",
            f"/v1/units/{unit['id']}/availability",
            {**self.provider(state["provider_id"]), "If-Match": str(state["version"])},
            json={"capacity": state["capacity"], "blocked": max(blocked, 0)},
        )

    # --- referrers -------------------------------------------------------------------------------

    def new_child(self, care_type: str, rng: random.Random | None = None) -> Child:
        rng = rng or self.rng
        number = len(self.children) + 1
        low, high = CARE[care_type].child
        age_days = rng.randint(low * 365 + 30, high * 365 + 300)
        child = Child(
            number=number,
            bsn=bsn_for(number),
            birth_date=self.today - timedelta(days=age_days),
            municipality=_pick(rng, list(MUNICIPALITY_WEIGHTS.items())),
            target_group=_pick(rng, [("jo", 60), ("lvb", 22), ("ggz", 18)]),
            needs=sorted(rng.sample(SPECIALISMS, rng.randint(0, 2))),
        )
        child.risk_flags, child.vulnerabilities = group_codes(child, self.today)
        child.school = school_for(self.suitability_rng, child.municipality, age_days // 365)
        self.children.append(child)
        return child

    async def refer_siblings(self) -> None:
        """Brothers and sisters referred together: kept together, unless the referrer records why not."""
        rng = self.sibling_rng
        care_type = _pick(rng, SIBLING_CARE)
        referrer = rng.choices(range(len(REFERRERS)), weights=[w for _, _, w in REFERRERS])[0]
        first = self.new_child(care_type, rng)
        siblings = [first]
        for _ in range(1 if rng.random() < 0.7 else 2):
            sibling = self.new_child(care_type, rng)
            sibling.municipality, sibling.target_group = first.municipality, first.target_group
            siblings.append(sibling)
        if not all(self.fits(child, care_type) for child in siblings):
            return
        split = None
        if rng.random() < 0.2:
            code = rng.choice(["safety_between_siblings", "different_care_needs", "child_wish"])
            split = {"code": code, "justification": SPLITS[code]}
        body = {
            "referrals": [self.sibling_referral(child, care_type) for child in siblings],
            "keep_together": split is None,
            "split": split,
        }
        headers = {**self.referrer(referrer), "Idempotency-Key": f"demo-siblings-{first.number}-{self.today}"}
        response = await self.call("intake", "POST", "/v1/referral-groups", headers, json=body)
        if response.status_code != 201:
            self.count(f"refused {response.status_code}")
            return
        group = response.json()
        self.count("sibling groups")
        if split is not None:
            self.count("sibling groups split at referral")
        for child, referral in zip(siblings, group["referrals"], strict=True):
            self.count("referrals")
            self.open_referrals[referral["id"]] = Stay(referral["id"], child, care_type, referrer, self.today)
            self.note_proposal(referral)
        if group["keep_together"]:
            self.groups[group["id"]] = (referrer, self.today)

    def sibling_referral(self, child: Child, care_type: str) -> dict[str, Any]:
        body: dict[str, Any] = {
            "client": {
                "bsn": child.bsn,
                "birth_date": child.birth_date.isoformat(),
                "municipality_code": child.municipality,
            },
            "care_type": care_type,
            "target_group": child.target_group,
            "needs": child.needs,
            "risk_flags": child.risk_flags,
            "vulnerabilities": child.vulnerabilities,
            "requested_start": self.today.isoformat(),
            "notes": "Demo referral of siblings.",
        }
        age = (self.today - child.birth_date).days // 365
        extra = referral_fields(self.suitability_rng, child.school, care_type, age, self.today)
        if "school" in extra:
            body["client"]["school_municipality_code"] = extra.pop("school")
        body.update(extra)
        return body

    async def split_long_waiting_siblings(self) -> None:
        """Siblings who waited four weeks for a joint place: the referrer records that waiting longer harms
        them, and they are matched each on their own (a coordinator is asked to look)."""
        for group_id, (referrer, referred_on) in list(self.groups.items()):
            if (self.today - referred_on).days < 28:
                continue
            current = await self.call("intake", "GET", f"/v1/referral-groups/{group_id}", self.referrer(referrer))
            if current.status_code != 200 or current.json()["status"] != "waiting":
                self.groups.pop(group_id)
                continue
            code = "no_joint_place_in_time"
            split = await self.call(
                "intake",
                "POST",
                f"/v1/referral-groups/{group_id}/split",
                self.referrer(referrer),
                json={"code": code, "justification": SPLITS[code]},
            )
            self.groups.pop(group_id)
            if split.status_code == 200:
                self.count("sibling groups split later")
                for referral in split.json()["referrals"]:
                    if referral["id"] in self.open_referrals:
                        self.note_proposal(referral)

    def fits(self, child: Child, care_type: str) -> bool:
        age = (self.today - child.birth_date).days // 365
        limit = 22 if care_type == "training_flat" else 17
        low = 16 if care_type == "training_flat" else 0
        return low <= age <= limit

    async def refer(self, child: Child, care_type: str, referrer: int) -> None:
        if not self.fits(child, care_type):
            return
        out_of_region = None
        if self.rng.random() < 0.05:
            criterion = self.rng.choice(["safety", "expertise"])
            out_of_region = {
                "criterion": criterion,
                "justification": "Threat from the child's network in the region; must live elsewhere."
                if criterion == "safety"
                else "Needs specialised care for a rare disorder that no provider in the region offers.",
            }
        part_time = care_type == "respite" or (care_type == "foster_care" and self.rng.random() < 0.2)
        body = {
            "client": {
                "bsn": child.bsn,
                "birth_date": child.birth_date.isoformat(),
                "municipality_code": child.municipality,
            },
            "care_type": care_type,
            "target_group": child.target_group,
            "needs": child.needs,
            "risk_flags": child.risk_flags,
            "vulnerabilities": child.vulnerabilities,
            "part_time": part_time,
            "requested_start": (self.today + timedelta(days=0 if care_type == "crisis" else 7)).isoformat(),
            "out_of_region": out_of_region,
            "notes": "Demo referral.",
        }
        age = (self.today - child.birth_date).days // 365
        extra = referral_fields(self.suitability_rng, child.school, care_type, age, self.today)
        if "school" in extra:
            body["client"]["school_municipality_code"] = extra.pop("school")
        body.update(extra)
        response = await self.call(
            "intake",
            "POST",
            "/v1/referrals",
            {**self.referrer(referrer), "Idempotency-Key": f"demo-{child.number}-{self.today}-{care_type}"},
            json=body,
        )
        if response.status_code != 201:
            self.count(f"refused {response.status_code}")
            return
        self.count("referrals")
        referral = response.json()
        self.open_referrals[referral["id"]] = Stay(referral["id"], child, care_type, referrer, self.today)
        self.note_proposal(referral)

    def note_proposal(self, referral: dict[str, Any]) -> None:
        if referral.get("status") == "proposed" and referral.get("proposal"):
            proposal = referral["proposal"]
            self.proposed[referral["id"]] = (proposal["provider_id"], proposal["expires_at"])
        else:
            self.proposed.pop(referral["id"], None)

    async def withdraw_some(self) -> None:
        """A referrer withdraws a child that has waited long (the family found another way)."""
        for stay in list(self.open_referrals.values()):
            waited = (self.today - stay.referred_on).days
            if self.rng.random() < (0.12 if waited > 30 else 0.01):
                response = await self.call(
                    "intake", "POST", f"/v1/referrals/{stay.referral_id}/withdraw", self.referrer(stay.referrer)
                )
                if response.status_code == 200:
                    self.count("withdrawn")
                    self.open_referrals.pop(stay.referral_id, None)
                    self.proposed.pop(stay.referral_id, None)

    # --- providers -------------------------------------------------------------------------------

    async def refresh_proposed(self) -> None:
        """After the point moved referrals on its own (expiry, waiting list), see which are proposed
        now, as each referrer sees its own referrals."""
        self.proposed.clear()
        referrers = sorted({stay.referrer for stay in self.open_referrals.values()})
        for referrer in referrers:
            offset: int | None = 0
            while offset is not None:
                response = await self.call(
                    "intake",
                    "GET",
                    "/v1/referrals",
                    self.referrer(referrer),
                    params={"status": "proposed", "limit": 200, "offset": offset},
                )
                body = response.json()
                for item in body["items"]:
                    if item["id"] in self.open_referrals:
                        self.note_proposal(item)
                offset = body.get("next_offset")

    async def answer_proposals(self, *, crisis_only: bool) -> None:
        for referral_id, (provider_id, expires_at) in list(self.proposed.items()):
            stay = self.open_referrals.get(referral_id)
            ignored = (referral_id, expires_at) in self.unanswered
            if stay is None or ignored or (crisis_only and stay.care_type != "crisis"):
                continue
            roll = self.rng.random()
            if roll < 0.03 and stay.care_type != "crisis":
                self.unanswered.add((referral_id, expires_at))  # no answer: the hold expires, the point rematches
                continue
            if roll < 0.11 and stay.care_type != "crisis":
                response = await self.call(
                    "intake",
                    "POST",
                    f"/v1/referrals/{referral_id}/decline",
                    self.provider(provider_id),
                    json=decline_body(self.rng),
                )
                if response.status_code == 200:
                    self.count("declined")
                    self.note_proposal(response.json())
                continue
            response = await self.call(
                "intake",
                "POST",
                f"/v1/referrals/{referral_id}/accept",
                self.provider(provider_id),
                json={"start_date": self.today.isoformat()},
            )
            if response.status_code != 200:
                continue
            self.count("placed")
            self.open_referrals.pop(referral_id, None)
            self.proposed.pop(referral_id, None)
            stay.provider_id = provider_id
            crisis_end = (response.json().get("placement") or {}).get("crisis_end_date")
            stay.crisis_end = date.fromisoformat(crisis_end) if crisis_end else None
            low, high = CARE[stay.care_type].stay
            if stay.care_type == "crisis" and (self.finish - self.today).days <= 45:
                # The crisis stays running now: some near their cap, some past it with no extension yet.
                length = self.rng.randint(20, 60)
                stay.extended = self.rng.random() < 0.6  # a coordinator has not got to these
            elif stay.care_type == "crisis":
                # Most crisis stays end within the four weeks; some run over the cap.
                length = self.rng.randint(5, 27) if self.rng.random() < 0.7 else self.rng.randint(28, 45)
            else:
                length = int(self.rng.triangular(low, high, low + (high - low) / 3))
            stay.planned_end = self.today + timedelta(days=length)
            stay.end_reason = _pick(self.rng, END_REASONS[stay.care_type])
            young_adult_leaves = stay.care_type == "training_flat" and stay.end_reason == "independent_living"
            if young_adult_leaves and self.rng.random() < 0.5:
                # Half of the young adults who move on to living independently do so within 6 months.
                stay.planned_end = self.today + timedelta(days=self.rng.randint(60, 175))
            self.placed[referral_id] = stay

    async def end_stays(self) -> None:
        for referral_id, stay in list(self.placed.items()):
            if stay.planned_end is None or stay.provider_id is None:
                continue
            days_left = (stay.planned_end - self.today).days
            if stay.end_reason == "breakdown" and not stay.at_risk_raised and 0 < days_left <= 14:
                stay.at_risk_raised = True
                if self.signals_api and self.rng.random() < 0.7:
                    raised = await self.call(
                        "intake",
                        "POST",
                        f"/v1/referrals/{referral_id}/signals",
                        self.provider(stay.provider_id),
                        json={"type": "placement_at_risk", "note": "Escalating conflicts in the group this week."},
                    )
                    if raised.status_code in (404, 405):
                        self.signals_api = False
            if stay.end_reason == "onward_placement" and not stay.follow_up_made and days_left <= 6:
                # The next place is sought while the child is still placed; the new stay may start
                # before this one ends (a short overlap at the handover).
                stay.follow_up_made = True
                self.queued.append((self.today, stay.child, _pick(self.rng, ONWARD[stay.care_type]), stay.referrer))
            if stay.care_type == "crisis" and not stay.extended and days_left > 0:
                await self.maybe_extend(referral_id, stay)
            if days_left > 0:
                continue
            response = await self.call(
                "intake",
                "POST",
                f"/v1/referrals/{referral_id}/end",
                self.provider(stay.provider_id),
                json={"end_date": self.today.isoformat(), "reason": stay.end_reason},
            )
            if response.status_code != 200:
                continue
            self.count(f"ended {stay.end_reason}")
            del self.placed[referral_id]
            if stay.end_reason == "breakdown" and self.rng.random() < 0.75:
                # After a breakdown the child needs a new place: a repeated placement.
                again = stay.care_type if stay.care_type != "respite" else "residential"
                when = self.today + timedelta(days=self.rng.randint(0, 4))
                self.queued.append((when, stay.child, again if self.rng.random() < 0.5 else "crisis", stay.referrer))

    async def maybe_extend(self, referral_id: str, stay: Stay) -> None:
        """A coordinator extends a crisis stay near its cap when the follow-up needs a little longer."""
        if stay.crisis_end is None or stay.planned_end is None or (stay.crisis_end - self.today).days > 3:
            return
        stay.extended = True
        over = (stay.planned_end - stay.crisis_end).days
        if over > 0 and self.rng.random() < 0.6:
            extended = await self.call(
                "intake",
                "POST",
                f"/v1/referrals/{referral_id}/extend-crisis",
                self.coordinator(),
                json={"days": min(max(over, 3), 21), "reason": self.rng.choice(EXTENSION_REASONS)},
            )
            if extended.status_code == 200:
                self.count("crisis extended")

    # --- coordinators ----------------------------------------------------------------------------

    async def acknowledge_old_signals(self, older_than_days: int) -> None:
        if not self.signals_api:
            return
        cutoff = self.clock.now() - timedelta(days=older_than_days)
        stale: list[dict[str, Any]] = []
        offset = 0
        while True:
            response = await self.call(
                "intake",
                "GET",
                "/v1/signals",
                self.coordinator(),
                params={"status": "open", "limit": 200, "offset": offset},
            )
            if response.status_code in (404, 405):
                self.signals_api = False
                return
            if response.status_code != 200:
                return
            body = response.json()
            items = body.get("items", [])
            stale.extend(s for s in items if datetime.fromisoformat(s["created_at"]) < cutoff)
            offset += len(items)
            if not items or offset >= int(body.get("total", 0)):
                break
        for signal in stale:
            if self.rng.random() < 0.1:
                continue  # some are left open: a coordinator's backlog
            answered = await self.call(
                "intake",
                "POST",
                f"/v1/signals/{signal['id']}/acknowledge",
                self.coordinator(),
                json={"analysis": ANALYSES.get(signal["type"], "Discussed with the provider and the local team.")},
            )
            if answered.status_code == 200:
                self.count("signals acknowledged")

    # --- the walk through time -------------------------------------------------------------------

    def set_time(self, day: date, hour: int) -> None:
        self.today = day
        self.clock.set(datetime(day.year, day.month, day.day, hour, tzinfo=UTC))

    async def run_workers(self, *, rematch: bool) -> None:
        """One round of intake's background steps, as its worker loop would run them."""
        from intake import workers

        moved = 0
        for step in workers.STEPS:
            if step is workers.rematch_waiting and not rematch:
                continue
            done = await step(self.apps.intake)
            # Only these move referrals (to proposed); the others raise signals.
            if step in (
                workers.process_outbox,
                workers.process_group_outbox,
                workers.expire_proposals,
                workers.rematch_waiting,
            ):
                moved += done
        if moved:
            self.unanswered = {
                (referral_id, hold) for referral_id, hold in self.unanswered if referral_id in self.open_referrals
            }
            await self.refresh_proposed()

    async def walk(self, start: date, end: date) -> None:
        progress = Progress(start, end)
        day = start
        index = 0
        while day <= end:
            self.set_time(day, 8)
            await self.end_stays()
            self.set_time(day, 9)
            await self.answer_proposals(crisis_only=False)
            due = [item for item in self.queued if item[0] <= day]
            self.queued = [item for item in self.queued if item[0] > day]
            for _when, child, care_type, referrer in due:
                await self.refer(child, care_type, referrer)
            if self.sibling_rng.random() < self.sibling_groups_per_day:
                await self.refer_siblings()
            for _ in range(_poisson(self.rng, NEW_CHILDREN_PER_DAY)):
                care_type = _pick(self.rng, [(name, spec.weight) for name, spec in CARE.items()])
                referrer = self.rng.choices(range(len(REFERRERS)), weights=[w for _, _, w in REFERRERS])[0]
                await self.refer(self.new_child(care_type), care_type, referrer)
            self.set_time(day, 11)
            await self.answer_proposals(crisis_only=True)
            if index % 9 == 0:
                await self.withdraw_some()
            if self.rng.random() < 0.25:
                await self.change_availability()
            self.set_time(day, 18)
            await self.run_workers(rematch=index % 7 == 0)
            if index % 7 == 0:
                await self.split_long_waiting_siblings()
                await self.acknowledge_old_signals(older_than_days=21)
            progress.show(day, self.counts.get("referrals", 0))
            day += timedelta(days=1)
            index += 1
        progress.finish()


def _apps(clock: ManualClock) -> Apps:
    from capacity.main import create_app as capacity_app
    from capacity.settings import CapacitySettings
    from intake.main import create_app as intake_app
    from intake.settings import IntakeSettings
    from matching.main import create_app as matching_app
    from matching.settings import MatchingSettings

    capacity = capacity_app(CapacitySettings(run_workers=False), clock=clock)
    matching = matching_app(
        MatchingSettings(run_workers=False), clock=clock, capacity_transport=InProcessTransport(app=capacity)
    )
    intake = intake_app(
        IntakeSettings(run_workers=False),
        clock=clock,
        capacity_transport=InProcessTransport(app=capacity),
        matching_transport=InProcessTransport(app=matching),
    )
    for app in (capacity, matching, intake):
        play_inline(app.state.database.engine)
    return Apps(capacity=capacity, matching=matching, intake=intake)


async def _close(apps: Apps) -> None:
    for app in (apps.intake, apps.matching, apps.capacity):
        for name in ("capacity", "matching"):
            client = getattr(app.state, name, None)
            close: Callable[[], Awaitable[None]] | None = getattr(client, "aclose", None)
            if close is not None:
                await close()
        await app.state.database.dispose()


async def seed_history(secret: str, *, now: datetime | None = None, days: int = HISTORY_DAYS, seed: int = SEED) -> bool:
    """Seed when capacity holds no providers yet. Returns True when it seeded."""
    # The services' request logs would drown the progress lines; warnings still show.
    configure_logging("WARNING", json=False)
    finish = now or datetime.now(UTC)
    clock = ManualClock(finish)
    apps = _apps(clock)
    names = {"capacity": apps.capacity, "matching": apps.matching, "intake": apps.intake}
    http = {name: InProcessTransport(app=app).client_for(f"http://{name}") for name, app in names.items()}
    try:
        demo = Demo(rng=random.Random(seed), clock=clock, secret=secret, http=http, apps=apps, finish=finish.date())
        existing = await demo.call("capacity", "GET", "/v1/providers", demo.coordinator())
        existing.raise_for_status()
        if existing.json()["items"]:
            print("demo data: databases already hold data, not seeding", flush=True)
            return False
        started = time.monotonic()
        print(f"demo data: seeding the Haaglanden demo set with {days} days of history …", flush=True)
        first = finish.date() - timedelta(days=days)
        demo.set_time(first, 7)
        await demo.create_places()
        await demo.walk(first, finish.date())
        demo.clock.set(finish)
        # Freshness, one-on-one supervision and a subscription, from a generator of their own.
        answers_rng = random.Random(seed + 18)
        demo.counts["units confirmed lately"] = await confirm_availability(demo, answers_rng, finish)
        demo.counts["one-on-one weeks"] = await record_one_on_one(demo, answers_rng, finish)
        await subscribe(demo, demo.provider_ids)
        # The units turned stale are announced now, to the demo subscription too.
        apps.intake.state.stale_units_due_at = None
        await demo.run_workers(rematch=True)
        took = time.monotonic() - started
        summary = ", ".join(f"{value} {key}" for key, value in sorted(demo.counts.items()))
        print(
            f"demo data: {len(PROVIDERS)} providers, {len(demo.units)} units, {len(demo.children)} children; "
            f"{summary}; took {took:.0f} s",
            flush=True,
        )
        return True
    finally:
        await _close(apps)


# Objects made per generation-0 collection while the history is played (Python's default: 700).
SEEDING_GC_THRESHOLD = 50_000


def seed_demo(secret: str, *, now: datetime | None = None, days: int = HISTORY_DAYS) -> bool:
    # The apps and the modules live as long as the seeding: out of the collector's sight, as a
    # service's start puts them (common.app.freeze_startup_objects). The history makes many short-lived
    # objects per request; collecting them less often saves a seventh of the seeding's time.
    gc.collect()
    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(SEEDING_GC_THRESHOLD, *threshold[1:])
    try:
        with seeded_ids(SEED):
            return asyncio.run(seed_history(secret, now=now, days=days))
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


@contextmanager
def seeded_ids(seed: int) -> Iterator[None]:
    """The services name what they store with uuid4, and order ties by id (referrals made in the same
    minute, units with the same score): with random ids the same seed played another history on each
    run. While the history is played the ids come from a generator of their own."""
    rng = random.Random(f"ids-{seed}")
    original = uuid.uuid4
    uuid.uuid4 = lambda: uuid.UUID(int=rng.getrandbits(128), version=4)
    try:
        yield
    finally:
        uuid.uuid4 = original
