from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define

from ..models.court_authorisation_in_kind import CourtAuthorisationInKind

T = TypeVar("T", bound="CourtAuthorisationIn")


@_attrs_define
class CourtAuthorisationIn:
    """The juvenile court's authorisation of closed youth care ("machtiging gesloten jeugdhulp").

    Attributes:
        decided_on (datetime.date):
        kind (CourtAuthorisationInKind):
        valid_until (datetime.date):
    """

    decided_on: datetime.date
    kind: CourtAuthorisationInKind
    valid_until: datetime.date

    def to_dict(self) -> dict[str, Any]:
        decided_on = self.decided_on.isoformat()

        kind = self.kind.value

        valid_until = self.valid_until.isoformat()

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decided_on": decided_on,
                "kind": kind,
                "valid_until": valid_until,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decided_on = datetime.date.fromisoformat(d.pop("decided_on"))

        kind = CourtAuthorisationInKind(d.pop("kind"))

        valid_until = datetime.date.fromisoformat(d.pop("valid_until"))

        court_authorisation_in = cls(
            decided_on=decided_on,
            kind=kind,
            valid_until=valid_until,
        )

        return court_authorisation_in
