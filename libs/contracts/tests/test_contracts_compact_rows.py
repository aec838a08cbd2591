"""Capacity's compact candidate rows: the columns are defined once, and the documented array follows them."""

from __future__ import annotations

import json
from typing import Any

from contracts.capacity import Candidates, CompactExcluded, CompactUnit


def _array_schema(field: str) -> dict[str, Any]:
    schema: dict[str, Any] = Candidates.model_json_schema()["properties"][field]["anyOf"][1]["items"]
    return schema


def test_a_compact_unit_goes_over_the_wire_as_an_array_and_is_read_back_by_name() -> None:
    unit = ("u-1", "p-1", "strategic", "GM0518", True, ["trauma"], False, 2, 52.07, 4.31, 6, True)
    row = CompactUnit._make(json.loads(json.dumps(unit)))
    assert row.id == "u-1"
    assert row.provider_role == "strategic"
    assert row.in_region is True
    assert row.specialisms == ["trauma"]
    assert row.available == 2
    assert (row.latitude, row.longitude, row.capacity) == (52.07, 4.31, 6)
    assert row.availability_stale is True
    assert tuple(row) == unit
    left_out = CompactExcluded._make(json.loads(json.dumps(("u-2", "p-1", False, "no_free_place"))))
    assert (left_out.unit_id, left_out.in_region, left_out.reason) == ("u-2", False, "no_free_place")


def test_the_documented_arrays_have_the_rows_columns_in_order() -> None:
    unit = _array_schema("units")
    assert unit["minItems"] == unit["maxItems"] == len(CompactUnit._fields)
    types = [column.get("type") for column in unit["prefixItems"]]
    assert types == [
        "string",
        "string",
        "string",
        "string",
        "boolean",
        "array",
        "boolean",
        "integer",
        None,
        None,
        "integer",
        "boolean",
    ]
    assert [option["type"] for option in unit["prefixItems"][CompactUnit._fields.index("latitude")]["anyOf"]] == [
        "number",
        "null",
    ]
    assert unit["prefixItems"][CompactUnit._fields.index("provider_role")]["enum"] == [
        "strategic",
        "tactical",
        "operational",
    ]
    excluded = _array_schema("excluded")
    assert excluded["minItems"] == excluded["maxItems"] == len(CompactExcluded._fields)
    assert [column["type"] for column in excluded["prefixItems"]] == ["string", "string", "boolean", "string"]


def test_the_envelope_is_validated_without_its_rows() -> None:
    answer = Candidates.model_validate(
        {"units": [], "excluded": [], "held_unit_id": None, "outside_excluded": {"no_free_place": 2}}
    )
    assert answer.outside_excluded == {"no_free_place": 2}
    assert answer.outside_fitting is None
