"""A deterministic Haaglanden demo set, created through the services' own public APIs."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import httpx

from common.auth import mint_token

SEED = 20270101

MUNICIPALITIES_IN_REGION = ["GM0518", "GM0518", "GM0518", "GM0503", "GM0637", "GM0603", "GM1783", "GM1916",
                            "GM1926", "GM1842", "GM0629"]  # fmt: skip
MUNICIPALITIES_OUTSIDE = ["GM0599", "GM0546", "GM0344", "GM0363"]  # Rotterdam, Leiden, Utrecht, Amsterdam
SPECIALISMS = ["trauma", "autism", "attachment", "addiction", "self_harm", "aggression", "eating_disorder",
               "sexual_exploitation", "young_parent", "psychiatric_care"]  # fmt: skip

# (name, role, care types it offers)
PROVIDERS: list[tuple[str, str, list[str]]] = [
    ("Jeugdhuis Duinzicht", "strategic", ["crisis", "residential", "family_home", "training_flat"]),
    ("Stichting Hofstad Jeugd", "strategic", ["crisis", "residential", "secure", "respite"]),
    ("Pleegzorg Haaglanden", "strategic", ["foster_care", "crisis"]),
    ("Kinder- en Jeugdpsychiatrie Westduin", "tactical", ["clinical", "crisis"]),
    ("Gezinshuizen Zuid-Holland", "tactical", ["family_home", "foster_care"]),
    ("De Delftse Brug", "tactical", ["residential", "training_flat", "respite"]),
    ("Zorgboerderij Het Westland", "operational", ["respite", "residential"]),
    ("Kamers met Kansen", "operational", ["training_flat"]),
    ("LVB Wonen Zoetermeer", "operational", ["residential", "respite"]),
    ("Jeugdzorg Rijnmond", "operational", ["residential", "clinical", "secure"]),
]
AGE_RANGES = {
    "crisis": (0, 17), "foster_care": (0, 17), "family_home": (0, 17), "respite": (4, 17),
    "training_flat": (16, 22), "residential": (8, 17), "clinical": (10, 17), "secure": (12, 17),
}  # fmt: skip


def _headers(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def bsn_for(number: int) -> str:
    """A 9-digit number that passes the eleven-test, derived from `number` (demo data only)."""
    base = 100_000_000 + (number * 7919) % 800_000_000
    while True:
        digits = f"{base:09d}"
        total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1), strict=True)) - int(digits[8])
        if total % 11 == 0:
            return digits
        base += 1


def seed_demo(urls: dict[str, str], secret: str, *, today: date | None = None) -> bool:
    """Seed when capacity holds no providers yet. Returns True when it seeded."""
    rng = random.Random(SEED)
    coordinator = _headers(mint_token(secret, sub="demo-seed", role="coordinator", org="Regiepunt Haaglanden"))
    with httpx.Client(timeout=30.0) as http:
        existing = http.get(f"{urls['capacity']}/v1/providers", headers=coordinator)
        existing.raise_for_status()
        body = existing.json()
        items = body["items"] if isinstance(body, dict) else body
        if items:
            print("demo data: databases already hold data, not seeding", flush=True)
            return False
        print("demo data: seeding the Haaglanden demo set …", flush=True)
        providers: list[dict[str, Any]] = []
        for index, (name, role, care_types) in enumerate(PROVIDERS):
            created = http.post(
                f"{urls['capacity']}/v1/providers",
                json={"name": name, "agb_code": f"98{index + 1:06d}", "role": role},
                headers=coordinator,
            )
            created.raise_for_status()
            provider = created.json()
            providers.append(provider)
            for care_type in care_types:
                for unit_number in range(rng.randint(1, 3)):
                    outside = name == "Jeugdzorg Rijnmond" or rng.random() < 0.08
                    municipality = rng.choice(MUNICIPALITIES_OUTSIDE if outside else MUNICIPALITIES_IN_REGION)
                    age_min, age_max = AGE_RANGES[care_type]
                    small = care_type in ("foster_care", "family_home")
                    unit = {
                        "name": f"{name} {care_type.replace('_', ' ')} {unit_number + 1}",
                        "care_type": care_type,
                        "target_groups": sorted(rng.sample(["jo", "lvb", "ggz"], rng.randint(1, 3))),
                        "age_min": age_min,
                        "age_max": age_max,
                        "municipality_code": municipality,
                        "capacity": rng.randint(1, 4) if small else rng.randint(4, 12),
                        "specialisms": sorted(rng.sample(SPECIALISMS, rng.randint(1, 3))),
                        "part_time": care_type in ("foster_care", "respite") and rng.random() < 0.5,
                    }  # fmt: skip
                    response = http.post(
                        f"{urls['capacity']}/v1/providers/{provider['id']}/units", json=unit, headers=coordinator
                    )
                    response.raise_for_status()
        _seed_referrals(http, urls, secret, rng, today or date.today())
    print(f"demo data: {len(providers)} providers seeded", flush=True)
    return True


def _seed_referrals(http: httpx.Client, urls: dict[str, str], secret: str, rng: random.Random, today: date) -> None:
    referrer = _headers(
        mint_token(secret, sub="demo-referrer", role="referrer", org="Jeugdteam Den Haag Centrum",
                   referrer_type="local_team")
    )  # fmt: skip
    probe = http.get(f"{urls['intake']}/v1/referrals", headers=referrer)
    if probe.status_code in (404, 405):
        return  # intake does not take referrals in this build
    care_types = ["residential", "residential", "crisis", "foster_care", "family_home", "training_flat", "respite"]
    for number in range(24):
        care_type = rng.choice(care_types)
        age = rng.randint(16, 19) if care_type == "training_flat" else rng.randint(4, 17)
        birth = today - timedelta(days=age * 365 + rng.randint(10, 300))
        body = {
            "client": {
                "bsn": bsn_for(number + 1),
                "birth_date": birth.isoformat(),
                "municipality_code": rng.choice(MUNICIPALITIES_IN_REGION),
            },
            "care_type": care_type,
            "target_group": rng.choice(["jo", "jo", "lvb", "ggz"]),
            "needs": sorted(rng.sample(SPECIALISMS, rng.randint(0, 2))),
            "part_time": False,
            "requested_start": (today + timedelta(days=rng.randint(0, 14))).isoformat(),
            "out_of_region": None,
            "notes": "Demo referral.",
        }
        response = http.post(
            f"{urls['intake']}/v1/referrals", json=body, headers={**referrer, "Idempotency-Key": f"demo-{number}"}
        )
        if response.status_code != 201:
            print(f"demo data: referral {number} refused: {response.status_code} {response.text[:200]}", flush=True)
            continue
        referral = response.json()
        proposal = referral.get("proposal")
        if referral.get("status") == "proposed" and proposal and rng.random() < 0.6:
            provider = _headers(
                mint_token(secret, sub="demo-provider", role="provider", org="demo",
                           provider_id=proposal["provider_id"])
            )  # fmt: skip
            start = today - timedelta(days=rng.randint(0, 40))
            http.post(
                f"{urls['intake']}/v1/referrals/{referral['id']}/accept",
                json={"start_date": start.isoformat()},
                headers=provider,
            )
