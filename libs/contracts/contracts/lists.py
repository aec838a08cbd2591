"""The envelope of every list the point answers: `{items, total, limit, offset, next_offset}`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator


class ListEnvelope(BaseModel):
    """What every list says besides its items: how many there are in all, the page asked for, and
    where the next page begins (null on the last). A list that is never paged answers all of it:
    `limit` is then the number of items, `offset` 0 and `next_offset` null."""

    total: int = Field(description="how many items the list holds in all")
    limit: int = Field(description="the most items this answer could hold")
    offset: int = Field(description="how many items were skipped before the first one here")
    next_offset: int | None = Field(description="the offset of the next page; null when this is the last")

    @model_validator(mode="before")
    @classmethod
    def _whole_unless_paged(cls, data: Any) -> Any:
        """A list built with its items only is a list answered in full (whole())."""
        if isinstance(data, dict) and "items" in data and "total" not in data:
            return {**whole(len(data["items"])), **data}
        return data


def next_offset(offset: int, shown: int, total: int) -> int | None:
    """Where the next page begins, or None when the items shown reach the end."""
    return offset + shown if shown > 0 and offset + shown < total else None


def page(total: int, limit: int, offset: int, shown: int) -> dict[str, Any]:
    """The envelope's fields of one page of `shown` items."""
    return {"total": total, "limit": limit, "offset": offset, "next_offset": next_offset(offset, shown, total)}


def whole(count: int) -> dict[str, Any]:
    """The envelope's fields of a list answered in full."""
    return {"total": count, "limit": count, "offset": 0, "next_offset": None}
