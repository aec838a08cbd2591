"""Contains all the data models used in inputs/outputs"""

from .availability_row import AvailabilityRow
from .availability_summary import AvailabilitySummary
from .availability_update import AvailabilityUpdate
from .candidates import Candidates
from .candidates_excluded_type_1_item_item_type_3 import (
    CandidatesExcludedType1ItemItemType3,
)
from .candidates_group_profiles_type_0 import CandidatesGroupProfilesType0
from .candidates_outside_excluded_type_0 import CandidatesOutsideExcludedType0
from .candidates_production_type_0 import CandidatesProductionType0
from .candidates_unfit_excluded_type_0 import CandidatesUnfitExcludedType0
from .candidates_units_type_1_item_item_type_2 import CandidatesUnitsType1ItemItemType2
from .client_key_pair import ClientKeyPair
from .client_key_rekey import ClientKeyRekey
from .client_keys_rekeyed import ClientKeysRekeyed
from .confirmation import Confirmation
from .confirmation_out import ConfirmationOut
from .epoch import Epoch
from .excluded import Excluded
from .excluded_reason import ExcludedReason
from .field_problem import FieldProblem
from .find_candidates_care_type import FindCandidatesCareType
from .find_candidates_excluded_outside import FindCandidatesExcludedOutside
from .find_candidates_excluded_unfit import FindCandidatesExcludedUnfit
from .find_candidates_region import FindCandidatesRegion
from .find_candidates_target_group import FindCandidatesTargetGroup
from .find_candidates_view import FindCandidatesView
from .free_place_kind import FreePlaceKind
from .free_places import FreePlaces
from .group_profile import GroupProfile
from .group_profile_flags import GroupProfileFlags
from .healthz_response_healthz import HealthzResponseHealthz
from .holds_release import HoldsRelease
from .holds_released import HoldsReleased
from .joint_hold import JointHold
from .joint_hold_create import JointHoldCreate
from .joint_hold_out import JointHoldOut
from .list_units_care_type_type_0 import ListUnitsCareTypeType0
from .list_units_target_group_type_0 import ListUnitsTargetGroupType0
from .occupancy_end import OccupancyEnd
from .occupancy_out import OccupancyOut
from .problem import Problem
from .production import Production
from .production_agreement import ProductionAgreement
from .production_agreement_care_type import ProductionAgreementCareType
from .production_item import ProductionItem
from .production_item_care_type import ProductionItemCareType
from .production_overview import ProductionOverview
from .production_use import ProductionUse
from .provider_create import ProviderCreate
from .provider_create_role import ProviderCreateRole
from .provider_list import ProviderList
from .provider_out import ProviderOut
from .provider_out_role import ProviderOutRole
from .provider_production import ProviderProduction
from .provider_update import ProviderUpdate
from .reservation_create import ReservationCreate
from .reservation_out import ReservationOut
from .reservation_out_status import ReservationOutStatus
from .unit_create import UnitCreate
from .unit_create_care_type import UnitCreateCareType
from .unit_create_target_groups_item import UnitCreateTargetGroupsItem
from .unit_list import UnitList
from .unit_out import UnitOut
from .unit_out_care_type import UnitOutCareType
from .unit_out_provider_role import UnitOutProviderRole
from .unit_out_target_groups_item import UnitOutTargetGroupsItem
from .unit_update import UnitUpdate
from .unit_update_target_groups_type_0_item import UnitUpdateTargetGroupsType0Item

__all__ = (
    "AvailabilityRow",
    "AvailabilitySummary",
    "AvailabilityUpdate",
    "Candidates",
    "CandidatesExcludedType1ItemItemType3",
    "CandidatesGroupProfilesType0",
    "CandidatesOutsideExcludedType0",
    "CandidatesProductionType0",
    "CandidatesUnfitExcludedType0",
    "CandidatesUnitsType1ItemItemType2",
    "ClientKeyPair",
    "ClientKeyRekey",
    "ClientKeysRekeyed",
    "Confirmation",
    "ConfirmationOut",
    "Epoch",
    "Excluded",
    "ExcludedReason",
    "FieldProblem",
    "FindCandidatesCareType",
    "FindCandidatesExcludedOutside",
    "FindCandidatesExcludedUnfit",
    "FindCandidatesRegion",
    "FindCandidatesTargetGroup",
    "FindCandidatesView",
    "FreePlaceKind",
    "FreePlaces",
    "GroupProfile",
    "GroupProfileFlags",
    "HealthzResponseHealthz",
    "HoldsRelease",
    "HoldsReleased",
    "JointHold",
    "JointHoldCreate",
    "JointHoldOut",
    "ListUnitsCareTypeType0",
    "ListUnitsTargetGroupType0",
    "OccupancyEnd",
    "OccupancyOut",
    "Problem",
    "Production",
    "ProductionAgreement",
    "ProductionAgreementCareType",
    "ProductionItem",
    "ProductionItemCareType",
    "ProductionOverview",
    "ProductionUse",
    "ProviderCreate",
    "ProviderCreateRole",
    "ProviderList",
    "ProviderOut",
    "ProviderOutRole",
    "ProviderProduction",
    "ProviderUpdate",
    "ReservationCreate",
    "ReservationOut",
    "ReservationOutStatus",
    "UnitCreate",
    "UnitCreateCareType",
    "UnitCreateTargetGroupsItem",
    "UnitList",
    "UnitOut",
    "UnitOutCareType",
    "UnitOutProviderRole",
    "UnitOutTargetGroupsItem",
    "UnitUpdate",
    "UnitUpdateTargetGroupsType0Item",
)
