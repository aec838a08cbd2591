"""The compact candidates view read through the contract's rows names what the full view names."""

from __future__ import annotations

import httpx

from contracts.capacity import Candidates, CompactExcluded, CompactUnit
from services.capacity.tests.factories import FROM_MATCHING, create_provider, create_unit, reserve

QUERY = {"care_type": "residential", "target_group": "jo", "age": 14}


async def test_compact_rows_read_by_the_contract_carry_the_full_views_values(capacity: httpx.AsyncClient) -> None:
    provider = await create_provider(capacity, role="tactical")
    await create_unit(capacity, provider["id"], name="a", specialisms=["trauma"], part_time=True)
    await create_unit(capacity, provider["id"], name="b", municipality_code="GM0599")
    full = await create_unit(capacity, provider["id"], name="c", capacity=1)
    await create_unit(capacity, provider["id"], name="d", target_groups=["ggz"])
    assert (await reserve(capacity, full["id"])).status_code == 201

    answers = {
        view: (await capacity.get("/v1/candidates", params={**QUERY, "view": view}, headers=FROM_MATCHING)).json()
        for view in ("full", "compact")
    }

    rows = [CompactUnit._make(row)._asdict() for row in answers["compact"]["units"]]
    listed = [{field: unit[field] for field in CompactUnit._fields} for unit in answers["full"]["units"]]
    assert sorted(rows, key=lambda row: row["id"]) == sorted(listed, key=lambda row: row["id"])
    left_out = [CompactExcluded._make(row)._asdict() for row in answers["compact"]["excluded"]]
    assert sorted(left_out, key=lambda row: row["unit_id"]) == sorted(
        answers["full"]["excluded"], key=lambda row: row["unit_id"]
    )
    # Both views are answers of the one documented shape.
    for answer in answers.values():
        Candidates.model_validate(answer)
