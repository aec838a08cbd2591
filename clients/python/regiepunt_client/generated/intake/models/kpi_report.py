from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.crisis_stay import CrisisStay
    from ..models.decline_count import DeclineCount
    from ..models.indicator import Indicator
    from ..models.week_flow import WeekFlow


T = TypeVar("T", bound="KpiReport")


@_attrs_define
class KpiReport:
    """
    Attributes:
        computed_at (datetime.datetime):
        crisis_stays (list[CrisisStay]):
        indicators (list[Indicator]):
        period_from (datetime.date):
        period_to (datetime.date):
        weekly_flow (list[WeekFlow]):
        declines (list[DeclineCount] | Unset):
    """

    computed_at: datetime.datetime
    crisis_stays: list[CrisisStay]
    indicators: list[Indicator]
    period_from: datetime.date
    period_to: datetime.date
    weekly_flow: list[WeekFlow]
    declines: list[DeclineCount] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        computed_at = self.computed_at.isoformat()

        crisis_stays = []
        for crisis_stays_item_data in self.crisis_stays:
            crisis_stays_item = crisis_stays_item_data.to_dict()
            crisis_stays.append(crisis_stays_item)

        indicators = []
        for indicators_item_data in self.indicators:
            indicators_item = indicators_item_data.to_dict()
            indicators.append(indicators_item)

        period_from = self.period_from.isoformat()

        period_to = self.period_to.isoformat()

        weekly_flow = []
        for weekly_flow_item_data in self.weekly_flow:
            weekly_flow_item = weekly_flow_item_data.to_dict()
            weekly_flow.append(weekly_flow_item)

        declines: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.declines, Unset):
            declines = []
            for declines_item_data in self.declines:
                declines_item = declines_item_data.to_dict()
                declines.append(declines_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "computed_at": computed_at,
                "crisis_stays": crisis_stays,
                "indicators": indicators,
                "period_from": period_from,
                "period_to": period_to,
                "weekly_flow": weekly_flow,
            }
        )
        if declines is not UNSET:
            field_dict["declines"] = declines

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.crisis_stay import CrisisStay  # noqa: PLC0415
        from ..models.decline_count import DeclineCount  # noqa: PLC0415
        from ..models.indicator import Indicator  # noqa: PLC0415
        from ..models.week_flow import WeekFlow  # noqa: PLC0415

        d = dict(src_dict)
        computed_at = datetime.datetime.fromisoformat(d.pop("computed_at"))

        crisis_stays = []
        _crisis_stays = d.pop("crisis_stays")
        for crisis_stays_item_data in _crisis_stays:
            crisis_stays_item = CrisisStay.from_dict(crisis_stays_item_data)

            crisis_stays.append(crisis_stays_item)

        indicators = []
        _indicators = d.pop("indicators")
        for indicators_item_data in _indicators:
            indicators_item = Indicator.from_dict(indicators_item_data)

            indicators.append(indicators_item)

        period_from = datetime.date.fromisoformat(d.pop("period_from"))

        period_to = datetime.date.fromisoformat(d.pop("period_to"))

        weekly_flow = []
        _weekly_flow = d.pop("weekly_flow")
        for weekly_flow_item_data in _weekly_flow:
            weekly_flow_item = WeekFlow.from_dict(weekly_flow_item_data)

            weekly_flow.append(weekly_flow_item)

        _declines = d.pop("declines", UNSET)
        declines: list[DeclineCount] | Unset = UNSET
        if _declines is not UNSET:
            declines = []
            for declines_item_data in _declines:
                declines_item = DeclineCount.from_dict(declines_item_data)

                declines.append(declines_item)

        kpi_report = cls(
            computed_at=computed_at,
            crisis_stays=crisis_stays,
            indicators=indicators,
            period_from=period_from,
            period_to=period_to,
            weekly_flow=weekly_flow,
            declines=declines,
        )

        kpi_report.additional_properties = d
        return kpi_report

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
