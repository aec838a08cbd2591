"""Contains all the data models used in inputs/outputs"""

from .accept_in import AcceptIn
from .access_log_entry_out import AccessLogEntryOut
from .access_log_item_out import AccessLogItemOut
from .access_log_out import AccessLogOut
from .access_log_page import AccessLogPage
from .acknowledge_in import AcknowledgeIn
from .care_type import CareType
from .child_voice_in import ChildVoiceIn
from .child_voice_out import ChildVoiceOut
from .client_in import ClientIn
from .client_out import ClientOut
from .court_authorisation_in import CourtAuthorisationIn
from .court_authorisation_in_kind import CourtAuthorisationInKind
from .court_authorisation_out import CourtAuthorisationOut
from .crisis_extension_out import CrisisExtensionOut
from .crisis_stay import CrisisStay
from .decline_count import DeclineCount
from .decline_in import DeclineIn
from .decline_out import DeclineOut
from .delivery_attempt_out import DeliveryAttemptOut
from .delivery_attempt_page import DeliveryAttemptPage
from .end_in import EndIn
from .end_reason import EndReason
from .event_type import EventType
from .extend_crisis_in import ExtendCrisisIn
from .field_problem import FieldProblem
from .get_referral_decisions_response_get_referral_decisions import (
    GetReferralDecisionsResponseGetReferralDecisions,
)
from .get_referral_group_decisions_response_get_referral_group_decisions import (
    GetReferralGroupDecisionsResponseGetReferralGroupDecisions,
)
from .group_status import GroupStatus
from .healthz_response_healthz import HealthzResponseHealthz
from .ijw_out import IjwOut
from .indicator import Indicator
from .kpi_report import KpiReport
from .offer_in import OfferIn
from .one_on_one_in import OneOnOneIn
from .one_on_one_list import OneOnOneList
from .one_on_one_out import OneOnOneOut
from .out_of_region_criterion import OutOfRegionCriterion
from .out_of_region_in import OutOfRegionIn
from .out_of_region_out import OutOfRegionOut
from .placement_out import PlacementOut
from .problem import Problem
from .proposal_out import ProposalOut
from .raise_signal_in import RaiseSignalIn
from .referral_group_in import ReferralGroupIn
from .referral_group_out import ReferralGroupOut
from .referral_in import ReferralIn
from .referral_out import ReferralOut
from .referral_page import ReferralPage
from .signal_out import SignalOut
from .signal_out_detail import SignalOutDetail
from .signal_page import SignalPage
from .signal_status import SignalStatus
from .signal_type import SignalType
from .split_in import SplitIn
from .split_out import SplitOut
from .status import Status
from .subject_access_in import SubjectAccessIn
from .subject_access_out import SubjectAccessOut
from .subject_client_out import SubjectClientOut
from .subject_group_out import SubjectGroupOut
from .subject_referral_out import SubjectReferralOut
from .target_group import TargetGroup
from .term_out import TermOut
from .vocabulary_out import VocabularyOut
from .webhook_created import WebhookCreated
from .webhook_in import WebhookIn
from .webhook_out import WebhookOut
from .webhook_page import WebhookPage
from .week_flow import WeekFlow

__all__ = (
    "AcceptIn",
    "AccessLogEntryOut",
    "AccessLogItemOut",
    "AccessLogOut",
    "AccessLogPage",
    "AcknowledgeIn",
    "CareType",
    "ChildVoiceIn",
    "ChildVoiceOut",
    "ClientIn",
    "ClientOut",
    "CourtAuthorisationIn",
    "CourtAuthorisationInKind",
    "CourtAuthorisationOut",
    "CrisisExtensionOut",
    "CrisisStay",
    "DeclineCount",
    "DeclineIn",
    "DeclineOut",
    "DeliveryAttemptOut",
    "DeliveryAttemptPage",
    "EndIn",
    "EndReason",
    "EventType",
    "ExtendCrisisIn",
    "FieldProblem",
    "GetReferralDecisionsResponseGetReferralDecisions",
    "GetReferralGroupDecisionsResponseGetReferralGroupDecisions",
    "GroupStatus",
    "HealthzResponseHealthz",
    "IjwOut",
    "Indicator",
    "KpiReport",
    "OfferIn",
    "OneOnOneIn",
    "OneOnOneList",
    "OneOnOneOut",
    "OutOfRegionCriterion",
    "OutOfRegionIn",
    "OutOfRegionOut",
    "PlacementOut",
    "Problem",
    "ProposalOut",
    "RaiseSignalIn",
    "ReferralGroupIn",
    "ReferralGroupOut",
    "ReferralIn",
    "ReferralOut",
    "ReferralPage",
    "SignalOut",
    "SignalOutDetail",
    "SignalPage",
    "SignalStatus",
    "SignalType",
    "SplitIn",
    "SplitOut",
    "Status",
    "SubjectAccessIn",
    "SubjectAccessOut",
    "SubjectClientOut",
    "SubjectGroupOut",
    "SubjectReferralOut",
    "TargetGroup",
    "TermOut",
    "VocabularyOut",
    "WebhookCreated",
    "WebhookIn",
    "WebhookOut",
    "WebhookPage",
    "WeekFlow",
)
