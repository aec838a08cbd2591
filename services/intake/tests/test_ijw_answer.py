"""A referral's answer carries its iJw codes: the submitting referrer's type as COD327 and the care type
as a JZ020 product category, as its referrer and the provider it is proposed to read it."""

import httpx
from intake_support import OTHER_REFERRER, provider_headers, provider_with_unit, referral_body, submitted


async def test_referral_answer_carries_referrer_and_product_codes(
    intake: httpx.AsyncClient, capacity: httpx.AsyncClient
) -> None:
    provider_id, _unit = await provider_with_unit(capacity, capacity=1)
    by_local_team = await submitted(intake)
    assert by_local_team["status"] == "proposed"
    assert by_local_team["ijw"] == {"verwijzer_code": "01", "productcategorie": "43"}
    shown_to_provider = await intake.get(f"/v1/referrals/{by_local_team['id']}", headers=provider_headers(provider_id))
    assert shown_to_provider.json()["ijw"] == {"verwijzer_code": "01", "productcategorie": "43"}

    by_gp = await submitted(intake, referral_body(care_type="crisis"), headers=OTHER_REFERRER)
    assert by_gp["ijw"] == {"verwijzer_code": "02", "productcategorie": "46"}
